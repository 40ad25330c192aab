import vm from 'node:vm';

// ESM project (Nest 12 is ESM-only): ts-jest in ESM mode, started with --experimental-vm-modules.
// One embedded PostgreSQL per run (globalSetup); each test file gets its own database cloned
// from a migrated template (test/support/database.ts).
//
// @fastify/static (CommonJS, serves the Swagger UI) requires the ESM-only content-disposition.
// Jest requires an ES module from CommonJS itself where Node can evaluate one synchronously
// (Node 24.9+, the test jest-runtime makes: `SourceTextModule.prototype.hasAsyncGraph`), and then
// loads it as ESM because its package says `"type": "module"`. Older Nodes (20) run it through
// jest's CommonJS loader, which cannot: there jest gets a CommonJS copy of it. The copy must not be
// made on Node 24 — evaluated as an ES module, it fails ("exports is not defined") and Nest's
// package loader exits the process.
const jestRequiresEsm = typeof vm.SourceTextModule?.prototype.hasAsyncGraph === 'function';
const commonJsContentDisposition = jestRequiresEsm
  ? {}
  : {
      'node_modules/content-disposition/.+\\.js$': [
        'ts-jest',
        { useESM: false, tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node', isolatedModules: true } },
      ],
    };

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
    ...commonJsContentDisposition,
  },
  transformIgnorePatterns: jestRequiresEsm ? ['/node_modules/'] : ['/node_modules/(?!content-disposition/)'],
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  maxWorkers: 2,
  testTimeout: 60000,
};
