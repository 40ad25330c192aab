/**
 * Issue 13, item 3: GET /me/todo — what waits on each role, counts and references only, "now"
 * read from the injected clock (the test moves it).
 */
import { createWorld, createWorldApp, type World } from '../factories/world.js';
import { caseIn, get, IDENTITY_VALUES, newCase, newSession, step, type CaseRef } from '../factories/lifecycle.js';
import type { TestApp } from '../support/app.js';

describe('GET /me/todo', () => {
  let t: TestApp;
  let w: World;
  let draft: CaseRef;
  let sentBack: CaseRef;
  let toScreen: CaseRef[];
  let awaiting: CaseRef;
  let ready: CaseRef;
  let planned: CaseRef;
  let sessionId: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    draft = await newCase(t, w);
    sentBack = await newCase(t, w);
    await step(t, w.referrer.token, sentBack, 'SUBMIT');
    await step(t, w.coordinator.token, sentBack, 'SEND_BACK', { reason: 'Préciser les démarches déjà engagées' });
    toScreen = [await caseIn(t, w, 'submitted'), await caseIn(t, w, 'submitted')];
    awaiting = await caseIn(t, w, 'awaiting_consent');
    ready = await caseIn(t, w, 'ready_for_review');
    sessionId = await newSession(t, w, { open: true, startInDays: 0 });
    // A plan with two actions: the CMP's due in 30 days, the housing office's in 45.
    planned = await caseIn(t, w, 'plan_active', sessionId);
  });
  afterAll(async () => {
    t.clock.reset();
    await t?.close();
  });
  afterEach(() => t.clock.reset());

  const todo = async (token: string) => {
    const res = await get(t, token, '/me/todo');
    expect(res.status).toBe(200);
    // Counts and references only: never a name of the person, a summary or an action's title.
    expect(IDENTITY_VALUES.filter((v) => JSON.stringify(res.body).includes(v))).toEqual([]);
    expect(JSON.stringify(res.body)).not.toMatch(/Reprendre contact|apurement|Quartier des Tilleuls|expulsion/);
    return res.body;
  };
  const refs = (list: { items: { reference: string }[] }) => list.items.map((i) => i.reference).sort();

  it("gives the coordinator the territory's referrals to screen, consents, sessions, overdue actions and follow-ups", async () => {
    const body = await todo(w.coordinator.token);
    expect(Object.keys(body).sort()).toEqual(['at', 'coordination']);
    const c = body.coordination;
    expect(c.toScreen.count).toBe(2);
    expect(refs(c.toScreen)).toEqual(toScreen.map((x) => x.reference).sort());
    expect(refs(c.consentMissing)).toEqual([awaiting.reference]);
    expect(refs(c.readyForSession)).toEqual([ready.reference]);
    expect(c.consentExpiring.count).toBe(0);
    expect(c.overdueActions).toEqual({ count: 0, overdue: 0, items: [] });
    expect(c.followUpsDue.count).toBe(0);
    expect(c.nextSessions).toEqual([expect.objectContaining({ id: sessionId, status: 'open', agendaSize: 1 })]);
  });

  it('moves with the clock: an action past its due date, a follow-up within 30 days, a consent about to expire', async () => {
    t.clock.advanceDays(31);
    let c = (await todo(w.coordinator.token)).coordination;
    expect(c.overdueActions.count).toBe(1);
    expect(c.overdueActions.items[0]).toEqual(
      expect.objectContaining({ caseId: planned.id, reference: planned.reference, ownerOrganisationId: w.orgs.health, overdue: true }),
    );
    expect(c.followUpsDue.count).toBe(0);

    // The plan's follow-up comes 3 months after its adoption (lifecycle.yaml): within 30 days at +61.
    t.clock.advanceDays(30);
    c = (await todo(w.coordinator.token)).coordination;
    expect(refs(c.followUpsDue)).toEqual([planned.reference]);
    expect(c.overdueActions.count).toBe(2);
    expect(c.consentExpiring.count).toBe(0);

    // The consents were given a year ago less a day (12 months' validity): expiring within 30 days
    // at +340, for every open situation that has one (ready for review, and the running plan).
    t.clock.advanceDays(279);
    c = (await todo(w.coordinator.token)).coordination;
    expect(refs(c.consentExpiring)).toEqual([ready.reference, planned.reference].sort());
    expect(Date.parse(c.consentExpiring.items[0].at)).toBeGreaterThan(t.clock.now().getTime());
  });

  it('gives a referrer their situations that wait on them, and why', async () => {
    const body = await todo(w.referrer.token);
    expect(Object.keys(body).sort()).toEqual(['at', 'referrals']);
    const why = Object.fromEntries(body.referrals.items.map((i: { reference: string; waiting: string }) => [i.reference, i.waiting]));
    expect(why).toEqual({
      [draft.reference]: 'draft',
      [sentBack.reference]: 'sent_back',
      [awaiting.reference]: 'consent_to_record',
      [planned.reference]: 'plan_agreement',
    });
    expect(body.referrals.count).toBe(4);
    // Once the person's agreement to the plan is recorded, it no longer waits on the referrer.
    const agreed = await t
      .http()
      .post(`/cases/${planned.id}/events`)
      .set('authorization', `Bearer ${w.referrer.token}`)
      .send({ type: 'RECORD_PLAN_AGREEMENT', expectedVersion: planned.version, agreement: 'agreed' });
    expect(agreed.status).toBe(200);
    planned.version = agreed.body.version;
    expect((await todo(w.referrer.token)).referrals.count).toBe(3);
    // Another referrer of the same service has nothing waiting on them.
    expect((await todo(w.otherReferrer.token)).referrals).toEqual({ count: 0, items: [] });

    t.clock.advanceDays(340);
    const later = await todo(w.referrer.token);
    expect(later.referrals.items.find((i: { reference: string }) => i.reference === planned.reference).waiting).toBe('consent_expiring');
  });

  it("gives a member their organisation's open actions by due date, overdue ones counted", async () => {
    const cmp = (await todo(w.psychiatrist.token)).actions;
    expect(cmp).toEqual({ count: 1, overdue: 0, items: [expect.objectContaining({ caseId: planned.id, ownerOrganisationId: w.orgs.health, overdue: false })] });
    const housing = (await todo(w.housingOfficer.token)).actions;
    expect(housing.count).toBe(1);
    expect(housing.items[0].ownerOrganisationId).toBe(w.orgs.housing);
    // The town hall owns no action.
    expect((await todo(w.townOfficer.token)).actions).toEqual({ count: 0, overdue: 0, items: [] });

    t.clock.advanceDays(31);
    expect((await todo(w.psychiatrist.token)).actions.overdue).toBe(1);
    expect((await todo(w.housingOfficer.token)).actions.overdue).toBe(0);
  });

  it("shows nobody another territory's to-do, has nothing for an administrator, and gives the auditor their rights requests only", async () => {
    const other = await createWorld(t);
    const c = (await todo(other.coordinator.token)).coordination;
    expect([c.toScreen, c.consentMissing, c.readyForSession, c.followUpsDue, c.consentExpiring].map((l) => l.count)).toEqual([0, 0, 0, 0, 0]);
    expect(c.nextSessions).toEqual([]);
    expect(c.overdueActions.count).toBe(0);
    expect((await todo(other.referrer.token)).referrals.count).toBe(0);
    expect((await todo(other.psychiatrist.token)).actions.count).toBe(0);
    expect((await get(t, w.admin.token, '/me/todo')).status).toBe(403);
    // The DPO's section (test/e2e/rights-requests.test.ts fills it): nothing open here.
    expect(await todo(w.auditor.token)).toEqual({ at: expect.any(String), rights: { count: 0, overdue: 0, dueSoon: 0, items: [] } });
    expect((await t.http().get('/me/todo')).status).toBe(401);
  });
});
