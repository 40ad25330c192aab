/**
 * Every path of the case lifecycle (DESIGN.md, "Case lifecycle"), through the HTTP API only, on
 * the real application and PostgreSQL. After each step: state, version and allowedEvents as the
 * referrer and as the coordinator see them; at the end, the history.
 */
import type { PersistedCase } from '../../src/cases/machine/context.js';
import { columnsOf } from '../../src/cases/projection.js';
import { type TestApp } from '../support/app.js';
import { call, createWorldApp, type World } from '../factories/world.js';
import {
  caseIn,
  get,
  grantedConsent,
  inDays,
  JUSTIFICATION,
  mentionsIdentity,
  newCase,
  newSession,
  plan,
  postEvent,
  refusedConsent,
  step,
  type CaseRef,
} from '../factories/lifecycle.js';

/**
 * What the referrer may send in each state (machine ∩ policies/events.yaml). Issue 12: the draft is
 * edited, deleted and may carry the consent; after submission the referral is rectified; the
 * situation is handed over in every state until purged; the plan agreement once a plan exists.
 */
const REFERRER: Record<string, string[]> = {
  draft: ['SUBMIT', 'RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'EDIT_DRAFT', 'DELETE_DRAFT', 'HAND_OVER'],
  submitted: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER'],
  awaiting_consent: ['RECORD_CONSENT', 'REVIEW_WITHOUT_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER'],
  consent_refused: ['RECORD_CONSENT', 'REVIEW_WITHOUT_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER'],
  ready_for_review: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER'],
  scheduled: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER'],
  in_review: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER'],
  plan_active: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER', 'RECORD_PLAN_AGREEMENT'],
  follow_up: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER', 'RECORD_PLAN_AGREEMENT'],
  suspended: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER'],
  closed: ['RECTIFY', 'HAND_OVER'],
};

/**
 * What the coordinator may send in each state, on a valid consent and a planned session. Issue 10:
 * the coordinator may record the person's withdrawal too (policies/events.yaml), in every open state.
 * Issue 12: the coordinator sends a submitted referral back, hands the situation over, records the
 * person's agreement to the plan.
 */
const COORDINATOR: Record<string, string[]> = {
  draft: ['WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'],
  submitted: ['ACCEPT', 'REJECT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'SEND_BACK', 'HAND_OVER'],
  awaiting_consent: ['REVIEW_WITHOUT_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'],
  consent_refused: ['REVIEW_WITHOUT_CONSENT', 'CLOSE', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'],
  ready_for_review: ['SCHEDULE', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'],
  scheduled: ['UNSCHEDULE', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'],
  in_review: ['ADOPT_PLAN', 'DEFER', 'CLOSE', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'],
  // A running plan goes back to a session, is revised, put on hold; the person's agreement to it.
  plan_active: ['FOLLOW_UP_DUE', 'WITHDRAW_CONSENT', 'REVIEW_AGAIN', 'REVISE_PLAN', 'SUSPEND', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER', 'RECORD_PLAN_AGREEMENT'],
  follow_up: [
    'CONTINUE',
    'CLOSE',
    'WITHDRAW_CONSENT',
    'REVIEW_AGAIN',
    'REVISE_PLAN',
    'SUSPEND',
    'RECORD_EXTERNAL_REPORT',
    'HAND_OVER',
    'RECORD_PLAN_AGREEMENT',
  ],
  suspended: ['WITHDRAW_CONSENT', 'RESUME', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'],
  closed: ['REOPEN', 'HAND_OVER'],
};

const sorted = (list: string[]) => [...list].sort();

describe('case lifecycle', () => {
  let t: TestApp;
  let w: World;
  let ref: string;
  let coord: string;
  /** An open session for the paths that only need to get through a review. */
  let openSession: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    ref = w.referrer.token;
    coord = w.coordinator.token;
    openSession = await newSession(t, w, { open: true, startInDays: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Reads the case as referrer and coordinator and checks state, version and allowedEvents. */
  async function expectCase(c: CaseRef, state: string, version: number, allowed: { referrer?: string[]; coordinator?: string[] } = {}) {
    expect(c.state).toBe(state);
    expect(c.version).toBe(version);
    const asReferrer = await get(t, ref, `/cases/${c.id}`);
    expect(asReferrer.status).toBe(200);
    expect(asReferrer.body).toMatchObject({ id: c.id, state, version });
    expect(sorted(asReferrer.body.allowedEvents)).toEqual(sorted(allowed.referrer ?? REFERRER[state]));
    const asCoordinator = await get(t, coord, `/cases/${c.id}`);
    expect(asCoordinator.status).toBe(200);
    expect(asCoordinator.body).toMatchObject({ id: c.id, state, version });
    expect(sorted(asCoordinator.body.allowedEvents)).toEqual(sorted(allowed.coordinator ?? COORDINATOR[state]));
    // The queryable columns are the projection of the snapshot, whatever path led here.
    const [row] = (await t.db.dataSource.query(
      `SELECT snapshot, state, session_id, to_json(follow_up_at) #>> '{}' AS follow_up_at, to_json(closed_at) #>> '{}' AS closed_at, closure, outcome, anonymous_review
         FROM cases WHERE id = $1`,
      [c.id],
    )) as (Record<string, unknown> & { snapshot: PersistedCase })[];
    const { keepIdentityIndex: _kept, ...projected } = columnsOf(row.snapshot);
    const normalise = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? new Date(v).toISOString() : v);
    expect(Object.fromEntries(Object.keys(projected).map((k) => [k, normalise(row[k])]))).toEqual(
      Object.fromEntries(Object.entries(projected).map(([k, v]) => [k, normalise(v)])),
    );
    return { asReferrer: asReferrer.body, asCoordinator: asCoordinator.body };
  }

  async function history(c: CaseRef) {
    const res = await get(t, coord, `/cases/${c.id}/history`);
    expect(res.status).toBe(200);
    // One row per transition (plus the creation), in version order, never an identifying value.
    expect(res.body.map((row: { version: number }) => row.version)).toEqual(Array.from({ length: c.version }, (_, i) => i + 1));
    expect(mentionsIdentity(res.body)).toEqual([]);
    for (const row of res.body) {
      expect(Object.keys(row).sort()).toEqual(['actorOrganisationId', 'actorOrganisationName', 'at', 'event', 'from', 'to', 'version']);
    }
    return res.body.map((row: { event: string; from: string | null; to: string }) => [row.event, row.from, row.to]);
  }

  async function agenda(sessionId: string): Promise<string[]> {
    const body = await call(t, coord, 'get', `/sessions/${sessionId}/agenda`);
    return body.items.map((i: { caseId: string }) => i.caseId);
  }

  it('runs the main path to closure: submit, accept, consent, schedule, review, plan, follow-ups, close', async () => {
    const sessionId = await newSession(t, w);
    const c = await newCase(t, w);
    await expectCase(c, 'draft', 1);

    let answer = await step(t, ref, c, 'SUBMIT');
    expect(sorted(answer.allowedEvents)).toEqual(sorted(REFERRER.submitted));
    await expectCase(c, 'submitted', 2);

    answer = await step(t, coord, c, 'ACCEPT');
    expect(sorted(answer.allowedEvents)).toEqual(sorted(COORDINATOR.awaiting_consent));
    await expectCase(c, 'awaiting_consent', 3);

    answer = await step(t, ref, c, 'RECORD_CONSENT', grantedConsent());
    expect(sorted(answer.allowedEvents)).toEqual(sorted(REFERRER.ready_for_review));
    const { asReferrer } = await expectCase(c, 'ready_for_review', 4);
    expect(asReferrer.consent).toMatchObject({ decision: 'granted', method: 'written', valid: true });
    expect(asReferrer.meta.anonymousReview).toBe(false);

    answer = await step(t, coord, c, 'SCHEDULE', { sessionId });
    expect(sorted(answer.allowedEvents)).toEqual(sorted(['UNSCHEDULE', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER']));
    const scheduled = await expectCase(c, 'scheduled', 5);
    expect(scheduled.asCoordinator.meta.sessionId).toBe(sessionId);
    expect(await agenda(sessionId)).toEqual([c.id]);

    // The session is still planned: the review cannot start yet.
    const early = await postEvent(t, coord, c.id, { type: 'START_REVIEW', expectedVersion: 5 });
    expect(early.status).toBe(409);
    expect(early.body.allowedEvents).toEqual(['UNSCHEDULE', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER']);

    await call(t, coord, 'post', `/sessions/${sessionId}/open`, undefined, 200);
    await expectCase(c, 'scheduled', 5, { coordinator: ['UNSCHEDULE', 'START_REVIEW', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'] });

    answer = await step(t, coord, c, 'START_REVIEW');
    expect(sorted(answer.allowedEvents)).toEqual(sorted(COORDINATOR.in_review));
    await expectCase(c, 'in_review', 6);

    const followUpAt = inDays(90);
    answer = await step(t, coord, c, 'ADOPT_PLAN', plan(w, { followUpAt }));
    expect(answer.allowedEvents).toEqual([
      'FOLLOW_UP_DUE',
      'WITHDRAW_CONSENT',
      'REVIEW_AGAIN',
      'REVISE_PLAN',
      'SUSPEND',
      'RECORD_EXTERNAL_REPORT',
      'HAND_OVER',
      'RECORD_PLAN_AGREEMENT',
    ]);
    const active = await expectCase(c, 'plan_active', 7);
    expect(active.asCoordinator.plan.actions).toHaveLength(2);
    expect(active.asCoordinator.plan.actions.map((a: { status: string; overdue: boolean }) => [a.status, a.overdue])).toEqual([
      ['todo', false],
      ['todo', false],
    ]);
    expect(new Date(active.asCoordinator.plan.followUpAt).toISOString()).toBe(followUpAt);

    answer = await step(t, coord, c, 'FOLLOW_UP_DUE');
    expect(sorted(answer.allowedEvents)).toEqual(sorted(COORDINATOR.follow_up));
    await expectCase(c, 'follow_up', 8);

    const nextFollowUp = inDays(180);
    await step(t, coord, c, 'CONTINUE', { followUpAt: nextFollowUp });
    const continued = await expectCase(c, 'plan_active', 9);
    expect(new Date(continued.asCoordinator.meta.followUpAt).toISOString()).toBe(nextFollowUp);

    await step(t, coord, c, 'FOLLOW_UP_DUE');
    await expectCase(c, 'follow_up', 10);

    answer = await step(t, coord, c, 'CLOSE', { outcome: 'Soins repris, dette apurée' });
    expect(answer.allowedEvents).toEqual(['REOPEN', 'HAND_OVER']);
    const closed = await expectCase(c, 'closed', 11);
    expect(closed.asCoordinator.meta.closedAt).not.toBeNull();
    // The outcome's free text may be health content: sealed and released like health (issue 10),
    // so the referrer reads it and the coordinator who wrote it does not; the clear column and
    // the snapshot hold its category only.
    expect(closed.asCoordinator.meta.outcome).toBe('other');
    expect(closed.asCoordinator.summary.outcomeText).toBeUndefined();
    expect(closed.asCoordinator.health).toBeUndefined();
    expect(closed.asReferrer.health.outcomeText).toBe('Soins repris, dette apurée');
    const [stored] = await t.db.dataSource.query(`SELECT snapshot::text AS snapshot, outcome FROM cases WHERE id = $1`, [c.id]);
    expect(stored.outcome).toBe('other');
    expect(stored.snapshot).not.toContain('Soins repris');

    expect(await history(c)).toEqual([
      ['CREATE', null, 'draft'],
      ['SUBMIT', 'draft', 'submitted'],
      ['ACCEPT', 'submitted', 'awaiting_consent'],
      ['RECORD_CONSENT', 'awaiting_consent', 'ready_for_review'],
      ['SCHEDULE', 'ready_for_review', 'scheduled'],
      ['START_REVIEW', 'scheduled', 'in_review'],
      ['ADOPT_PLAN', 'in_review', 'plan_active'],
      ['FOLLOW_UP_DUE', 'plan_active', 'follow_up'],
      ['CONTINUE', 'follow_up', 'plan_active'],
      ['FOLLOW_UP_DUE', 'plan_active', 'follow_up'],
      ['CLOSE', 'follow_up', 'closed'],
    ]);
    const rows = (await get(t, coord, `/cases/${c.id}/history`)).body;
    expect(rows.find((r: { event: string }) => r.event === 'SUBMIT').actorOrganisationId).toBe(w.orgs.social);
    expect(rows.find((r: { event: string }) => r.event === 'ACCEPT').actorOrganisationId).toBe(w.orgs.coordination);
  });

  it('rejects a referral: submitted → REJECT → closed, never reopened', async () => {
    const c = await caseIn(t, w, 'submitted');
    const missing = await postEvent(t, coord, c.id, { type: 'REJECT', expectedVersion: c.version });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'reason', message: 'is required for REJECT' }]);

    await step(t, coord, c, 'REJECT', { reason: 'Relève du droit commun : orientation vers le CCAS', suggestedOrientation: 'CCAS' });
    const { asReferrer } = await expectCase(c, 'closed', 3, { coordinator: ['HAND_OVER'] });
    expect(asReferrer.summary.rejectReason).toBe('Relève du droit commun : orientation vers le CCAS');
    expect(asReferrer.meta.closedAt).not.toBeNull();

    const reopen = await postEvent(t, coord, c.id, { type: 'REOPEN', expectedVersion: c.version });
    expect(reopen.status).toBe(409);
    expect(reopen.body.allowedEvents).toEqual(['HAND_OVER']);
    expect(await history(c)).toEqual([
      ['CREATE', null, 'draft'],
      ['SUBMIT', 'draft', 'submitted'],
      ['REJECT', 'submitted', 'closed'],
    ]);
  });

  it('records a refusal and closes: awaiting_consent → consent_refused → CLOSE', async () => {
    const c = await caseIn(t, w, 'awaiting_consent');
    await step(t, ref, c, 'RECORD_CONSENT', refusedConsent());
    const refused = await expectCase(c, 'consent_refused', 4);
    expect(refused.asReferrer.consent).toMatchObject({ decision: 'refused', valid: false, scope: [] });

    await step(t, coord, c, 'CLOSE', { outcome: 'Refus de la personne' });
    // Refused and not reviewed anonymously: nothing to reopen on.
    await expectCase(c, 'closed', 5, { coordinator: ['HAND_OVER'] });
    const reopen = await postEvent(t, coord, c.id, { type: 'REOPEN', expectedVersion: c.version });
    expect(reopen.status).toBe(409);
    expect(await history(c)).toEqual([
      ['CREATE', null, 'draft'],
      ['SUBMIT', 'draft', 'submitted'],
      ['ACCEPT', 'submitted', 'awaiting_consent'],
      ['RECORD_CONSENT', 'awaiting_consent', 'consent_refused'],
      ['CLOSE', 'consent_refused', 'closed'],
    ]);
  });

  it('reviews a refused case anonymously: consent_refused → REVIEW_WITHOUT_CONSENT → summary-only review', async () => {
    const c = await caseIn(t, w, 'consent_refused');
    await step(t, ref, c, 'REVIEW_WITHOUT_CONSENT', { justification: JUSTIFICATION });
    const ready = await expectCase(c, 'ready_for_review', 5, {
      referrer: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'RECTIFY', 'HAND_OVER'],
    });
    expect(ready.asCoordinator.meta.anonymousReview).toBe(true);

    await step(t, coord, c, 'SCHEDULE', { sessionId: openSession });
    await expectCase(c, 'scheduled', 6, { coordinator: ['UNSCHEDULE', 'START_REVIEW', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'] });
    await step(t, coord, c, 'START_REVIEW');
    await expectCase(c, 'in_review', 7);

    // A CMP psychiatrist attending the session gets the summary, and no protected class.
    await call(t, w.psychiatrist.token, 'post', `/sessions/${openSession}/attendance`);
    const seen = await get(t, w.psychiatrist.token, `/cases/${c.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.relations).toEqual(['attending_member']);
    expect(seen.body.summary).toBeDefined();
    expect(seen.body.identity).toBeUndefined();
    expect(seen.body.health).toBeUndefined();
    expect(seen.body.social).toBeUndefined();
    expect(mentionsIdentity(seen.body)).toEqual([]);

    await step(t, coord, c, 'CLOSE', { outcome: 'Avis donné au référent' });
    // An anonymous review may be reopened within the window.
    await expectCase(c, 'closed', 8);
    expect((await history(c)).slice(3)).toEqual([
      ['RECORD_CONSENT', 'awaiting_consent', 'consent_refused'],
      ['REVIEW_WITHOUT_CONSENT', 'consent_refused', 'ready_for_review'],
      ['SCHEDULE', 'ready_for_review', 'scheduled'],
      ['START_REVIEW', 'scheduled', 'in_review'],
      ['CLOSE', 'in_review', 'closed'],
    ]);
  });

  it('takes a late consent after a refusal: consent_refused → RECORD_CONSENT granted → ready_for_review', async () => {
    const c = await caseIn(t, w, 'consent_refused');
    await step(t, ref, c, 'RECORD_CONSENT', grantedConsent());
    const { asReferrer } = await expectCase(c, 'ready_for_review', 5);
    expect(asReferrer.consent).toMatchObject({ decision: 'granted', valid: true });
    expect(asReferrer.meta.anonymousReview).toBe(false);
  });

  it('reviews anonymously straight from awaiting_consent, and a later consent names the case again', async () => {
    const c = await caseIn(t, w, 'awaiting_consent');
    const blank = await postEvent(t, coord, c.id, { type: 'REVIEW_WITHOUT_CONSENT', expectedVersion: c.version, justification: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual([expect.objectContaining({ field: 'justification' })]);
    await step(t, coord, c, 'REVIEW_WITHOUT_CONSENT', { justification: JUSTIFICATION });
    const ready = await expectCase(c, 'ready_for_review', 4);
    expect(ready.asCoordinator.meta.anonymousReview).toBe(true);
    expect(ready.asReferrer.consent).toMatchObject({ decision: null, valid: false });

    await step(t, ref, c, 'RECORD_CONSENT', grantedConsent());
    const named = await expectCase(c, 'ready_for_review', 5);
    expect(named.asCoordinator.meta.anonymousReview).toBe(false);
    expect(named.asReferrer.consent).toMatchObject({ decision: 'granted', valid: true });
    expect((await history(c)).slice(3)).toEqual([
      ['REVIEW_WITHOUT_CONSENT', 'awaiting_consent', 'ready_for_review'],
      ['RECORD_CONSENT', 'ready_for_review', 'ready_for_review'],
    ]);
  });

  it('defers a review: in_review → DEFER → ready_for_review, then onto a later session', async () => {
    const c = await caseIn(t, w, 'in_review', openSession);
    await step(t, coord, c, 'DEFER');
    const deferred = await expectCase(c, 'ready_for_review', 7);
    expect(deferred.asCoordinator.meta.sessionId).toBeNull();
    expect(await agenda(openSession)).not.toContain(c.id);

    const later = await newSession(t, w, { startInDays: 30 });
    await step(t, coord, c, 'SCHEDULE', { sessionId: later });
    const rescheduled = await expectCase(c, 'scheduled', 8);
    expect(rescheduled.asCoordinator.meta.sessionId).toBe(later);
    expect(await agenda(later)).toEqual([c.id]);
    // Deferred off the open session: a member attending that session no longer reaches the case,
    // which now waits for the later session (not open yet).
    await call(t, w.psychiatrist.token, 'post', `/sessions/${openSession}/attendance`);
    expect((await get(t, w.psychiatrist.token, `/cases/${c.id}`)).status).toBe(404);
    expect((await history(c)).slice(-2)).toEqual([
      ['DEFER', 'in_review', 'ready_for_review'],
      ['SCHEDULE', 'ready_for_review', 'scheduled'],
    ]);
  });

  it('unschedules: scheduled → UNSCHEDULE → ready_for_review, off the agenda', async () => {
    const sessionId = await newSession(t, w);
    const c = await caseIn(t, w, 'ready_for_review');
    await step(t, coord, c, 'SCHEDULE', { sessionId });
    expect(await agenda(sessionId)).toEqual([c.id]);
    await step(t, coord, c, 'UNSCHEDULE');
    const back = await expectCase(c, 'ready_for_review', 6);
    expect(back.asCoordinator.meta.sessionId).toBeNull();
    expect(await agenda(sessionId)).toEqual([]);

    // …and back on it.
    await step(t, coord, c, 'SCHEDULE', { sessionId });
    await expectCase(c, 'scheduled', 7);
    expect(await agenda(sessionId)).toEqual([c.id]);
    expect((await history(c)).slice(-3)).toEqual([
      ['SCHEDULE', 'ready_for_review', 'scheduled'],
      ['UNSCHEDULE', 'scheduled', 'ready_for_review'],
      ['SCHEDULE', 'ready_for_review', 'scheduled'],
    ]);
  });

  describe('WITHDRAW_CONSENT closes the case from every open state', () => {
    it.each(['draft', 'submitted', 'awaiting_consent', 'consent_refused', 'ready_for_review', 'scheduled', 'in_review', 'plan_active', 'follow_up'])(
      'from %s',
      async (state) => {
        const c = await caseIn(t, w, state, openSession);
        const before = c.version;
        const answer = await step(t, ref, c, 'WITHDRAW_CONSENT');
        expect(answer.allowedEvents).toEqual(['RECTIFY', 'HAND_OVER']);
        // Closed by withdrawal: nothing may be sent any more, not even REOPEN (issue 12: the record
        // is still held, so it may be rectified and handed over).
        const { asReferrer } = await expectCase(c, 'closed', before + 1, { coordinator: ['HAND_OVER'] });
        expect(asReferrer.meta.closure).toBe('withdrawn');
        expect(asReferrer.meta.outcome).toBeNull();
        expect(asReferrer.meta.sessionId).toBeNull();
        if (asReferrer.consent.decision === 'granted') {
          expect(asReferrer.consent.withdrawnAt).not.toBeNull();
          expect(asReferrer.consent.valid).toBe(false);
        }
        // The referrer keeps their own record.
        expect(asReferrer.identity.lastName).toBeDefined();
        expect(await agenda(openSession)).not.toContain(c.id);
        const reopen = await postEvent(t, coord, c.id, { type: 'REOPEN', expectedVersion: c.version });
        expect(reopen.status).toBe(409);
        expect((await history(c)).at(-1)).toEqual(['WITHDRAW_CONSENT', state, 'closed']);
      },
    );
  });

  describe('REOPEN', () => {
    /** A case closed after its review, with a valid consent. */
    async function closedCase(): Promise<CaseRef> {
      const c = await caseIn(t, w, 'in_review', openSession);
      await step(t, coord, c, 'CLOSE', { outcome: 'Orientation trouvée' });
      return c;
    }

    /** Moves the server's clock `days` after the closure (back to real time after each test). */
    function ageClosure(days: number) {
      t.clock.advanceDays(days);
    }
    afterEach(() => t.clock.reset());

    it('reopens within the window: closed → REOPEN → ready_for_review', async () => {
      const c = await closedCase();
      await expectCase(c, 'closed', 7);
      await step(t, coord, c, 'REOPEN');
      const reopened = await expectCase(c, 'ready_for_review', 8);
      expect(reopened.asCoordinator.meta.closedAt).toBeNull();
      expect(reopened.asCoordinator.meta.outcome).toBeNull();
      expect((await history(c)).at(-1)).toEqual(['REOPEN', 'closed', 'ready_for_review']);
    });

    it('reopens a case closed 89 days ago (window: 90 days)', async () => {
      const c = await closedCase();
      ageClosure(89);
      await expectCase(c, 'closed', 7);
      await step(t, coord, c, 'REOPEN');
      await expectCase(c, 'ready_for_review', 8);
    });

    it('refuses to reopen a case closed 91 days ago', async () => {
      const c = await closedCase();
      ageClosure(91);
      await expectCase(c, 'closed', 7, { coordinator: ['HAND_OVER'] });
      const res = await postEvent(t, coord, c.id, { type: 'REOPEN', expectedVersion: 7 });
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toMatch(/window/);
      expect(res.body.allowedEvents).toEqual(['HAND_OVER']);
      await expectCase(c, 'closed', 7, { coordinator: ['HAND_OVER'] });
      expect((await history(c)).at(-1)).toEqual(['CLOSE', 'in_review', 'closed']);
    });
  });

  describe('consent renewal (RECORD_CONSENT) in later states', () => {
    it.each(['ready_for_review', 'scheduled', 'in_review', 'plan_active', 'follow_up'])('renews in %s without moving the case', async (state) => {
      const c = await caseIn(t, w, state, openSession);
      const before = c.version;
      // At most the policy's validity (12 months) after the information (issue 10).
      const expiresAt = inDays(300);
      const answer = await step(t, ref, c, 'RECORD_CONSENT', { ...grantedConsent([{ sector: 'housing', classes: ['identity'] }]), expiresAt });
      expect(answer.state).toBe(state);
      expect(sorted(answer.allowedEvents)).toEqual(sorted(REFERRER[state]));
      const { asReferrer } = await expectCase(
        c,
        state,
        before + 1,
        state === 'scheduled' ? { coordinator: ['UNSCHEDULE', 'START_REVIEW', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'] } : {},
      );
      expect(new Date(asReferrer.consent.expiresAt).toISOString()).toBe(expiresAt);
      expect(asReferrer.consent.scope).toEqual([{ sector: 'housing', classes: ['identity'] }]);
      expect((await history(c)).at(-1)).toEqual(['RECORD_CONSENT', state, state]);
    });

    it('refuses a refusal as a renewal (a later "no" is a withdrawal), naming decision', async () => {
      const c = await caseIn(t, w, 'plan_active', openSession);
      const res = await postEvent(t, ref, c.id, { type: 'RECORD_CONSENT', expectedVersion: c.version, ...refusedConsent() });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'decision' })]);
      await expectCase(c, 'plan_active', 7);
    });

    it('an expired consent blocks scheduling until it is renewed', async () => {
      const c = await caseIn(t, w, 'ready_for_review');
      // A year and a day later (the consent lasts 12 months from the information), on the server's clock.
      t.clock.advanceDays(366);
      try {
        const stale = await expectCase(c, 'ready_for_review', 4, { coordinator: ['WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'] });
        expect(stale.asReferrer.consent.valid).toBe(false);
        const refused = await postEvent(t, coord, c.id, { type: 'SCHEDULE', expectedVersion: 4, sessionId: openSession });
        expect(refused.status).toBe(409);
        expect(refused.body.detail).toMatch(/consent/);

        await step(t, ref, c, 'RECORD_CONSENT', { ...grantedConsent(), informedAt: t.clock.now().toISOString() });
        await expectCase(c, 'ready_for_review', 5);
        await step(t, coord, c, 'SCHEDULE', { sessionId: openSession });
        await expectCase(c, 'scheduled', 6, { coordinator: ['UNSCHEDULE', 'START_REVIEW', 'WITHDRAW_CONSENT', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER'] });
      } finally {
        t.clock.reset();
      }
    });
  });
});
