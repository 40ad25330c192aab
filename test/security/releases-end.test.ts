/**
 * Issue 10, point 4: releases that outlive their reason. Each test is an insider who keeps
 * reading after the reason they were given the data ended: an attendee after the session's end
 * time, or after the plan was adopted; an action owner after their action is done, or after a new
 * plan replaced the one they were part of, or after the consent's validity; and the withdrawal,
 * which must not wait for the one account that wrote the referral.
 */
import { IDENTITY, call, createWorldApp, type World } from '../factories/world.js';
import { findNeedles, get, grantedConsent, patch, planActions, post, step, type CaseHandle } from '../factories/secrecy.js';
import { actionOf, attend, caseInReview, caseWithPlan, openSession } from '../factories/security.js';
import { type TestApp } from '../support/app.js';

const HOUSING_IDENTITY = [{ sector: 'housing' as const, classes: ['identity' as const] }];
const HEALTH = [{ sector: 'health' as const, classes: ['health' as const] }];

describe('security: a release ends with its reason', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });

  afterAll(async () => {
    await t?.close();
  });

  afterEach(() => t.clock.reset());

  it('stale session: after its end time the session closes by itself — once, audited — and its attendees stop seeing the cases (the dossier, until its record is closed)', async () => {
    const session = await openSession(t, w, 2);
    await attend(t, session.id, [w.psychiatrist.token]);
    const c = await caseInReview(t, w, session.id, HEALTH);
    expect((await get(t, w.psychiatrist.token, `/sessions/${session.id}/dossier`)).status).toBe(200);
    expect((await get(t, w.psychiatrist.token, `/cases/${c.id}`)).body.health).toBeDefined();

    t.clock.advance(session.endsAt.getTime() - Date.now() + 60_000);
    // Past its end time, the session releases no case, even before its job has closed it; its
    // dossier stays readable to its attendees until the coordinator closes its record (issue 12).
    expect((await get(t, w.psychiatrist.token, `/sessions/${session.id}/dossier`)).status).toBe(200);
    expect((await get(t, w.psychiatrist.token, `/cases/${c.id}`)).status).toBe(404);
    // Two replicas run the job at once, then again: the session is closed once.
    await Promise.all([t.scheduler.runOnce('session-end'), t.scheduler.runOnce('session-end')]);
    await t.scheduler.runOnce('session-end');
    const closings = await t.db.dataSource.query(
      `SELECT actor_id AS "actorId", purpose FROM audit_events WHERE action = 'session.close' AND detail->>'sessionId' = $1`,
      [session.id],
    );
    expect(closings).toEqual([{ actorId: null, purpose: 'end time reached' }]);

    expect((await get(t, w.psychiatrist.token, `/sessions/${session.id}/dossier`)).status).toBe(200);
    await call(t, w.coordinator.token, 'post', `/sessions/${session.id}/record/close`, undefined, 200);
    expect((await get(t, w.psychiatrist.token, `/sessions/${session.id}/dossier`)).status).toBe(403);
    const late = await get(t, w.psychiatrist.token, `/cases/${c.id}`);
    expect(late.status).toBe(404);
    expect(findNeedles(late.text, { health: 'Suivi CMP interrompu' })).toEqual([]);
    // An ended session cannot be opened again to release anything.
    const ended = await post(t, w.coordinator.token, `/commissions/${w.commissionId}/sessions`, {
      startsAt: new Date(t.clock.now().getTime() - 7_200_000).toISOString(),
      endsAt: new Date(t.clock.now().getTime() - 3_600_000).toISOString(),
    });
    expect((await post(t, w.coordinator.token, `/sessions/${ended.body.id}/open`)).status).toBe(409);
  });

  it('adopted plan: once the plan is adopted the case leaves the open agenda, and the attendees stop seeing it then', async () => {
    const session = await openSession(t, w);
    await attend(t, session.id, [w.psychiatrist.token, w.townOfficer.token]);
    const c = await caseInReview(t, w, session.id, HEALTH);
    expect((await get(t, w.townOfficer.token, `/cases/${c.id}`)).status).toBe(200);
    await step(t, w.coordinator.token, c, 'ADOPT_PLAN', { actions: planActions([w.orgs.housing]) });
    for (const attendee of [w.psychiatrist, w.townOfficer]) {
      const res = await get(t, attendee.token, `/cases/${c.id}`);
      expect(res.status).toBe(404);
      const dossier = await get(t, attendee.token, `/sessions/${session.id}/dossier`);
      expect((dossier.body.items as { id: string }[]).map((i) => i.id)).not.toContain(c.id);
    }
    // The session's record keeps that it was examined there.
    const agenda = await get(t, w.coordinator.token, `/sessions/${session.id}/agenda`);
    expect(agenda.body.items).toEqual([expect.objectContaining({ caseId: c.id, concludedAt: expect.any(String) })]);
  });

  it('finished action: once its action is done, the landlord no longer gets the identity the action needed', async () => {
    const session = await openSession(t, w);
    const c = await caseWithPlan(t, w, session.id, HOUSING_IDENTITY, [w.orgs.housing, w.orgs.health]);
    expect((await get(t, w.housingOfficer.token, `/cases/${c.id}`)).body.identity?.lastName).toBe(IDENTITY.lastName);
    const done = await patch(t, w.housingOfficer.token, `/cases/${c.id}/actions/${await actionOf(t, w, c.id, w.orgs.housing)}`, { status: 'done' });
    expect(done.status).toBe(200);
    const after = await get(t, w.housingOfficer.token, `/cases/${c.id}`);
    expect(after.status).toBe(404);
    expect(findNeedles(after.text, IDENTITY)).toEqual([]);
  });

  it('replaced plan: an owner of an action of the previous plan gets nothing once a new plan replaces it', async () => {
    const session = await openSession(t, w);
    const c = await caseWithPlan(t, w, session.id, HOUSING_IDENTITY, [w.orgs.housing]);
    expect((await get(t, w.housingOfficer.token, `/cases/${c.id}`)).body.identity?.lastName).toBe(IDENTITY.lastName);
    // Closed, reopened, reviewed again: the new plan goes to the CMP only.
    await step(t, w.coordinator.token, c, 'FOLLOW_UP_DUE');
    await step(t, w.coordinator.token, c, 'CLOSE', { outcome: 'no_change' });
    await step(t, w.coordinator.token, c, 'REOPEN');
    await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId: session.id });
    await step(t, w.coordinator.token, c, 'START_REVIEW');
    await step(t, w.coordinator.token, c, 'ADOPT_PLAN', { actions: planActions([w.orgs.health]) });
    expect(c.state).toBe('plan_active');
    const after = await get(t, w.housingOfficer.token, `/cases/${c.id}`);
    expect(after.status).toBe(404);
    expect(findNeedles(after.text, IDENTITY)).toEqual([]);
    expect((await patch(t, w.housingOfficer.token, `/cases/${c.id}/actions/${await actionOf(t, w, c.id, w.orgs.health)}`, { status: 'done' })).status).toBe(
      404,
    );
  });

  it('expired release: a consent cannot be recorded beyond the policy validity, and the release stops when it ends', async () => {
    const session = await openSession(t, w);
    const c = await caseInReview(t, w, session.id, null);
    const informedAt = new Date(Date.now() - 86_400_000);
    const fiveYears = new Date(informedAt.getTime() + 5 * 365 * 86_400_000).toISOString();
    const stretched = await post(t, w.referrer.token, `/cases/${c.id}/events`, {
      type: 'RECORD_CONSENT',
      expectedVersion: c.version,
      ...grantedConsent(HOUSING_IDENTITY, { informedAt: informedAt.toISOString(), expiresAt: fiveYears }),
    });
    expect(stretched.status).toBe(400);
    expect(stretched.body.errors).toEqual([{ field: 'expiresAt', message: expect.stringMatching(/12 months/) }]);
    // The default: 12 months after the information.
    await step(t, w.referrer.token, c, 'RECORD_CONSENT', grantedConsent(HOUSING_IDENTITY, { informedAt: informedAt.toISOString() }));
    await step(t, w.coordinator.token, c, 'ADOPT_PLAN', { actions: planActions([w.orgs.housing]) });
    expect((await get(t, w.housingOfficer.token, `/cases/${c.id}`)).body.identity?.lastName).toBe(IDENTITY.lastName);
    t.clock.advanceDays(366);
    const expired = await get(t, w.housingOfficer.token, `/cases/${c.id}`);
    expect(expired.status).toBe(200);
    expect(expired.body.identity).toBeUndefined();
    expect(expired.body.withheld.identity).toBe('consent_not_valid');
  });

  it("withdrawal never depends on one account: a colleague of the referring service, or the coordinator, records it on the person's word, and who and how are kept", async () => {
    const session = await openSession(t, w);
    const byColleague: CaseHandle = await caseWithPlan(t, w, session.id, HOUSING_IDENTITY, [w.orgs.housing]);
    // The colleague sees the workflow and the consent, nothing of the person.
    const seen = await get(t, w.otherReferrer.token, `/cases/${byColleague.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.released.sort()).toEqual(['consent', 'meta']);
    expect(findNeedles(seen.text, IDENTITY)).toEqual([]);
    await step(t, w.otherReferrer.token, byColleague, 'WITHDRAW_CONSENT', { method: 'oral' });
    expect(byColleague.state).toBe('closed');
    expect((await get(t, w.housingOfficer.token, `/cases/${byColleague.id}`)).status).toBe(404);
    const own = await get(t, w.referrer.token, `/cases/${byColleague.id}`);
    expect(own.body.consent).toMatchObject({ valid: false, withdrawnByUserId: w.otherReferrer.id, withdrawalMethod: 'oral' });

    const byCoordinator = await caseInReview(t, w, session.id, HOUSING_IDENTITY);
    await step(t, w.coordinator.token, byCoordinator, 'WITHDRAW_CONSENT', { method: 'written' });
    const recorded = await get(t, w.referrer.token, `/cases/${byCoordinator.id}`);
    expect(recorded.body.consent).toMatchObject({ valid: false, withdrawnByUserId: w.coordinator.id, withdrawalMethod: 'written' });
  });
});
