/**
 * Concurrent transitions on one case (exactly one wins, nothing half-applied) and a transition
 * whose database session dies before it commits (the previous state stays intact).
 */
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { auditRow } from '../../src/audit/audit.service.js';
import { writeTransition } from '../../src/cases/case.repository.js';
import type { PersistedCase } from '../../src/cases/machine/context.js';
import { columnsOf } from '../../src/cases/projection.js';
import { TransitionHooks } from '../../src/cases/workflow.service.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ADMIN, createWorld, type World } from '../factories/world.js';
import { caseIn, get, newSession, plan, postEvent, type CaseRef } from '../factories/lifecycle.js';

/**
 * Stops the transition of one chosen case just before it commits: reports the PostgreSQL backend
 * running that transaction, then waits until the test lets it go on. Every other case passes.
 */
class BlockingHooks extends TransitionHooks {
  private armed: { caseId: string; reached: (pid: number) => void; gate: Promise<void> } | undefined;

  arm(caseId: string): { reached: Promise<number>; release: () => void } {
    let reached!: (pid: number) => void;
    let release!: () => void;
    const reachedPromise = new Promise<number>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.armed = { caseId, reached, gate };
    return { reached: reachedPromise, release };
  }

  async beforeCommit(caseId: string, manager: EntityManager): Promise<void> {
    const armed = this.armed;
    if (!armed || armed.caseId !== caseId) return;
    this.armed = undefined;
    const [{ pid }] = await manager.query('SELECT pg_backend_pid() AS pid');
    armed.reached(pid);
    await armed.gate;
  }
}

