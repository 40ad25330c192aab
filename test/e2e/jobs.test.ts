import { call, caseBody, createWorldApp, type World } from '../factories/world.js';
import { WorkflowService } from '../../src/cases/workflow.service.js';
import { type TestApp } from '../support/app.js';

const DAY = 86_400_000;

/** Drives a case to plan_active through the API (follow-up in `followUpDays`); returns its id and version. */
async function toPlan(t: TestApp, w: World, followUpDays = 1): Promise<{ id: string; version: number }> {
  const c = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId));
  const session = await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/sessions`, {
    startsAt: new Date(Date.now() + 3600_000).toISOString(),
    endsAt: new Date(Date.now() + 7200_000).toISOString(),
  });
  let v = 1;
  const send = async (token: string, body: object) =>
    (v = (await call(t, token, 'post', `/cases/${c.id}/events`, { ...body, expectedVersion: v }, 200)).version);
  await send(w.referrer.token, { type: 'SUBMIT' });
  await send(w.coordinator.token, { type: 'ACCEPT' });
  await send(w.referrer.token, {
    type: 'RECORD_CONSENT',
    decision: 'granted',
    informedAt: new Date().toISOString(),
    method: 'oral',
    scope: [{ sector: 'housing', classes: ['identity'] }],
  });
  await send(w.coordinator.token, { type: 'SCHEDULE', sessionId: session.id });
  await call(t, w.coordinator.token, 'post', `/sessions/${session.id}/open`, {}, 200);
  await send(w.coordinator.token, { type: 'START_REVIEW' });
  await send(w.coordinator.token, {
    type: 'ADOPT_PLAN',
    actions: [{ title: 'Visite conjointe', ownerOrganisationId: w.orgs.housing, dueAt: new Date(Date.now() + 86400_000).toISOString() }],
    followUpAt: new Date(Date.now() + followUpDays * DAY).toISOString(),
  });
  return { id: c.id, version: v };
}

// Each test moves the server's clock (years, for retention), so each gets its own app and database.
describe('scheduled lifecycle events', () => {
  let t: TestApp;
  let w: World;
  beforeEach(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterEach(async () => {
    await t?.close();
  });

  it("runs the audit log's purge as a task of the queue: nothing past the retention yet, nothing purged", async () => {
    expect(await t.scheduler.runOnce('audit-purge')).toBe(0);
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'audit.purge'`)).toEqual([{ n: 0 }]);
  });

  it('sends FOLLOW_UP_DUE as the system once the follow-up date is reached, and only then', async () => {
    const due = await toPlan(t, w, 1);
    const notYet = await toPlan(t, w, 30);
    expect(await t.scheduler.runOnce('follow-up-due')).toBe(0);
    t.clock.advanceDays(2);
    expect(await t.scheduler.runOnce('follow-up-due')).toBe(1);
    const moved = await call(t, w.coordinator.token, 'get', `/cases/${due.id}`);
    expect(moved.state).toBe('follow_up');
    expect(moved.version).toBe(due.version + 1);
    expect((await call(t, w.coordinator.token, 'get', `/cases/${notYet.id}`)).state).toBe('plan_active');
    const history = await call(t, w.coordinator.token, 'get', `/cases/${due.id}/history`);
    const last = history[history.length - 1];
    expect(last).toMatchObject({ event: 'FOLLOW_UP_DUE', from: 'plan_active', to: 'follow_up', actorOrganisationId: null });
    // A second round finds nothing left to do.
    expect(await t.scheduler.runOnce('follow-up-due')).toBe(0);
  });

  it('purges a closed case at the end of retention: protected classes shredded, statistics kept', async () => {
    const c = await toPlan(t, w);
    const v = (await call(t, w.coordinator.token, 'post', `/cases/${c.id}/events`, { type: 'FOLLOW_UP_DUE', expectedVersion: c.version }, 200)).version;
    await call(t, w.coordinator.token, 'post', `/cases/${c.id}/events`, { type: 'CLOSE', outcome: 'resolved', expectedVersion: v }, 200);
    expect(await t.scheduler.runOnce('retention-purge')).toBe(0);
    t.clock.advanceDays(729);
    expect(await t.scheduler.runOnce('retention-purge')).toBe(0);
    t.clock.advanceDays(2);
    expect(await t.scheduler.runOnce('retention-purge')).toBe(1);
    const [row] = await t.db.dataSource.query(`SELECT state, problems, identity_index FROM cases WHERE id = $1`, [c.id]);
    expect(row).toEqual({ state: 'purged', problems: ['housing', 'care_continuity'], identity_index: null });
    const [key] = await t.db.dataSource.query(`SELECT wrapped_key, destroyed_at FROM case_keys WHERE case_id = $1`, [c.id]);
    expect(key.wrapped_key).toBeNull();
    expect(key.destroyed_at).not.toBeNull();
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM case_fields WHERE case_id = $1 AND class IN ('identity','health','social')`, [
      c.id,
    ]);
    expect(n).toBe(0);
    const view = await call(t, w.referrer.token, 'get', `/cases/${c.id}`);
    expect(view.identity).toBeUndefined();
    expect(view.erased).toEqual(expect.arrayContaining(['identity', 'health', 'social']));
  });

  it('purges a case left open without activity for the retention period, and takes it off open agendas', async () => {
    const active = await toPlan(t, w);
    // A case scheduled on a session not held yet, then forgotten for three years.
    const c = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId));
    let v = 1;
    const send = async (token: string, body: object) =>
      (v = (await call(t, token, 'post', `/cases/${c.id}/events`, { ...body, expectedVersion: v }, 200)).version);
    await send(w.referrer.token, { type: 'SUBMIT' });
    await send(w.coordinator.token, { type: 'ACCEPT' });
    await send(w.referrer.token, { type: 'RECORD_CONSENT', decision: 'granted', informedAt: new Date().toISOString(), method: 'oral' });
    const session = await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/sessions`, {
      startsAt: new Date(Date.now() + 86400_000).toISOString(),
      endsAt: new Date(Date.now() + 90000_000).toISOString(),
    });
    await send(w.coordinator.token, { type: 'SCHEDULE', sessionId: session.id });
    expect(await t.scheduler.runOnce('retention-purge')).toBe(0);

    t.clock.advanceDays(3 * 365);
    // The other case had some activity meanwhile: an update of one of its actions.
    const [action] = (await call(t, w.coordinator.token, 'get', `/cases/${active.id}`)).plan.actions;
    await call(t, w.housingOfficer.token, 'patch', `/cases/${active.id}/actions/${action.id}`, { status: 'in_progress' }, 200);
    expect(await t.scheduler.runOnce('retention-purge')).toBe(1);

    const [row] = await t.db.dataSource.query(
      `SELECT state, session_id AS "sessionId", identity_index AS "identityIndex", closed_at AS "closedAt" FROM cases WHERE id = $1`,
      [c.id],
    );
    expect(row).toEqual({ state: 'purged', sessionId: null, identityIndex: null, closedAt: null });
    const [agenda] = await t.db.dataSource.query(`SELECT removed_at FROM agenda_items WHERE case_id = $1 AND session_id = $2`, [c.id, session.id]);
    expect(agenda.removed_at).not.toBeNull();
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM case_fields WHERE case_id = $1 AND class IN ('identity','health','social')`, [
      c.id,
    ]);
    expect(n).toBe(0);
    const history = await call(t, w.coordinator.token, 'get', `/cases/${c.id}/history`);
    expect(history[history.length - 1]).toMatchObject({ event: 'PURGE', from: 'scheduled', to: 'purged', actorOrganisationId: null });
    const view = await call(t, w.referrer.token, 'get', `/cases/${c.id}`);
    expect(view.erased).toEqual(expect.arrayContaining(['identity', 'health', 'social']));
    expect(view.allowedEvents).toEqual([]);
    const [{ closure }] = await t.db.dataSource.query(`SELECT closure FROM cases WHERE id = $1`, [c.id]);
    expect(closure).toBe('expired'); // counted apart in GET /stats
    // A case with recent activity is left alone.
    expect((await call(t, w.coordinator.token, 'get', `/cases/${active.id}`)).state).toBe('plan_active');
    expect(await t.scheduler.runOnce('retention-purge')).toBe(0);
  });

  it('checks again, under the row lock, that the case is still due: a case that moved since it was chosen is left', async () => {
    const c = await toPlan(t, w);
    const workflow = t.app.get(WorkflowService);
    await expect(workflow.sendAsSystem(c.id, 'PURGE', { stillDue: async () => false })).rejects.toMatchObject({ code: 'event_not_allowed' });
    const view = await call(t, w.coordinator.token, 'get', `/cases/${c.id}`);
    expect(view).toMatchObject({ state: 'plan_active', version: c.version });
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM case_fields WHERE case_id = $1 AND class = 'identity'`, [c.id]);
    expect(n).toBeGreaterThan(0);
  });
});
