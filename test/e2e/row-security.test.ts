import { DataSource } from 'typeorm';
import { privilegeProblems } from '../../src/database/roles.js';
import { asSystem, withTerritories } from '../../src/database/territory-scope.js';
import { accountDoor } from '../../src/users/account-door.js';
import { findViewerRow } from '../../src/users/users.repository.js';
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

  it('a transaction sets its scope in the round trip of START TRANSACTION, and after SET TRANSACTION when it asks for an isolation level', async () => {
    const runner = app.createQueryRunner();
    try {
      const client = (await runner.connect()) as { query: (...args: unknown[]) => unknown };
      const sent: string[] = [];
      const send = client.query.bind(client);
      client.query = (...args: unknown[]) => {
        const config = args[0] as string | { text?: string };
        sent.push(typeof config === 'string' ? config : String(config.text));
        return send(...args);
      };
      const inTransaction = async (level?: 'REPEATABLE READ') => {
        sent.length = 0;
        await runner.startTransaction(level);
        try {
          return ((await runner.query('SELECT id FROM cases')) as { id: string }[]).map((r) => r.id);
        } finally {
          await runner.commitTransaction();
        }
      };
      const seen = await withTerritories([a.territoryId], () => inTransaction());
      expect(seen).toContain(caseA);
      expect(seen).not.toContain(caseB);
      expect(sent).toEqual([`START TRANSACTION; SELECT set_config('cellule.territories', '${a.territoryId}', true)`, 'SELECT id FROM cases', 'COMMIT']);
      const repeatable = await withTerritories([b.territoryId], () => inTransaction('REPEATABLE READ'));
      expect(repeatable).toContain(caseB);
      expect(repeatable).not.toContain(caseA);
      expect(sent.slice(0, 3)).toEqual([
        'START TRANSACTION',
        'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ',
        "SELECT set_config('cellule.territories', $1, true)",
      ]);
      expect(await inTransaction()).toEqual([]);
      expect(sent[0]).toBe('START TRANSACTION');
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

  it('the directory too: users and organisations without a territory filter return only the scope’s territory', async () => {
    const organisations = await withTerritories([a.territoryId], () => ids('SELECT id FROM organisations'));
    expect(organisations).toEqual(expect.arrayContaining(Object.values(a.orgs)));
    expect(organisations).not.toEqual(expect.arrayContaining([b.orgs.social]));
    expect(organisations.filter((id) => Object.values(b.orgs).includes(id))).toEqual([]);
    const accounts = await withTerritories([a.territoryId], () => ids('SELECT id FROM users'));
    expect(accounts).toEqual(expect.arrayContaining([a.referrer.id, a.coordinator.id, a.psychiatrist.id]));
    expect(accounts).not.toContain(b.referrer.id);
    expect(accounts).not.toContain(b.coordinator.id);
    // An account of no territory (the administrator, the world's auditor) only with the wide scope.
    expect(accounts).not.toContain(a.admin.id);
    expect(accounts).not.toContain(a.auditor.id);
    // A join does not bring another territory's names back either.
    const named = await withTerritories([a.territoryId], async () =>
      ((await app.query('SELECT DISTINCT o.territory_id AS id FROM users u JOIN organisations o ON o.id = u.organisation_id')) as { id: string }[]).map(
        (r) => r.id,
      ),
    );
    expect(named).toEqual([a.territoryId]);
    // No scope: nothing; the wide scope: everyone.
    expect(await ids('SELECT id FROM users')).toEqual([]);
    expect(await ids('SELECT id FROM organisations')).toEqual([]);
    expect(await asSystem('test', () => ids('SELECT id FROM users'))).toEqual(expect.arrayContaining([a.referrer.id, b.referrer.id, a.admin.id]));
  });

  it('writes to another territory’s directory change nothing or are refused', async () => {
    const renamed = await withTerritories(
      [a.territoryId],
      async () => ((await app.query(`UPDATE users SET display_name = 'intrus' WHERE id = $1 RETURNING id`, [b.referrer.id])) as [unknown[], number])[1],
    );
    expect(renamed).toBe(0);
    await expect(
      withTerritories([a.territoryId], () =>
        app.query(`INSERT INTO organisations (territory_id, name, sector) VALUES ($1, 'intruse', 'social')`, [b.territoryId]),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withTerritories([a.territoryId], () =>
        app.query(
          `INSERT INTO users (email, password_hash, display_name, organisation_id, roles) VALUES ('intrus@test.local', 'x', 'Intrus', $1, ARRAY['member'])`,
          [b.orgs.social],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const [{ n }] = (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE display_name = 'intrus' OR email = 'intrus@test.local'`)) as {
      n: number;
    }[];
    expect(n).toBe(0);
  });

  it('the account door reads one account before any scope (the guard, the sign-in), and requests keep to the caller’s territory', async () => {
    expect(await findViewerRow(app, b.referrer.id)).toBeUndefined();
    const row = await accountDoor('authenticate', () => findViewerRow(app, b.referrer.id));
    expect(row).toMatchObject({ id: b.referrer.id, territory_id: b.territoryId });
    const admin = await accountDoor('authenticate', () => findViewerRow(app, a.admin.id));
    expect(admin).toMatchObject({ id: a.admin.id, territory_id: null });
    // Signing in and being recognised work for every territory and for the administrator (no territory).
    expect(await call(t, b.referrer.token, 'get', '/me')).toMatchObject({ userId: b.referrer.id });
    expect(await call(t, a.admin.token, 'get', '/me')).toMatchObject({ userId: a.admin.id });
    // A user of territory A lists the organisations of A only; the administrator lists every territory's accounts (the explicit wide door, audited).
    const listed = JSON.stringify(await call(t, a.coordinator.token, 'get', '/organisations?limit=200'));
    expect(listed).toContain(a.orgs.health);
    expect(listed).not.toContain(b.orgs.health);
    const all = JSON.stringify(await call(t, a.admin.token, 'get', '/users?limit=200'));
    expect(all).toContain(a.referrer.id);
    expect(all).toContain(b.referrer.id);
    const [{ n }] = (await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'territory.scope.all' AND actor_id = $1 AND purpose LIKE '%user.list%'`,
      [a.admin.id],
    )) as { n: number }[];
    expect(n).toBeGreaterThan(0);
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