describe('concurrency and crashes', () => {
  let t: TestApp;
  let w: World;
  const hooks = new BlockingHooks();
  let openSession: string;

  beforeAll(async () => {
    t = await createTestApp(
      { BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password },
      { overrideProviders: [{ provide: TransitionHooks, useValue: hooks }] },
    );
    w = await createWorld(t);
    openSession = await newSession(t, w, { open: true, startInDays: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function historyOf(c: CaseRef): Promise<[string, string | null, string][]> {
    const res = await get(t, w.coordinator.token, `/cases/${c.id}/history`);
    expect(res.status).toBe(200);
    return res.body.map((r: { event: string; from: string | null; to: string }) => [r.event, r.from, r.to]);
  }

  /** Sends all bodies at once (none awaited before the others start) and groups the statuses. */
  async function race(token: string, c: CaseRef, bodies: Record<string, unknown>[]) {
    const responses = await Promise.all(bodies.map((body) => postEvent(t, token, c.id, body)));
    const ok = responses.filter((r) => r.status === 200);
    const conflicts = responses.filter((r) => r.status === 409);
    return { responses, ok, conflicts };
  }

  it('twenty concurrent SUBMITs on one version: one 200, nineteen 409, one transition', async () => {
    const c = await caseIn(t, w, 'draft');
    const { responses, ok, conflicts } = await race(
      w.referrer.token,
      c,
      Array.from({ length: 20 }, () => ({ type: 'SUBMIT', expectedVersion: 1 })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(409)]);
    expect(ok[0].body).toMatchObject({ state: 'submitted', version: 2 });
    for (const loser of conflicts) {
      expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(loser.body.type).toMatch(/stale_version$/);
      expect(loser.body.currentVersion).toBe(2);
    }
    expect(await historyOf(c)).toEqual([
      ['CREATE', null, 'draft'],
      ['SUBMIT', 'draft', 'submitted'],
    ]);
    const view = await get(t, w.referrer.token, `/cases/${c.id}`);
    expect(view.body).toMatchObject({ state: 'submitted', version: 2 });
  });

  it('ACCEPT and REJECT racing: exactly one decision is applied, the other nineteen get 409', async () => {
    const c = await caseIn(t, w, 'submitted');
    const bodies = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? { type: 'ACCEPT', expectedVersion: 2 } : { type: 'REJECT', expectedVersion: 2, reason: 'Hors du champ de la cellule' },
    );
    const { ok, conflicts } = await race(w.coordinator.token, c, bodies);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const winner = ok[0].body.state as string;
    expect(['awaiting_consent', 'closed']).toContain(winner);
    const history = await historyOf(c);
    expect(history).toHaveLength(3);
    expect(history[2]).toEqual([winner === 'closed' ? 'REJECT' : 'ACCEPT', 'submitted', winner]);
    const view = await get(t, w.coordinator.token, `/cases/${c.id}`);
    expect(view.body).toMatchObject({ state: winner, version: 3 });
  });

  it('twenty concurrent ADOPT_PLANs: one plan of two actions, not twenty', async () => {
    const c = await caseIn(t, w, 'in_review', openSession);
    const { ok, conflicts } = await race(
      w.coordinator.token,
      c,
      Array.from({ length: 20 }, () => ({ type: 'ADOPT_PLAN', expectedVersion: c.version, ...plan(w) })),
    );
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM actions WHERE case_id = $1`, [c.id]);
    expect(n).toBe(2);
    expect((await historyOf(c)).filter(([event]) => event === 'ADOPT_PLAN')).toHaveLength(1);
  });

  it("the transition's one write statement: a row not at the expected version gets no history, no audit, no change", async () => {
    const c = await caseIn(t, w, 'plan_active', openSession);
    const counts = async () =>
      (
        await t.db.dataSource.query(
          `SELECT (SELECT count(*)::int FROM case_events WHERE case_id = $1) AS history, (SELECT count(*)::int FROM audit_events WHERE case_id = $1) AS audit,
                  (SELECT version FROM cases WHERE id = $1) AS version, (SELECT follow_up_at FROM cases WHERE id = $1) AS "followUpAt"`,
          [c.id],
        )
      )[0] as { history: number; audit: number; version: number; followUpAt: Date };
    const before = await counts();
    const followUpAt = new Date(Date.now() + 30 * 86_400_000);
    const [{ snapshot }] = (await t.db.dataSource.query(`SELECT snapshot FROM cases WHERE id = $1`, [c.id])) as { snapshot: PersistedCase }[];
    const next: PersistedCase = { ...snapshot, context: { ...snapshot.context, plan: { actionCount: 2, followUpAt: followUpAt.toISOString() } } };
    const write = (expectedVersion: number) =>
      writeTransition(t.db.dataSource.manager, {
        caseId: c.id,
        expectedVersion,
        event: 'CONTINUE',
        from: 'plan_active',
        snapshot: next,
        columns: columnsOf(next),
        at: new Date(),
        actorUserId: w.coordinator.id,
        actorOrganisationId: w.coordinator.organisationId,
        audit: auditRow({
          actorId: w.coordinator.id,
          organisationId: w.coordinator.organisationId,
          action: 'case.event.CONTINUE',
          caseId: c.id,
          decision: 'allow',
        }),
      });

    await expect(write(c.version - 1)).resolves.toBeUndefined();
    expect(await counts()).toEqual(before);

    await expect(write(c.version)).resolves.toBe(c.version + 1);
    const after = await counts();
    expect(after).toEqual({ history: before.history + 1, audit: before.audit + 1, version: c.version + 1, followUpAt });
    const [history] = await t.db.dataSource.query(`SELECT event, from_state, to_state, actor_user_id FROM case_events WHERE case_id = $1 AND version = $2`, [
      c.id,
      c.version + 1,
    ]);
    expect(history).toEqual({ event: 'CONTINUE', from_state: 'plan_active', to_state: 'plan_active', actor_user_id: w.coordinator.id });
  });

  it('a transition whose PostgreSQL backend dies before commit leaves the previous state, version and history', async () => {
    const sessionId = await newSession(t, w);
    const c = await caseIn(t, w, 'ready_for_review');
    const historyBefore = await historyOf(c);
    const { reached, release } = hooks.arm(c.id);

    // SCHEDULE writes the agenda item, the case's session, the snapshot, history and audit rows.
    const pending = postEvent(t, w.coordinator.token, c.id, { type: 'SCHEDULE', expectedVersion: c.version, sessionId }).then((r) => r);
    const pid = await reached;

    // From another connection, kill the backend running the transaction, as when the server
    // process dies mid-transition: PostgreSQL aborts whatever that transaction wrote.
    const killer = new pg.Client({ connectionString: t.db.url });
    await killer.connect();
    try {
      const [{ killed }] = (await killer.query('SELECT pg_terminate_backend($1, 10000) AS killed', [pid])).rows;
      expect(killed).toBe(true);
      const alive = await killer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
      expect(alive.rowCount).toBe(0);
    } finally {
      await killer.end();
    }
    release();
    const res = await pending;
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);

    const view = await get(t, w.coordinator.token, `/cases/${c.id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      state: 'ready_for_review',
      version: c.version,
      allowedEvents: ['SCHEDULE', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'],
    });
    expect(view.body.meta.sessionId).toBeNull();
    expect(await historyOf(c)).toEqual(historyBefore);
    const [row] = await t.db.dataSource.query(
      `SELECT state, version, session_id AS "sessionId", snapshot->'value' AS value, (SELECT count(*)::int FROM agenda_items WHERE case_id = $1) AS agenda FROM cases WHERE id = $1`,
      [c.id],
    );
    expect(row).toEqual({ state: 'ready_for_review', version: c.version, sessionId: null, value: { open: { taken_up: 'ready_for_review' } }, agenda: 0 });

    // The server itself lives on: the same event, at the same version, now goes through once.
    const retry = await postEvent(t, w.coordinator.token, c.id, { type: 'SCHEDULE', expectedVersion: c.version, sessionId });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ state: 'scheduled', version: c.version + 1 });
    expect((await historyOf(c)).at(-1)).toEqual(['SCHEDULE', 'ready_for_review', 'scheduled']);
  });
});
