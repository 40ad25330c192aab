// Plain JavaScript: jest does not apply the ESM module mapping to globalSetup, so this file
// imports no project TypeScript. It starts one PostgreSQL for the whole run (the embedded one in
// a temporary folder, or the server of DATABASE_URL) and creates an empty template database;
// the first test file to need it migrates it (test/support/database.ts), the others clone it.
import { rmSync } from 'node:fs';
import { embeddedCluster, prepareCluster } from './cluster.js';

export default async function globalSetup() {
  let adminUrl;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    adminUrl = url.toString();
  } else {
    const cluster = await embeddedCluster();
    await cluster.server.initialise();
    await cluster.server.start();
    globalThis.__CELLULE_EMBEDDED__ = { server: cluster.server, dir: cluster.dir };
    adminUrl = cluster.adminUrl;
  }
  await prepareCluster(adminUrl);
  process.env.CELLULE_TEST_ADMIN_URL = adminUrl;
}

export async function stopEmbedded() {
  const embedded = globalThis.__CELLULE_EMBEDDED__;
  if (!embedded) return;
  await embedded.server.stop();
  rmSync(embedded.dir, { recursive: true, force: true });
}
