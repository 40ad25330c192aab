import { DataSource } from 'typeorm';
import { privilegeProblems } from '../../src/database/roles.js';
import { asSystem, withTerritories } from '../../src/database/territory-scope.js';
import { type TestApp } from '../support/app.js';
import { call, caseBody, createWorld, createWorldApp, type World } from '../factories/world.js';

/**
 * Row-level security by territory (migration TerritoryRowSecurity): the server's own connection
 * (the application role the tests run it as, like production) sees only the territories of the
 * unit of work, even through a query that forgets its territory filter.
 */
describe('row-level security by territory', () => {
  let t: TestApp;
  let a: World;
  let b: World;
  let app: DataSource;
  let caseA: string;
  let caseB: string;

  beforeAll(async () => {
    ({ t, w: a } = await createWorldApp());
    b = await createWorld(t);
    app = t.app.get(DataSource);
    caseA = (await call(t, a.referrer.token, 'post', '/cases', caseBody(a.commissionId))).id;
    caseB = (await call(t, b.referrer.token, 'post', '/cases', caseBody(b.commissionId))).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const ids = async (sql: string): Promise<string[]> => ((await app.query(sql)) as { id: string }[]).map((r) => r.id);

  it('runs the server as a role that is neither superuser, owner nor BYPASSRLS', async () => {
    expect(await privilegeProblems(app)).toEqual([]);
  });

  it('a query without a territory filter returns only the scope’s territory', async () => {
    const seen = await withTerritories([a.territoryId], () => ids('SELECT id FROM cases'));
    expect(seen).toContain(caseA);
    expect(seen).not.toContain(caseB);
    const territories = await withTerritories(
      [b.territoryId],
      async () => (await app.query('SELECT DISTINCT territory_id AS id FROM cases')) as { id: string }[],
    );
    expect(territories.map((r) => r.id)).toEqual([b.territoryId]);
    const commissions = await withTerritories([a.territoryId], () => ids('SELECT id FROM commissions'));
    expect(commissions).toEqual([a.commissionId]);
    const events = await withTerritories([a.territoryId], async () => (await app.query('SELECT case_id AS id FROM case_events')) as { id: string }[]);
    expect(events.map((r) => r.id)).toContain(caseA);
    expect(events.map((r) => r.id)).not.toContain(caseB);
  });

  it('inside a transaction too, and writes to another territory change nothing or are refused', async () => {
    const seen = await withTerritories([a.territoryId], () =>
      app.transaction(async (manager) => {
        const updated = (await manager.query(`UPDATE cases SET version = version WHERE id = $1 RETURNING id`, [caseB])) as [unknown[], number];
        expect(updated[1]).toBe(0);
        return ((await manager.query('SELECT id FROM cases')) as { id: string }[]).map((r) => r.id);
      }),
    );
    expect(seen).not.toContain(caseB);
    await expect(
      withTerritories([a.territoryId], () => app.query(`INSERT INTO commissions (territory_id, name) VALUES ($1, 'intruse')`, [b.territoryId])),
    ).rejects.toThrow(/row-level security/);
  });

  it('fails closed: no scope, no territorial row; the wide scope is explicit', async () => {
    expect(await ids('SELECT id FROM cases')).toEqual([]);
    expect(await withTerritories([], () => ids('SELECT id FROM cases'))).toEqual([]);
    const all = await asSystem('test', () => ids('SELECT id FROM cases'));
    expect(all).toEqual(expect.arrayContaining([caseA, caseB]));
  });

  it('a pooled connection never lends one unit of work’s scope to the next', async () => {
    // One connection, used in turn by the wide scope, a territory's, then by unscoped work: lone
    // statements and transactions each see only their own unit's scope.
    const runner = app.createQueryRunner();
    try {
      const lone = async () => ((await runner.query('SELECT id FROM cases')) as { id: string }[]).map((r) => r.id);
      const inTransaction = async () => {
        await runner.startTransaction();
        try {
          return await lone();
        } finally {
          await runner.commitTransaction();
        }
      };
      expect(await asSystem('test', lone)).toEqual(expect.arrayContaining([caseA, caseB]));
      expect(await lone()).toEqual([]);
      expect(await asSystem('test', lone)).toEqual(expect.arrayContaining([caseA, caseB]));
      expect(await inTransaction()).toEqual([]);
      const seen = await withTerritories([b.territoryId], lone);
      expect(seen).toContain(caseB);
      expect(seen).not.toContain(caseA);
      expect(await withTerritories([a.territoryId], inTransaction)).not.toContain(caseB);
      expect(await withTerritories([b.territoryId], lone)).not.toContain(caseA);
      expect(await lone()).toEqual([]);
    } finally {
      await runner.release();
    }
  });

  it('the audit log too: a query without a territory filter reads only the scope’s entries; appending stays open; the sealer reads them all', async () => {
    const territoriesIn = async (scope: () => Promise<unknown>) => ((await scope()) as { id: string | null }[]).map((r) => r.id);
    const distinct = 'SELECT DISTINCT territory_id AS id FROM audit_events';
    expect(await territoriesIn(() => withTerritories([a.territoryId], () => app.query(distinct)))).toEqual([a.territoryId]);
    expect(await territoriesIn(() => withTerritories([b.territoryId], () => app.query(distinct)))).toEqual([b.territoryId]);
    expect(await territoriesIn(() => app.query(distinct))).toEqual([]);
    expect(await territoriesIn(() => asSystem('test', () => app.query(distinct)))).toEqual(expect.arrayContaining([a.territoryId, b.territoryId]));
    // A request appends entries about another territory too (a refusal, logged with that territory): writing is not scoped.
    await withTerritories([a.territoryId], () =>
      app.query(`INSERT INTO audit_events (territory_id, action, decision) VALUES ($1, 'test.elsewhere', 'allow')`, [b.territoryId]),
    );
    const written = (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'test.elsewhere'`)) as { n: number }[];
    expect(written[0].n).toBe(1);
    // The chain runs through every territory: sealed and verified whole, whoever asks.
    const report = (await call(t, a.auditor.token, 'get', '/audit/verify?full=true')) as { ok: boolean; checked: number; unsealed: number };
    const [{ sealed }] = (await t.db.dataSource.query(`SELECT count(*)::int AS sealed FROM audit_events WHERE seq IS NOT NULL`)) as { sealed: number }[];
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(sealed);
    expect(report.checked).toBeGreaterThan(0);
  });

  it('a request sees its caller’s territory only: the other territory’s case is unknown (404)', async () => {
    const res = await t.http().get(`/cases/${caseB}`).set('authorization', `Bearer ${a.coordinator.token}`);
    expect(res.status).toBe(404);
    const list = await call(t, a.coordinator.token, 'get', '/cases');
    const listed = JSON.stringify(list);
    expect(listed).toContain(caseA);
    expect(listed).not.toContain(caseB);
  });
});
