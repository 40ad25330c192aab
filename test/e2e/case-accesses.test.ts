/**
 * Issue 11, "one page per situation with tabs (…, Accès — who read what, from the access log, for
 * those allowed to see it)": GET /cases/:id/access-report answers the referrer, their service and
 * the coordinator (policies/access.yaml, case.access-report) with the organisations that read or
 * wrote which classes of the situation, and when — never a professional's name, never content.
 */
import { caseIn, get, newSession } from '../factories/lifecycle.js';
import { call, createWorld, createWorldApp, HEALTH_TEXT, IDENTITY, login, PASSWORD, SOCIAL_TEXT, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

interface Report {
  caseId: string;
  organisations: { id: string | null; name: string | null; sector: string | null; classes: { class: string; count: number; actions: string[] }[] }[];
}

describe('who accessed a situation (its Accès tab)', () => {
  let t: TestApp;
  let w: World;
  let other: World;
  let caseId: string;
  let sessionId: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    other = await createWorld(t);
    // On the agenda of an open session the psychiatrist attends: the CMP reads the health the consent gives it.
    sessionId = await newSession(t, w, { open: true });
    await call(t, w.psychiatrist.token, 'post', `/sessions/${sessionId}/attendance`);
    caseId = (await caseIn(t, w, 'scheduled', sessionId)).id;
    for (const reader of [w.referrer, w.psychiatrist, w.coordinator]) expect((await get(t, reader.token, `/cases/${caseId}`)).status).toBe(200);
  });

  afterAll(() => t.close());

  const report = async (token: string) => {
    const res = await get(t, token, `/cases/${caseId}/access-report`);
    expect(res.status).toBe(200);
    return res.body as Report;
  };

  it('shows the referrer which organisations read which classes, the CMP reading health among them', async () => {
    const body = await report(w.referrer.token);
    expect(body.caseId).toBe(caseId);
    const cmp = body.organisations.find((o) => o.id === w.orgs.health);
    expect(cmp).toMatchObject({ sector: 'health' });
    expect(cmp!.classes.map((c) => c.class)).toContain('health');
    expect(cmp!.classes.find((c) => c.class === 'health')!.actions).toContain('case.read');
    const social = body.organisations.find((o) => o.id === w.orgs.social);
    expect(social!.classes.map((c) => c.class)).toEqual(expect.arrayContaining(['identity', 'social', 'health']));
    // The landlord never read it: not listed.
    expect(body.organisations.some((o) => o.id === w.orgs.housing)).toBe(false);
  });

  it('answers the coordinator and a colleague of the referrer alike, and says so in the view', async () => {
    const fromCoordinator = await report(w.coordinator.token);
    expect(fromCoordinator.organisations.map((o) => o.id)).toEqual(expect.arrayContaining([w.orgs.health, w.orgs.social, w.orgs.coordination]));
    expect((await report(w.otherReferrer.token)).organisations.map((o) => o.id)).toEqual(fromCoordinator.organisations.map((o) => o.id));
    for (const who of [w.referrer, w.coordinator, w.otherReferrer]) {
      expect((await get(t, who.token, `/cases/${caseId}`)).body.mayReadAccesses).toBe(true);
    }
    expect((await get(t, w.psychiatrist.token, `/cases/${caseId}`)).body.mayReadAccesses).toBe(false);
  });

  it('holds no name of the person, no text and no professional', async () => {
    const text = JSON.stringify(await report(w.referrer.token));
    for (const value of [IDENTITY.lastName, IDENTITY.firstName, SOCIAL_TEXT, HEALTH_TEXT, 'psychiatrist', 'referrer', w.psychiatrist.id, w.referrer.id]) {
      expect(text).not.toContain(value);
    }
  });

  it('refuses a referrer in session for it (403), a member, another territory and an auditor as for an unknown situation (404) — each logged', async () => {
    // A referrer of the landlord, invited to the session for this situation and attending: a partner, not one who answers the person.
    const email = `landlord-referrer.${Date.now()}@test.local`;
    const created = await call(t, w.admin.token, 'post', '/users', {
      email,
      password: PASSWORD,
      displayName: 'Référente bailleur',
      organisationId: w.orgs.housing,
      roles: ['referrer'],
      profession: 'none',
    });
    const partner = await login(t, email);
    await call(t, w.coordinator.token, 'post', `/sessions/${sessionId}/invitations`, { userId: created.id, caseId });
    await call(t, partner, 'post', `/commissions/${w.commissionId}/charter/accept`, { version: 1 });
    await call(t, partner, 'post', `/sessions/${sessionId}/attendance`);
    expect((await get(t, partner, `/cases/${caseId}`)).body.relations).toEqual(['attending_member']);
    const refused = await get(t, partner, `/cases/${caseId}/access-report`);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(IDENTITY.lastName);
    expect((await get(t, w.psychiatrist.token, `/cases/${caseId}/access-report`)).status).toBe(404);
    expect((await get(t, other.referrer.token, `/cases/${caseId}/access-report`)).status).toBe(404);
    expect((await get(t, other.coordinator.token, `/cases/${caseId}/access-report`)).status).toBe(404);
    expect((await get(t, w.auditor.token, `/cases/${caseId}/access-report`)).status).toBe(404);
    const log = await get(t, w.auditor.token, `/audit/events?caseId=${caseId}&action=case.access-report&limit=100`);
    expect(log.status).toBe(200);
    const entries = log.body.items as { actorId: string; decision: string }[];
    expect(entries.filter((e) => e.decision === 'allow').map((e) => e.actorId)).toEqual(expect.arrayContaining([w.referrer.id, w.coordinator.id]));
    // From another territory the situation is unknown: the refusal names no case, only the id asked.
    const outsider = (await get(t, w.auditor.token, `/audit/events?userId=${other.referrer.id}&action=case.access-report&limit=10`)).body.items;
    expect(outsider).toEqual([expect.objectContaining({ decision: 'deny', caseId: null, purpose: 'no_relation', detail: { unknownCase: caseId } })]);
    expect(entries.some((e) => e.decision === 'deny' && e.actorId === created.id)).toBe(true);
  });
});
