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

  it('1797600000000 fills rights_request_copies from the access log: each allowed copy download of a linked situation, nothing else; down/up is clean', async () => {
    const db = await createEmptyDatabase();
    const ds = createDataSource(db.url, { poolSize: 1 });
    await ds.initialize();
    const BEFORE = 1797500000000; // TransparencyClientsPerReference: the state the back-fill found
    /** Reverts every migration after BEFORE: the database as it was before the copies' table. */
    const backToBefore = async () => {
      for (;;) {
        const [{ last }] = await ds.query(`SELECT max(timestamp)::text AS last FROM schema_migrations`);
        if (Number(last) <= BEFORE) return;
        await ds.undoLastMigration({ transaction: 'each' });
      }
    };
    const copies = () =>
      ds.query(`SELECT request_id, case_id, territory_id, user_id, at FROM rights_request_copies ORDER BY at, request_id`) as Promise<
        { request_id: string; case_id: string; territory_id: string; user_id: string; at: Date }[]
      >;
    try {
      await ds.runMigrations({ transaction: 'each' });
      await backToBefore();
      expect(await ds.query(`SELECT to_regclass('rights_request_copies') AS t`)).toEqual([{ t: null }]);

      // Two territories' worth of rows, as the service wrote them before the table existed.
      const one = async (sql: string, params: unknown[] = []) => ((await ds.query(sql, params)) as { id: string }[])[0].id;
      const territory = await one(`INSERT INTO territories (name) VALUES ('CLSM Nord') RETURNING id`);
      const org = await one(`INSERT INTO organisations (territory_id, name, sector) VALUES ($1, 'CCAS', 'social') RETURNING id`, [territory]);
      const user = (email: string, roles: string[], organisation: string | null) =>
        one(`INSERT INTO users (email, password_hash, display_name, organisation_id, territory_id, roles) VALUES ($1, 'x', $1, $2, $3, $4) RETURNING id`, [
          email,
          organisation,
          territory,
          roles,
        ]);
      const auditor = await user('dpo@test.local', ['auditor'], null);
      const referrer = await user('referente@test.local', ['referrer'], org);
      const handler = await user('chargee@test.local', ['referrer'], org);
      const commission = await one(`INSERT INTO commissions (territory_id, name) VALUES ($1, 'Cellule') RETURNING id`, [territory]);
      const newCase = (reference: string) =>
        one(
          `INSERT INTO cases (territory_id, commission_id, reference, referrer_user_id, referrer_organisation_id, state, snapshot)
           VALUES ($1, $2, $3, $4, $5, 'draft', '{}') RETURNING id`,
          [territory, commission, reference, referrer, org],
        );
      const caseA = await newCase('CAS-2026-0001');
      const caseB = await newCase('CAS-2026-0002');
      const request = () =>
        one(
          `INSERT INTO rights_requests (territory_id, kind, received_on, due_on, opened_by, opened_at)
           VALUES ($1, 'access', '2026-10-01', '2026-11-01', $2, '2026-10-01T09:00:00Z') RETURNING id`,
          [territory, auditor],
        );
      const first = await request();
      const second = await request();
      const link = (requestId: string, caseId: string) =>
        ds.query(`INSERT INTO rights_request_cases (request_id, case_id, territory_id, linked_at) VALUES ($1, $2, $3, '2026-10-01T09:05:00Z')`, [
          requestId,
          caseId,
          territory,
        ]);
      await link(first, caseA);
      await link(first, caseB);
      await link(second, caseA);
      const log = (at: string, actor: string | null, action: string, caseId: string, decision: 'allow' | 'deny', requestId: string) =>
        ds.query(
          `INSERT INTO audit_events (at, actor_id, organisation_id, territory_id, action, case_id, classes, decision, purpose, detail)
           VALUES ($1, $2, $3, $4, $5, $6, ARRAY['identity'], $7, 'rights_request', jsonb_build_object('rightsRequestId', $8::text))`,
          [at, actor, actor ? org : null, territory, action, caseId, decision, requestId],
        );
      await log('2026-10-02T10:00:00Z', handler, 'rights.copy', caseA, 'allow', first); // a copy
      await log('2026-10-03T10:00:00Z', handler, 'rights.copy', caseA, 'allow', first); // downloaded again: a second row
      await log('2026-10-04T10:00:00Z', referrer, 'rights.copy', caseB, 'deny', first); // refused: no copy
      await log('2026-10-05T10:00:00Z', handler, 'rights.copy', caseB, 'allow', second); // a situation not linked to that request
      await log('2026-10-06T10:00:00Z', handler, 'case.read', caseA, 'allow', first); // not a copy
      await log('2026-10-07T10:00:00Z', null, 'rights.copy', caseA, 'allow', first); // no account: not a handler's download
      await log('2026-10-08T10:00:00Z', referrer, 'rights.copy', caseA, 'allow', second); // the other request's copy
      const expected = [
        { request_id: first, case_id: caseA, territory_id: territory, user_id: handler, at: new Date('2026-10-02T10:00:00Z') },
        { request_id: first, case_id: caseA, territory_id: territory, user_id: handler, at: new Date('2026-10-03T10:00:00Z') },
        { request_id: second, case_id: caseA, territory_id: territory, user_id: referrer, at: new Date('2026-10-08T10:00:00Z') },
      ];

      await ds.runMigrations({ transaction: 'each' });
      expect(await copies()).toEqual(expected);
      expect(await ds.showMigrations()).toBe(false);

      // Down removes the table and nothing else of the log; up fills it again the same way.
      await backToBefore();
      expect(await ds.query(`SELECT to_regclass('rights_request_copies') AS t`)).toEqual([{ t: null }]);
      expect(await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'rights.copy'`)).toEqual([{ n: 6 }]);
      await ds.runMigrations({ transaction: 'each' });
      expect(await copies()).toEqual(expected);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
