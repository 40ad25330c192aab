// ESM project (Nest 12 is ESM-only): ts-jest in ESM mode, started with --experimental-vm-modules.
// One embedded PostgreSQL per run (globalSetup); each test file gets its own database cloned
// from a migrated template (test/support/database.ts).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
    // @fastify/static (CommonJS, serves the Swagger UI) requires the ESM-only content-disposition;
    // Node 20 allows that, jest's module loader does not, so jest gets a CommonJS copy of it.
    'node_modules/content-disposition/.+\\.js$': ['ts-jest', { useESM: false, tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  maxWorkers: 2,
  testTimeout: 60000,
};
