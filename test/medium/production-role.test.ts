import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { createDataSource } from '../../src/database/data-source.js';
import { openDatabase } from '../../src/database/database.js';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * With NODE_ENV=production the server refuses a database role that could get around the
 * row-level security or the audit triggers, and says which problem it has.
 */
describe('the production start refuses an over-privileged database role', () => {
  let db: TestDatabase;
  const suffix = randomBytes(4).toString('hex');
  const roles = { owner: `t_owner_${suffix}`, bypass: `t_bypass_${suffix}`, app: `t_app_${suffix}`, jobs: `t_jobs_${suffix}` };
  const password = randomBytes(12).toString('hex');

  async function admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  function urlAs(role: string): string {
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    return url.toString();
  }

  async function start(databaseUrl: string) {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      CELLULE_KEYRING: '/nonexistent/keyring.json',
      CELLULE_TOKEN_SECRET: randomBytes(32).toString('base64'),
    });
    const database = await openDatabase(config, () => undefined);
    await database.close();
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await admin(`
      CREATE ROLE ${roles.owner} LOGIN PASSWORD '${password}';
      ALTER TABLE cases OWNER TO ${roles.owner};
      CREATE ROLE ${roles.bypass} LOGIN BYPASSRLS PASSWORD '${password}' IN ROLE cellule_app;
      CREATE ROLE ${roles.app} LOGIN PASSWORD '${password}' IN ROLE cellule_app;
      CREATE ROLE ${roles.jobs} LOGIN PASSWORD '${password}' IN ROLE cellule_app;
      ALTER TABLE pgboss.schedule OWNER TO ${roles.jobs};
    `);
  });

  afterAll(async () => {
    await db?.drop();
    const client = new pg.Client({ connectionString: process.env.CELLULE_TEST_ADMIN_URL });
    await client.connect();
    try {
      for (const role of Object.values(roles)) await client.query(`DROP ROLE IF EXISTS ${role}`);
    } finally {
      await client.end();
    }
  });

  it('refuses a superuser, saying so', async () => {
    await expect(start(db.url)).rejects.toThrow(/the database role postgres is a superuser/);
  });

  it('refuses a role that owns a table, naming it', async () => {
    await expect(start(urlAs(roles.owner))).rejects.toThrow(new RegExp(`the database role ${roles.owner} owns tables of schema public.*: cases`));
  });

  it('refuses a role that bypasses row-level security', async () => {
    await expect(start(urlAs(roles.bypass))).rejects.toThrow(new RegExp(`the database role ${roles.bypass} bypasses row-level security \\(BYPASSRLS\\)`));
  });

  it('refuses a role that owns a table of the job queue (pg-boss), naming it', async () => {
    await expect(start(urlAs(roles.jobs))).rejects.toThrow(
      new RegExp(`the database role ${roles.jobs} owns tables of the job queue's schema pgboss: schedule`),
    );
  });

  it('starts with a login role of cellule_app on a migrated database', async () => {
    await expect(start(urlAs(roles.app))).resolves.toBeUndefined();
  });

  it('runs the job queue as that role: pg-boss starts, schedules and stops without creating anything', async () => {
    const objects = async () =>
      (await db.dataSource.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pgboss'`))[0].n;
    const before = await objects();
    const ds = createDataSource(urlAs(roles.app), { poolSize: 2 });
    await ds.initialize();
    const queue = new JobQueue(ds, [{ name: 'session-end', everyMs: 60_000, run: async () => 0 }], { url: urlAs(roles.app) });
    try {
      await queue.start();
      expect(await db.dataSource.query(`SELECT name, cron FROM pgboss.schedule WHERE name = 'session-end'`)).toEqual([
        { name: 'session-end', cron: '* * * * *' },
      ]);
    } finally {
      await queue.stop();
      await ds.destroy();
    }
    expect(await objects()).toBe(before);
  });
});
