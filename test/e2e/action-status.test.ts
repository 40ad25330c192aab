/**
 * Issue 13, item 5: why an action is blocked. Blocking an action names a reason category; the
 * "blocages" table of the annual report counts blocked actions by that reason and the owner's sector.
 */
import { call, createWorldApp, type World } from '../factories/world.js';
import { caseIn, get, newSession, type CaseRef } from '../factories/lifecycle.js';
import type { TestApp } from '../support/app.js';

describe('blocking an action', () => {
  let t: TestApp;
  let w: World;
  let c: CaseRef;
  let housingAction: string;
  let healthAction: string;
  const patch = (token: string, actionId: string, body: object) =>
    t.http().patch(`/cases/${c.id}/actions/${actionId}`).set('authorization', `Bearer ${token}`).send(body);
  const planOf = async () =>
    (await call(t, w.coordinator.token, 'get', `/cases/${c.id}`)).plan.actions as { id: string; status: string; blockReason: string | null }[];

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    const sessionId = await newSession(t, w, { open: true, startInDays: 0 });
    c = await caseIn(t, w, 'plan_active', sessionId);
    const actions = await planOf();
    const view = await call(t, w.coordinator.token, 'get', `/cases/${c.id}`);
    const owned = (org: string) => view.plan.actions.find((a: { ownerOrganisationId: string }) => a.ownerOrganisationId === org).id as string;
    housingAction = owned(w.orgs.housing);
    healthAction = owned(w.orgs.health);
    expect(actions.map((a) => a.blockReason)).toEqual([null, null]);
  });
  afterAll(async () => {
    await t?.close();
  });

  // « blocked » with no reason at all, API.md's form, is blocked for `other`: test/e2e/contract.test.ts.
  it('refuses an unknown reason, naming the field, and writes nothing', async () => {
    const unknown = await patch(w.housingOfficer.token, housingAction, { status: 'blocked', blockReason: 'bad_weather' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'blockReason' })]);
    const [row] = await t.db.dataSource.query(`SELECT status, block_reason, jsonb_array_length(notes) AS notes FROM actions WHERE id = $1`, [housingAction]);
    expect(row).toEqual({ status: 'todo', block_reason: null, notes: 0 });
  });

  it('refuses a reason with another status (400 on blockReason)', async () => {
    const res = await patch(w.housingOfficer.token, housingAction, { status: 'in_progress', blockReason: 'no_adapted_housing' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'blockReason' })]);
  });

  it('records the reason, shows it on the plan and the action lists, and clears it when the action moves on', async () => {
    const res = await patch(w.housingOfficer.token, housingAction, { status: 'blocked', blockReason: 'no_adapted_housing' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: housingAction, status: 'blocked', blockReason: 'no_adapted_housing' });
    expect((await planOf()).find((a) => a.id === housingAction)).toMatchObject({ status: 'blocked', blockReason: 'no_adapted_housing' });
    const mine = await call(t, w.housingOfficer.token, 'get', '/actions?mine=true');
    expect(mine.items).toEqual([expect.objectContaining({ id: housingAction, blockReason: 'no_adapted_housing' })]);

    expect((await patch(w.psychiatrist.token, healthAction, { status: 'blocked', blockReason: 'care_waiting_list' })).status).toBe(200);
    const moved = await patch(w.psychiatrist.token, healthAction, { status: 'in_progress' });
    expect(moved.body).toMatchObject({ status: 'in_progress', blockReason: null });
    expect((await patch(w.psychiatrist.token, healthAction, { status: 'blocked', blockReason: 'person_unreachable' })).status).toBe(200);
  });

  it('counts blocked actions by their reason and owner sector in the blocages table', async () => {
    const year = t.clock.now().getUTCFullYear();
    const res = await get(t, w.coordinator.token, `/stats?year=${year}`);
    expect(res.status).toBe(200);
    // The CMP's action was blocked twice, for two reasons: it counts under each (once per reason).
    expect(res.body.blocages.filter((b: { kind: string }) => b.kind === 'blocked')).toEqual([
      { kind: 'blocked', reason: 'care_waiting_list', sector: 'health', count: 1 },
      { kind: 'blocked', reason: 'no_adapted_housing', sector: 'housing', count: 1 },
      { kind: 'blocked', reason: 'person_unreachable', sector: 'health', count: 1 },
    ]);
    expect(res.body.actions).toMatchObject({ done: 0, blocked: 2 });
    const csv = await get(t, w.coordinator.token, `/stats?year=${year}&format=csv`);
    expect(csv.text).toContain('Bloquée — Pas de logement adapté — Logement (bailleur);1\r\n');
  });

  it('records each change of status, with its date, and counts done and blocked actions in the year of the change', async () => {
    const year = t.clock.now().getUTCFullYear();
    expect((await patch(w.psychiatrist.token, healthAction, { status: 'done' })).status).toBe(200);
    const changes = async (actionId: string) =>
      (
        await t.db.dataSource.query(
          `SELECT status, block_reason AS "blockReason", by_user_id AS "by" FROM action_status_changes WHERE action_id = $1 ORDER BY id`,
          [actionId],
        )
      ).map((r: { status: string; blockReason: string | null; by: string }) => [r.status, r.blockReason, r.by]);
    const cmp = w.psychiatrist.id;
    expect(await changes(healthAction)).toEqual([
      ['blocked', 'care_waiting_list', cmp],
      ['in_progress', null, cmp],
      ['blocked', 'person_unreachable', cmp],
      ['done', null, cmp],
    ]);
    // A note alone changes no status: nothing recorded.
    expect((await patch(w.coordinator.token, healthAction, { status: 'done', note: 'Rendez-vous honoré' })).status).toBe(200);
    expect(await changes(healthAction)).toHaveLength(4);

    // In February of the next year, a note on each: their last update moves to that year, their changes of status do not.
    t.clock.advance(Date.UTC(year + 1, 1, 1) - t.clock.now().getTime());
    expect((await patch(w.coordinator.token, healthAction, { status: 'done', note: 'Bilan : suivi au CMP en place' })).status).toBe(200);
    expect(
      (await patch(w.housingOfficer.token, housingAction, { status: 'blocked', blockReason: 'no_adapted_housing', note: 'Toujours en attente' })).status,
    ).toBe(200);
    expect(await changes(housingAction)).toEqual([['blocked', 'no_adapted_housing', w.housingOfficer.id]]);
    const [{ updated }] = await t.db.dataSource.query(`SELECT extract(year FROM updated_at AT TIME ZONE 'UTC')::int AS updated FROM actions WHERE id = $1`, [
      healthAction,
    ]);
    expect(updated).toBe(year + 1);

    const then = (await get(t, w.coordinator.token, `/stats?year=${year}`)).body;
    expect(then.actions).toMatchObject({ done: 1, blocked: 2 });
    const next = (await get(t, w.coordinator.token, `/stats?year=${year + 1}`)).body;
    expect(next.actions).toMatchObject({ done: 0, blocked: 0 });
    expect(next.blocages).toEqual([]);

    // Moved on in the next year: counted in that year.
    expect((await patch(w.housingOfficer.token, housingAction, { status: 'done' })).status).toBe(200);
    expect((await get(t, w.coordinator.token, `/stats?year=${year + 1}`)).body.actions).toMatchObject({ done: 1, blocked: 0 });
  });
});
