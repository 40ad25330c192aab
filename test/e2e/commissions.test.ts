/**
 * Commissions, charter, sessions, attendance, dossier, and the action plan's updates.
 */
import type { Response } from 'supertest';
import { type TestApp } from '../support/app.js';
import { type Account, call, createWorldApp, type World } from '../factories/world.js';
import { caseIn, get, grantedConsent, inDays, mentionsIdentity, newSession, step, type CaseRef } from '../factories/lifecycle.js';

function expectStatus(res: Response, status: number) {
  expect(res.status).toBe(status);
  if (status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

describe('commissions, sessions and action plans', () => {
  let t: TestApp;
  let w: World;
  let coord: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    coord = w.coordinator.token;
  });
  afterAll(async () => {
    await t?.close();
  });

  const as = (account: Account | string) => (typeof account === 'string' ? account : account.token);
  const post = (who: Account | string, url: string, body?: object) =>
    t
      .http()
      .post(url)
      .set('authorization', `Bearer ${as(who)}`)
      .send(body);
  const put = (who: Account | string, url: string, body?: object) =>
    t
      .http()
      .put(url)
      .set('authorization', `Bearer ${as(who)}`)
      .send(body);
  const patch = (who: Account | string, url: string, body?: object) =>
    t
      .http()
      .patch(url)
      .set('authorization', `Bearer ${as(who)}`)
      .send(body);

  describe('a new commission: members, charter, sessions, attendance', () => {
    let commissionId: string;

    beforeAll(async () => {
      const res = await post(coord, '/commissions', { territoryId: w.territoryId, name: 'Cellule Sud' });
      expectStatus(res, 201);
      commissionId = res.body.id;
    });

    it('adds members (coordinator only, member role only)', async () => {
      expectStatus(await post(coord, `/commissions/${commissionId}/members`, { userId: w.psychiatrist.id }), 201);
      expectStatus(await post(coord, `/commissions/${commissionId}/members`, { userId: w.housingOfficer.id }), 201);
      const notMember = await post(coord, `/commissions/${commissionId}/members`, { userId: w.referrer.id });
      expectStatus(notMember, 400);
      expect(notMember.body.errors).toEqual([expect.objectContaining({ field: 'userId' })]);
      expectStatus(await post(w.referrer, `/commissions/${commissionId}/members`, { userId: w.townOfficer.id }), 403);
      expectStatus(await post(w.psychiatrist, `/commissions/${commissionId}/members`, { userId: w.townOfficer.id }), 403);

      const members = await call(t, coord, 'get', `/commissions/${commissionId}/members`);
      expect(members.map((m: { userId: string }) => m.userId).sort()).toEqual([w.psychiatrist.id, w.housingOfficer.id].sort());
      expect(members.every((m: { acceptedCurrentCharter: boolean }) => m.acceptedCurrentCharter === false)).toBe(true);
    });

    it('publishes charter versions in order only (409 on a wrong next version)', async () => {
      const skip = await put(coord, `/commissions/${commissionId}/charter`, { version: 2, text: 'Charte v2' });
      expectStatus(skip, 409);
      expect(skip.body.expectedVersion).toBe(1);
      expectStatus(await put(coord, `/commissions/${commissionId}/charter`, { version: 1, text: 'Charte de confidentialité v1' }), 200);
      expectStatus(await put(coord, `/commissions/${commissionId}/charter`, { version: 1, text: 'Charte v1 bis' }), 409);
      expectStatus(await put(coord, `/commissions/${commissionId}/charter`, { version: 3, text: 'Charte v3' }), 409);
      expectStatus(await put(w.psychiatrist, `/commissions/${commissionId}/charter`, { version: 2, text: 'Charte v2' }), 403);
      expectStatus(await put(coord, `/commissions/${commissionId}/charter`, { version: 2, text: 'Charte de confidentialité v2' }), 200);
      const charter = await call(t, w.psychiatrist.token, 'get', `/commissions/${commissionId}/charter`);
      expect(charter).toMatchObject({ version: 2, text: 'Charte de confidentialité v2', acceptedAt: null });
    });

    it('records acceptance of the current version by a member only', async () => {
      expectStatus(await post(w.referrer, `/commissions/${commissionId}/charter/accept`, { version: 2 }), 403);
      expectStatus(await post(w.townOfficer, `/commissions/${commissionId}/charter/accept`, { version: 2 }), 403);
      const old = await post(w.psychiatrist, `/commissions/${commissionId}/charter/accept`, { version: 1 });
      expectStatus(old, 409);
      expect(old.body.currentVersion).toBe(2);
      expectStatus(await post(w.psychiatrist, `/commissions/${commissionId}/charter/accept`, { version: 2 }), 201);
      const members = await call(t, coord, 'get', `/commissions/${commissionId}/members`);
      const accepted = Object.fromEntries(members.map((m: { userId: string; acceptedCurrentCharter: boolean }) => [m.userId, m.acceptedCurrentCharter]));
      expect(accepted).toEqual({ [w.psychiatrist.id]: true, [w.housingOfficer.id]: false });
    });

    it('opens and closes sessions forward only (409 otherwise)', async () => {
      const bad = await post(coord, `/commissions/${commissionId}/sessions`, { startsAt: inDays(2), endsAt: inDays(1) });
      expectStatus(bad, 400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'endsAt' })]);
      expectStatus(await post(w.psychiatrist, `/commissions/${commissionId}/sessions`, { startsAt: inDays(1), endsAt: inDays(1.1) }), 403);

      const created = await post(coord, `/commissions/${commissionId}/sessions`, { startsAt: inDays(1), endsAt: inDays(1.1) });
      expectStatus(created, 201);
      expect(created.body).toMatchObject({ id: expect.any(String), status: 'planned' });
      const id = created.body.id;
      const early = await post(coord, `/sessions/${id}/close`);
      expectStatus(early, 409);
      expect(early.body).toMatchObject({ status: 409, sessionStatus: 'planned' });
      expectStatus(await post(w.psychiatrist, `/sessions/${id}/open`), 403);
      const opened = await post(coord, `/sessions/${id}/open`);
      expectStatus(opened, 200);
      expect(opened.body).toMatchObject({ id, status: 'open' });
      expectStatus(await post(coord, `/sessions/${id}/open`), 409);
      const closed = await post(coord, `/sessions/${id}/close`);
      expectStatus(closed, 200);
      expect(closed.body).toMatchObject({ id, status: 'closed' });
      expectStatus(await post(coord, `/sessions/${id}/close`), 409);
      expectStatus(await post(coord, `/sessions/${id}/open`), 409);
      // Nobody attends a closed session.
      const late = await post(w.psychiatrist, `/sessions/${id}/attendance`);
      expectStatus(late, 409);
      expect(late.body).toMatchObject({ status: 409, sessionStatus: 'closed' });
      const sessions = await call(t, coord, 'get', `/commissions/${commissionId}/sessions`);
      expect(sessions.find((s: { id: string }) => s.id === id)).toMatchObject({ status: 'closed' });
    });

    it('refuses attendance before the current charter is accepted (403), and to non-members', async () => {
      const session = await call(t, coord, 'post', `/commissions/${commissionId}/sessions`, { startsAt: inDays(0), endsAt: inDays(0.1) });
      await call(t, coord, 'post', `/sessions/${session.id}/open`, undefined, 200);
      const before = await post(w.housingOfficer, `/sessions/${session.id}/attendance`);
      expectStatus(before, 403);
      expect(before.body.detail).toMatch(/charter/i);
      expectStatus(await post(w.townOfficer, `/sessions/${session.id}/attendance`), 403);

      await call(t, w.housingOfficer.token, 'post', `/commissions/${commissionId}/charter/accept`, { version: 2 });
      const after = await post(w.housingOfficer, `/sessions/${session.id}/attendance`);
      expectStatus(after, 201);
      expect(after.body).toMatchObject({ sessionId: session.id, userId: w.housingOfficer.id, charterVersion: 2 });

      // A new charter version must be accepted again before the next attendance.
      await call(t, coord, 'put', `/commissions/${commissionId}/charter`, { version: 3, text: 'Charte v3' }, 200);
      expectStatus(await post(w.psychiatrist, `/sessions/${session.id}/attendance`), 403);
      await call(t, w.psychiatrist.token, 'post', `/commissions/${commissionId}/charter/accept`, { version: 3 });
      expectStatus(await post(w.psychiatrist, `/sessions/${session.id}/attendance`), 201);
    });
  });

  describe('the session dossier', () => {
    let sessionId: string;
    let c: CaseRef;

    beforeAll(async () => {
      sessionId = await newSession(t, w);
      c = await caseIn(t, w, 'ready_for_review');
      await step(t, coord, c, 'SCHEDULE', { sessionId });
    });

    it('opens, while the session is planned, to the members who accepted the charter within the days before it (lifecycle.yaml: 7)', async () => {
      // The session starts in 7 days: its dossier is open to prepare it.
      const early = await get(t, w.psychiatrist.token, `/sessions/${sessionId}/dossier`);
      expectStatus(early, 200);
      expect(early.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
      expect(mentionsIdentity(early.body)).toEqual([]);
      // A member may record their presence ahead; it counts once the session is opened.
      expectStatus(await post(w.psychiatrist, `/sessions/${sessionId}/attendance`), 201);
      // Not to the referrer, who is not a member; nor to anyone for a session further away.
      expectStatus(await get(t, w.referrer.token, `/sessions/${sessionId}/dossier`), 403);
      const later = await newSession(t, w, { startInDays: 10 });
      expectStatus(await get(t, w.psychiatrist.token, `/sessions/${later}/dossier`), 403);
    });

    it('is 403 to a member who has not recorded attendance at the open session, and to the referrer', async () => {
      await call(t, coord, 'post', `/sessions/${sessionId}/open`, undefined, 200);
      expectStatus(await get(t, w.housingOfficer.token, `/sessions/${sessionId}/dossier`), 403);
      expectStatus(await get(t, w.referrer.token, `/sessions/${sessionId}/dossier`), 403);
      // Not attending: the case itself does not exist for this member.
      expectStatus(await get(t, w.housingOfficer.token, `/cases/${c.id}`), 404);
    });

    it('is 200 with the pseudonymised summaries once open and attended', async () => {
      expectStatus(await post(w.housingOfficer, `/sessions/${sessionId}/attendance`), 201);
      const res = await get(t, w.housingOfficer.token, `/sessions/${sessionId}/dossier`);
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ sessionId, status: 'open' });
      expect(res.body.items).toHaveLength(1);
      const [item] = res.body.items;
      expect(item).toMatchObject({ id: c.id, reference: c.reference, state: 'scheduled', relations: ['attending_member'] });
      expect(item.summary).toMatchObject({ ageBand: '60-69', household: 'alone', problems: ['housing', 'care_continuity'], question: expect.any(String) });
      // The consent names the health sector only: the landlord gets no identity and no health.
      expect(item.identity).toBeUndefined();
      expect(item.health).toBeUndefined();
      expect(mentionsIdentity(res.body)).toEqual([]);

      // Every attendee gets the same agenda (what else each receives is the secrecy suite's subject).
      const cmp = await get(t, w.psychiatrist.token, `/sessions/${sessionId}/dossier`);
      expectStatus(cmp, 200);
      expect(cmp.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
      expect(cmp.body.items[0].summary.question).toBe(item.summary.question);
    });

    it('stays readable to its attendees once the session is closed, until its record is closed; the case itself is not', async () => {
      await call(t, coord, 'post', `/sessions/${sessionId}/close`, undefined, 200);
      expectStatus(await get(t, w.housingOfficer.token, `/sessions/${sessionId}/dossier`), 200);
      // A member who did not attend no longer reads it once the session is held.
      expectStatus(await get(t, w.townOfficer.token, `/sessions/${sessionId}/dossier`), 403);
      expectStatus(await get(t, w.housingOfficer.token, `/cases/${c.id}`), 404);
      await call(t, coord, 'post', `/sessions/${sessionId}/record/close`, undefined, 200);
      expectStatus(await get(t, w.housingOfficer.token, `/sessions/${sessionId}/dossier`), 403);
    });
  });

  describe('action plan updates', () => {
    let sessionId: string;
    let c: CaseRef;
    let healthAction: string;
    let housingAction: string;

    beforeAll(async () => {
      sessionId = await newSession(t, w, { open: true, startInDays: 0 });
      // The town officer attends the session that adopts the plan but owns no action.
      await call(t, w.townOfficer.token, 'post', `/sessions/${sessionId}/attendance`);
      c = await caseIn(t, w, 'plan_active', sessionId);
      const view = await call(t, coord, 'get', `/cases/${c.id}`);
      healthAction = view.plan.actions.find((a: { ownerOrganisationId: string }) => a.ownerOrganisationId === w.orgs.health).id;
      housingAction = view.plan.actions.find((a: { ownerOrganisationId: string }) => a.ownerOrganisationId === w.orgs.housing).id;
    });

    const url = (actionId: string) => `/cases/${c.id}/actions/${actionId}`;

    it('lets the owning organisation update its action (200)', async () => {
      const res = await patch(w.housingOfficer, url(housingAction), { status: 'in_progress', note: 'Premier rendez-vous fixé avec la famille' });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ id: housingAction, status: 'in_progress', overdue: false });
    });

    it('lets the coordinator update any action (200)', async () => {
      const res = await patch(coord, url(healthAction), { status: 'done' });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ id: healthAction, status: 'done' });
    });

    it('refuses another member: an owner of another action (403); one whose only action is done, an attendee of the adopting session (404)', async () => {
      expectStatus(await patch(w.housingOfficer, url(healthAction), { status: 'todo' }), 403);
      // Issue 10: ownership releases nothing once the organisation's action is done, and the case
      // left the session's open agenda when its plan was adopted: neither is related any more.
      expectStatus(await patch(w.psychiatrist, url(housingAction), { status: 'done' }), 404);
      expectStatus(await patch(w.townOfficer, url(housingAction), { status: 'done' }), 404);
      const view = await call(t, coord, 'get', `/cases/${c.id}`);
      const statuses = Object.fromEntries(view.plan.actions.map((a: { id: string; status: string }) => [a.id, a.status]));
      expect(statuses).toEqual({ [healthAction]: 'done', [housingAction]: 'in_progress' });
    });

    it('refuses an unknown status (400) and an unknown action (404)', async () => {
      const res = await patch(w.housingOfficer, url(housingAction), { status: 'forgotten' });
      expectStatus(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
      expectStatus(await patch(coord, url('00000000-0000-4000-8000-000000000000'), { status: 'done' }), 404);
    });

    it('derives overdue: due date past and status not done', async () => {
      // Both due dates move three days into the past (as time would pass).
      await t.db.dataSource.query(`UPDATE actions SET due_at = now() - interval '3 days' WHERE case_id = $1`, [c.id]);
      const overdue = async () => {
        const view = await call(t, coord, 'get', `/cases/${c.id}`);
        return Object.fromEntries(view.plan.actions.map((a: { id: string; overdue: boolean }) => [a.id, a.overdue]));
      };
      // The done action is not overdue; the one in progress is.
      expect(await overdue()).toEqual({ [healthAction]: false, [housingAction]: true });
      const owner = await call(t, w.housingOfficer.token, 'get', `/cases/${c.id}`);
      expect(owner.plan.actions.find((a: { id: string }) => a.id === housingAction).overdue).toBe(true);

      const done = await patch(w.housingOfficer, url(housingAction), { status: 'done' });
      expectStatus(done, 200);
      expect(done.body.overdue).toBe(false);
      expect(await overdue()).toEqual({ [healthAction]: false, [housingAction]: false });

      // Its only action done, the landlord no longer relates to the case (issue 10); the
      // coordinator may move the action back, and the landlord then sees it again.
      expectStatus(await patch(w.housingOfficer, url(housingAction), { status: 'blocked', blockReason: 'no_adapted_housing' }), 404);
      const reopened = await patch(coord, url(housingAction), { status: 'blocked', blockReason: 'no_adapted_housing' });
      expect(reopened.body.overdue).toBe(true);
      expectStatus(await get(t, w.housingOfficer.token, `/cases/${c.id}`), 200);
    });

    it('refuses updates once the case is closed (409)', async () => {
      await step(t, coord, c, 'FOLLOW_UP_DUE');
      await step(t, coord, c, 'CLOSE', { outcome: 'Plan mené à bien' });
      expectStatus(await patch(coord, url(healthAction), { status: 'todo' }), 409);
    });
  });

  it('renews consent without touching the plan', async () => {
    const sessionId = await newSession(t, w, { open: true, startInDays: 0 });
    const c = await caseIn(t, w, 'plan_active', sessionId);
    await step(t, w.referrer.token, c, 'RECORD_CONSENT', grantedConsent());
    const view = await call(t, coord, 'get', `/cases/${c.id}`);
    expect(view.state).toBe('plan_active');
    expect(view.plan.actions).toHaveLength(2);
  });
});
