import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { apiProxy } from './scripts/dev-proxy.ts';

/**
 * The workspace is served by the Nest server under /app (src/web/): `base` makes every asset URL
 * start there. `npm run dev` serves it from Vite instead, and forwards the API's paths (taken from
 * the generated OpenAPI client, so the list cannot drift from the server) to the Nest server.
 */
export default defineConfig(({ command }) => ({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names: the server caches them for a year; index.html is never cached.
    assetsDir: 'assets',
    sourcemap: false,
    // No inline <script> nor data: module preload shims: the CSP of /app allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Two files for the first screen instead of a dozen small ones (each a request on a cold
        // visit): the libraries, and the shell every screen shares. Screens stay lazy chunks.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: /node_modules/ },
            { name: 'shell', test: /web\/src\/(app|api|session|shared)\// },
          ],
        },
      },
    },
    assetsInlineLimit: 0,
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: command === 'serve' ? apiProxy(process.env.CELLULE_API_URL ?? 'http://localhost:3000') : undefined,
  },
  test: {
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://localhost:3000/app/' } },
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    restoreMocks: true,
    // Screen tests type into real forms; on a shared two-core machine 5 s is not always enough.
    testTimeout: 15_000,
  },
}));
