import { call, caseBody, createWorldApp, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

describe('GET /stats', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    for (let i = 0; i < 6; i++) {
      const created = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId));
      await call(t, w.referrer.token, 'post', `/cases/${created.id}/events`, { type: 'SUBMIT', expectedVersion: 1 }, 200);
      if (i < 2) await call(t, w.coordinator.token, 'post', `/cases/${created.id}/events`, { type: 'ACCEPT', expectedVersion: 2 }, 200);
    }
    // Issue 12: a draft its referrer deleted was never a referral, and counts nowhere.
    const deleted = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId));
    await call(t, w.referrer.token, 'post', `/cases/${deleted.id}/events`, { type: 'DELETE_DRAFT', expectedVersion: 1 }, 200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives the coordinator exact counts by state, problem, referrer sector and month, without identity', async () => {
    const year = new Date().getUTCFullYear();
    const res = await t.http().get(`/stats?year=${year}`).set('authorization', `Bearer ${w.coordinator.token}`);
    expect(res.status).toBe(200);
    expect(res.body.audience).toBe('coordination');
    expect(res.body.total).toBe(6);
    // The coordinator sees every situation of the territory anyway: small counts are exact.
    expect(res.body.byState).toEqual({ awaiting_consent: 2, submitted: 4 });
    expect(res.body.byProblem).toEqual({ care_continuity: 6, housing: 6 });
    expect(res.body.byReferrerSector).toEqual({ social: 6 });
    expect(res.body.byClosure).toEqual({ open: 6 });
    const month = String(Number(new Intl.DateTimeFormat('en', { month: 'numeric', timeZone: 'Europe/Paris' }).format(new Date())));
    expect(res.body.byMonth).toEqual({ [month]: 6 });
    // No situation was reviewed yet: the medians have nothing to measure.
    expect(res.body.medianDelayDays).toEqual({ submittedToAccepted: 0, submittedToReview: null, reviewToPlan: null });
    expect(JSON.stringify(res.body)).not.toMatch(/Zéphyrin|Anatole|1957/);
  });

  it('suppresses every count under the threshold in figures meant for publication', async () => {
    const year = new Date().getUTCFullYear();
    const res = await t.http().get(`/stats?year=${year}&audience=public`).set('authorization', `Bearer ${w.coordinator.token}`);
    expect(res.status).toBe(200);
    expect(res.body.audience).toBe('public');
    expect(res.body.total).toBe(6);
    // 4 submitted (under the threshold of 5) and 2 awaiting consent: both suppressed.
    expect(res.body.byState).toEqual({ awaiting_consent: 'suppressed', submitted: 'suppressed' });
    expect(res.body.byProblem).toEqual({ care_continuity: 6, housing: 6 });
    expect(res.body.medianDelayDays).toBe('suppressed');
    const wrong = await t.http().get(`/stats?audience=everyone`).set('authorization', `Bearer ${w.coordinator.token}`);
    expect(wrong.status).toBe(400);
  });

  it('is for coordinators of the territory only', async () => {
    for (const who of [w.referrer, w.psychiatrist, w.auditor, w.admin]) {
      const res = await t.http().get('/stats').set('authorization', `Bearer ${who.token}`);
      expect(res.status).toBe(403);
    }
    const other = await t
      .http()
      .get(`/stats?territoryId=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)
      .set('authorization', `Bearer ${w.coordinator.token}`);
    expect(other.status).toBe(403);
  });
});
