/**
 * What the member's and the coordinator's screens read besides the situations themselves: the
 * caller's ties to commissions and sessions ("my sessions", the charter first), the invitations
 * of a session, and the actions of running plans (an organisation's to-do list, the coordinator's
 * overdue actions), decided row by row as the situation list is.
 */
import { call, createWorld, createWorldApp, type World } from '../factories/world.js';
import { caseIn, get, inDays, newSession, plan, step, type CaseRef } from '../factories/lifecycle.js';
import { type TestApp } from '../support/app.js';

interface ActionItem {
  id: string;
  caseId: string;
  reference: string;
  caseState: string;
  title: string;
  ownerOrganisationId: string;
  overdue: boolean;
  status: string;
}

describe('the reads of the member and coordinator screens', () => {
  let t: TestApp;
  let w: World;
  let other: World;
  let session: string;
  let running: CaseRef;
  /** Still on the open agenda (its plan not adopted): an invitation is for such a situation. */
  let waiting: CaseRef;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    other = await createWorld(t);
    session = await newSession(t, w, { open: true, startInDays: 0 });
    await call(t, w.psychiatrist.token, 'post', `/sessions/${session}/attendance`);
    // A plan whose first action is already late.
    running = await caseIn(t, w, 'in_review', session);
    const body = plan(w);
    (body.actions as { dueAt: string }[])[0].dueAt = inDays(-2);
    await step(t, w.coordinator.token, running, 'ADOPT_PLAN', body);
    waiting = await caseIn(t, w, 'in_review', session);
  });
  afterAll(async () => {
    await t?.close();
  });

  const actions = async (token: string, query = '') => {
    const res = await get(t, token, `/actions${query}`);
    expect(res.status).toBe(200);
    return (res.body as { items: ActionItem[] }).items;
  };

  it('lists the commissions with the caller’s ties: member, invited, current charter accepted', async () => {
    const mine = (await call(t, w.psychiatrist.token, 'get', '/commissions')) as Record<string, unknown>[];
    expect(mine).toEqual([expect.objectContaining({ id: w.commissionId, charterVersion: 1, member: true, invited: false, acceptedCurrentCharter: true })]);
    const referrer = (await call(t, w.referrer.token, 'get', '/commissions')) as Record<string, unknown>[];
    expect(referrer).toEqual([expect.objectContaining({ id: w.commissionId, member: false, invited: false, acceptedCurrentCharter: false })]);
    // A new charter version must be accepted again.
    const fresh = (await call(t, w.coordinator.token, 'post', '/commissions', { territoryId: w.territoryId, name: 'Cellule Est' })).id as string;
    await call(t, w.coordinator.token, 'post', `/commissions/${fresh}/members`, { userId: w.townOfficer.id });
    await call(t, w.coordinator.token, 'put', `/commissions/${fresh}/charter`, { version: 1, text: 'Charte v1' }, 200);
    await call(t, w.townOfficer.token, 'post', `/commissions/${fresh}/charter/accept`, { version: 1 });
    await call(t, w.coordinator.token, 'put', `/commissions/${fresh}/charter`, { version: 2, text: 'Charte v2' }, 200);
    const town = (await call(t, w.townOfficer.token, 'get', '/commissions')) as { id: string; acceptedCurrentCharter: boolean; charterVersion: number }[];
    expect(town.find((c) => c.id === fresh)).toMatchObject({ charterVersion: 2, acceptedCurrentCharter: false });
    const charter = await call(t, w.townOfficer.token, 'get', `/commissions/${fresh}/charter`);
    expect(charter).toMatchObject({ version: 2, text: 'Charte v2', acceptedAt: null });
  });

  it('lists the sessions with their agenda size and the caller’s attendance and invitation', async () => {
    const planned = await newSession(t, w, { startInDays: 10 });
    await call(t, w.coordinator.token, 'post', `/sessions/${session}/invitations`, { userId: w.otherReferrer.id, caseId: waiting.id });
    const rows = async (token: string) =>
      (await call(t, token, 'get', `/commissions/${w.commissionId}/sessions`)) as {
        id: string;
        agendaCount: number;
        invited: boolean;
        attendanceRecorded: boolean;
      }[];
    const psychiatrist = await rows(w.psychiatrist.token);
    expect(psychiatrist.find((s) => s.id === session)).toMatchObject({ status: 'open', agendaCount: 2, invited: false, attendanceRecorded: true });
    expect(psychiatrist.find((s) => s.id === planned)).toMatchObject({ status: 'planned', agendaCount: 0, invited: false, attendanceRecorded: false });
    const invited = await rows(w.otherReferrer.token);
    expect(invited.find((s) => s.id === session)).toMatchObject({ invited: true, attendanceRecorded: false });
    expect(invited.find((s) => s.id === planned)).toMatchObject({ invited: false });
  });

  it('shows the coordinator who is invited, for which situation, and who could be', async () => {
    const res = await call(t, w.coordinator.token, 'get', `/sessions/${session}/invitations`);
    expect(res.items).toEqual([
      expect.objectContaining({
        userId: w.otherReferrer.id,
        displayName: 'other-referrer',
        caseId: waiting.id,
        reference: waiting.reference,
        attendanceRecorded: false,
      }),
    ]);
    const candidates = (res.candidates as { userId: string }[]).map((c) => c.userId);
    // Referrers and members of the territory who are not members of the commission; never a
    // coordinator, an auditor, an admin, nor anyone of another territory.
    expect(candidates).toEqual(expect.arrayContaining([w.referrer.id, w.otherReferrer.id]));
    for (const excluded of [w.psychiatrist, w.housingOfficer, w.townOfficer, w.coordinator, w.auditor, w.admin, other.referrer, other.psychiatrist]) {
      expect(candidates).not.toContain(excluded.id);
    }
    expect(JSON.stringify(res)).not.toMatch(/Zéphyrin|Anatole|1957/);
    for (const who of [w.psychiatrist, w.referrer, w.auditor]) expect((await get(t, who.token, `/sessions/${session}/invitations`)).status).toBe(403);
    expect((await get(t, other.coordinator.token, `/sessions/${session}/invitations`)).status).toBe(404);
  });

  it('gives each organisation its own actions, with due dates and the overdue mark', async () => {
    const health = await actions(w.psychiatrist.token, '?mine=true');
    expect(health.map((a) => [a.reference, a.ownerOrganisationId, a.overdue, a.status])).toEqual([[running.reference, w.orgs.health, true, 'todo']]);
    const housing = await actions(w.housingOfficer.token, '?mine=true');
    expect(housing.map((a) => [a.ownerOrganisationId, a.overdue])).toEqual([[w.orgs.housing, false]]);
    // The town owns nothing and attends nothing: nothing to list.
    expect(await actions(w.townOfficer.token)).toEqual([]);
    // The attending psychiatrist reads the whole plan of the situations under review; "mine" narrows it.
    expect((await actions(w.psychiatrist.token)).length).toBe(2);
    expect(JSON.stringify(health)).not.toMatch(/Zéphyrin|Anatole|1957/);
  });

  it('gives the coordinator the overdue actions of the territory, and the referrer those of their situations', async () => {
    const all = await actions(w.coordinator.token);
    expect(all.map((a) => a.caseId)).toEqual([running.id, running.id]);
    const late = await actions(w.coordinator.token, '?overdue=true');
    expect(late.map((a) => [a.reference, a.ownerOrganisationId])).toEqual([[running.reference, w.orgs.health]]);
    // The coordinator's organisation owns none.
    expect(await actions(w.coordinator.token, '?mine=true')).toEqual([]);
    expect((await actions(w.referrer.token)).length).toBe(2);
    expect(await actions(other.coordinator.token)).toEqual([]);
    expect(await actions(other.psychiatrist.token, '?mine=true')).toEqual([]);
    expect((await get(t, w.coordinator.token, '/actions?overdue=yes')).status).toBe(400);
  });

  it('drops an action once it is done from the overdue list, and a closed situation’s actions altogether', async () => {
    const [late] = await actions(w.coordinator.token, '?overdue=true');
    const res = await t
      .http()
      .patch(`/cases/${running.id}/actions/${late.id}`)
      .set('authorization', `Bearer ${w.psychiatrist.token}`)
      .send({ status: 'done', note: 'Rendez-vous pris au CMP' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: late.id, status: 'done', overdue: false });
    expect(await actions(w.coordinator.token, '?overdue=true')).toEqual([]);
    await step(t, w.coordinator.token, running, 'FOLLOW_UP_DUE');
    expect((await actions(w.housingOfficer.token, '?mine=true')).map((a) => a.caseState)).toEqual(['follow_up']);
    await step(t, w.coordinator.token, running, 'CLOSE', { outcome: 'improved' });
    expect(await actions(w.housingOfficer.token, '?mine=true')).toEqual([]);
    expect(await actions(w.coordinator.token)).toEqual([]);
  });
});
