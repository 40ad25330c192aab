import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/data-source.js';
// APP_TEST_ROLE: created by prepareCluster (globalSetup), a member of cellule_app.
import { APP_TEST_ROLE, TEMPLATE_DB } from './cluster.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A data source on the test database (already initialised, migrations applied), as the cluster's superuser: tests see and set up every territory with it. */
  readonly dataSource: DataSource;
  /** The same database as a login role of cellule_app (what the server under test connects as: row-level security applies). */
  readonly appUrl: string;
  drop(): Promise<void>;
}

function adminUrl(override?: string): string {
  if (override) return override;
  const url = process.env.CELLULE_TEST_ADMIN_URL;
  if (!url) throw new Error('CELLULE_TEST_ADMIN_URL is not set: run the tests through jest (globalSetup)');
  return url;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>, server?: string): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(server) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function urlOf(database: string, server?: string): string {
  const url = new URL(adminUrl(server));
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Migrates the template once per run. Test files run in parallel workers: an advisory lock makes
 * the first one migrate while the others wait, then they all clone the finished template.
 */
async function ensureTemplateMigrated(client: pg.Client, server?: string): Promise<void> {
  await client.query('SELECT pg_advisory_lock(727274)');
  try {
    const ds = createDataSource(urlOf(TEMPLATE_DB, server), { poolSize: 1 });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
  } catch (error) {
    await client.query('SELECT pg_advisory_unlock(727274)');
    throw error;
  }
}

/**
 * A fresh database for one test file, cloned from the migrated template. `server`: the admin URL
 * of another cluster prepared by `prepareCluster` (a test that restarts its own PostgreSQL);
 * default: the run's shared one.
 */
export async function createTestDatabase(server?: string): Promise<TestDatabase> {
  const name = `cellule_t_${randomBytes(6).toString('hex')}`;
  await admin(async (c) => {
    await ensureTemplateMigrated(c, server);
    try {
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(727274)');
    }
  }, server);
  const url = new URL(urlOf(name, server));
  const dataSource = createDataSource(url.toString(), { poolSize: 10 });
  await dataSource.initialize();
  const appUrl = new URL(url);
  appUrl.username = APP_TEST_ROLE;
  appUrl.password = 'test';
  return {
    name,
    url: url.toString(),
    appUrl: appUrl.toString(),
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), server);
    },
  };
}

/** An empty database (no migrations), for the migration tests. */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cellule_e_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
