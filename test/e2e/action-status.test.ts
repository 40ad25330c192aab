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

  it('refuses « blocked » without a reason, naming the field, and writes nothing', async () => {
    const res = await patch(w.housingOfficer.token, housingAction, { status: 'blocked', note: 'En attente' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'blockReason' })]);
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
    expect(res.body.blocages.filter((b: { kind: string }) => b.kind === 'blocked')).toEqual([
      { kind: 'blocked', reason: 'no_adapted_housing', sector: 'housing', count: 1 },
      { kind: 'blocked', reason: 'person_unreachable', sector: 'health', count: 1 },
    ]);
    const csv = await get(t, w.coordinator.token, `/stats?year=${year}&format=csv`);
    expect(csv.text).toContain('Bloquée — Pas de logement adapté — Logement (bailleur);1\r\n');
  });
});
