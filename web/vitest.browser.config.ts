import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: the built workspace, served by the real server on its embedded
 * PostgreSQL, driven in Debian's Chromium by playwright-core (browser/README in web/README.md).
 * One file at a time: the server and the browser share the machine's two cores.
 */
export default defineConfig({
  test: {
    include: ['browser/**/*.browser.ts'],
    environment: 'node',
    globalSetup: ['browser/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    fileParallelism: false,
  },
});
