import { createDataSource } from '../../src/database/data-source.js';
import { createEmptyDatabase } from '../support/database.js';

describe('migrations', () => {
  it('apply to an empty database, revert completely, and apply again', async () => {
    const db = await createEmptyDatabase();
    const ds = createDataSource(db.url, { poolSize: 1 });
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied.length).toBeGreaterThan(0);
      const tables = await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      const names = tables.map((t: { table_name: string }) => t.table_name);
      expect(names).toEqual(expect.arrayContaining(['cases', 'case_events', 'case_fields', 'audit_events', 'users']));
      expect(await ds.showMigrations()).toBe(false);
      // The job queue's schema (pg-boss, issue 13) and its queues, made by the migrations as the owner.
      expect(await ds.query(`SELECT version FROM pgboss.version`)).toEqual([{ version: 24 }]);
      const queues = (await ds.query(`SELECT name FROM pgboss.queue ORDER BY name`)).map((q: { name: string }) => q.name);
      expect(queues).toEqual(expect.arrayContaining(['__pgboss__send-it', 'follow-up-due', 'retention-purge', 'session-end', 'idempotency-expiry']));
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const left = await ds.query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      expect(left[0].n).toBe(0);
      expect(await ds.query(`SELECT nspname FROM pg_namespace WHERE nspname = 'pgboss'`)).toEqual([]);
      const again = await ds.runMigrations({ transaction: 'each' });
      expect(again.length).toBe(applied.length);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
