/**
 * Issue 12, part B, through the HTTP API on the real application and PostgreSQL: after the plan —
 * review again, plan revision with carry-over reasons, watch and suspension stopping the follow-up
 * clock, the action notes' thread — and reports made elsewhere.
 */
import { type TestApp } from '../support/app.js';
import { call, createWorldApp, type World } from '../factories/world.js';
import { caseIn, get, inDays, mentionsIdentity, newSession, postEvent, step, type CaseRef } from '../factories/lifecycle.js';

interface ActionView {
  id: string;
  ownerOrganisationId: string;
  status: string;
  planVersion: number;
  dueAt: string;
  assigneeUserId: string | null;
  carryReason: string | null;
  cancelReason: string | null;
  notes: { n: number; at: string; authorUserId: string | null; text: string | null; held: boolean }[];
}

const DAY = 86_400_000;

describe('after the plan (issue 12)', () => {
  let t: TestApp;
  let w: World;
  let coord: string;
  let ref: string;
  let openSession: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    coord = w.coordinator.token;
    ref = w.referrer.token;
    openSession = await newSession(t, w, { open: true, startInDays: 0 });
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t?.close();
  });

  async function actions(c: CaseRef, token = coord): Promise<ActionView[]> {
    const res = await get(t, token, `/cases/${c.id}`);
    expect(res.status).toBe(200);
    return res.body.plan.actions as ActionView[];
  }

  async function agenda(sessionId: string): Promise<{ caseId: string; concludedAt: string | null }[]> {
    return (await call(t, coord, 'get', `/sessions/${sessionId}/agenda`)).items;
  }

  async function historyAt(c: CaseRef, event: string): Promise<number> {
    const res = await get(t, coord, `/cases/${c.id}/history`);
    const row = (res.body as { event: string; at: string }[]).filter((r) => r.event === event).pop();
    return Date.parse(row!.at);
  }

  describe('review again', () => {
    it('brings a running plan back to a session; taken off the agenda, it returns to its plan', async () => {
      const later = await newSession(t, w, { startInDays: 14 });
      const c = await caseIn(t, w, 'plan_active', openSession);
      const before = await actions(c);
      await step(t, coord, c, 'REVIEW_AGAIN', { sessionId: later });
      expect(c.state).toBe('scheduled');
      expect((await agenda(later)).map((i) => i.caseId)).toEqual([c.id]);
      // The plan runs on meanwhile: its owner still moves an action.
      const view = await get(t, coord, `/cases/${c.id}`);
      expect(view.body.meta.sessionId).toBe(later);
      expect(view.body.plan.actions).toEqual(before);
      await call(t, coord, 'patch', `/cases/${c.id}/actions/${before[0].id}`, { status: 'in_progress' }, 200);
      await step(t, coord, c, 'UNSCHEDULE');
      expect(c.state).toBe('plan_active');
      const back = await get(t, coord, `/cases/${c.id}`);
      expect(back.body.meta.sessionId).toBeNull();
      expect(back.body.plan.actions.map((a: ActionView) => [a.id, a.planVersion])).toEqual(before.map((a) => [a.id, a.planVersion]));
    });

    it('from follow-up: deferred it returns to its plan; in review the commission revises it and the follow-up starts again', async () => {
      const c = await caseIn(t, w, 'follow_up', openSession);
      await step(t, coord, c, 'REVIEW_AGAIN', { sessionId: openSession });
      await step(t, coord, c, 'START_REVIEW');
      expect(c.state).toBe('in_review');
      await step(t, coord, c, 'DEFER');
      expect(c.state).toBe('plan_active');

      const d = await caseIn(t, w, 'follow_up', openSession);
      await step(t, coord, d, 'REVIEW_AGAIN', { sessionId: openSession });
      await step(t, coord, d, 'START_REVIEW');
      const [first] = await actions(d);
      await step(t, coord, d, 'REVISE_PLAN', {
        add: [{ title: 'Accompagner la demande de FSL', ownerOrganisationId: w.orgs.social, dueAt: inDays(20) }],
        carryOver: [{ actionId: first.id, dueAt: inDays(40) }],
      });
      expect(d.state).toBe('plan_active');
      const view = await get(t, coord, `/cases/${d.id}`);
      // Default: the policy delay (3 months) from the revision.
      expect(Date.parse(view.body.meta.followUpAt)).toBeGreaterThan(Date.now() + 80 * DAY);
      expect((await agenda(openSession)).find((i) => i.caseId === d.id)?.concludedAt).not.toBeNull();
    });

    it('refuses a closed session or one of another commission, naming the field', async () => {
      const c = await caseIn(t, w, 'plan_active', openSession);
      const closed = await newSession(t, w, { open: true, startInDays: 0 });
      await call(t, coord, 'post', `/sessions/${closed}/close`, undefined, 200);
      const res = await postEvent(t, coord, c.id, { type: 'REVIEW_AGAIN', expectedVersion: c.version, sessionId: closed });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).toContain('sessionId');
      const missing = await postEvent(t, coord, c.id, { type: 'REVIEW_AGAIN', expectedVersion: c.version });
      expect(missing.status).toBe(400);
      expect(JSON.stringify(missing.body)).toContain('sessionId');
      // Only the coordinator brings a plan back (policies/events.yaml).
      const asReferrer = await postEvent(t, ref, c.id, { type: 'REVIEW_AGAIN', expectedVersion: c.version, sessionId: openSession });
      expect(asReferrer.status).toBe(403);
    });
  });

  describe('plan revision', () => {
    it('carries an overdue action over only with a reason, cancels with a reason, re-dates and entrusts', async () => {
      const c = await caseIn(t, w, 'plan_active', openSession);
      const [health, housing] = await actions(c);
      // 35 days on: the CMP's action (due in 30 days) is overdue, the landlord's (45) is not.
      t.clock.advanceDays(35);
      const revise = (body: Record<string, unknown>) => postEvent(t, coord, c.id, { type: 'REVISE_PLAN', expectedVersion: c.version, ...body });

      const silent = await revise({ add: [{ title: 'Visite conjointe', ownerOrganisationId: w.orgs.municipal, dueAt: inDays(60) }] });
      expect(silent.status).toBe(400);
      expect(silent.body.errors[0].field).toBe('carryOver');
      const noReason = await revise({ carryOver: [{ actionId: health.id, dueAt: inDays(60) }] });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors[0].field).toBe('carryOver.0.reason');
      const badReason = await revise({ carryOver: [{ actionId: health.id, reason: 'forgot' }] });
      expect(badReason.status).toBe(400);
      const unknown = await revise({ cancel: [{ actionId: '00000000-0000-4000-8000-000000000000', reason: 'no_longer_needed' }] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('cancel.0.actionId');
      const stranger = await revise({ carryOver: [{ actionId: health.id, reason: 'agency_did_not_act', assigneeUserId: w.housingOfficer.id }] });
      expect(stranger.status).toBe(400);
      expect(stranger.body.errors[0].field).toBe('carryOver.0.assigneeUserId');
      const empty = await revise({});
      expect(empty.status).toBe(400);

      await step(t, coord, c, 'REVISE_PLAN', {
        carryOver: [{ actionId: health.id, reason: 'person_declined', dueAt: inDays(75, t.clock.now()), assigneeUserId: w.psychiatrist.id }],
        cancel: [{ actionId: housing.id, reason: 'circumstances_changed' }],
        add: [{ title: 'Visite conjointe avec la mairie', ownerOrganisationId: w.orgs.municipal, dueAt: inDays(60, t.clock.now()) }],
      });
      expect(c.state).toBe('plan_active');
      const after = await actions(c);
      const byId = new Map(after.map((a) => [a.id, a]));
      expect(byId.get(health.id)).toMatchObject({
        planVersion: 2,
        carryReason: 'person_declined',
        assigneeUserId: w.psychiatrist.id,
        status: 'todo',
      });
      expect(Date.parse(byId.get(health.id)!.dueAt)).toBeGreaterThan(t.clock.now().getTime() + 70 * DAY);
      expect(byId.get(housing.id)).toMatchObject({ planVersion: 1, status: 'cancelled', cancelReason: 'circumstances_changed' });
      const added = after.filter((a) => a.id !== health.id && a.id !== housing.id);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ ownerOrganisationId: w.orgs.municipal, planVersion: 2, carryReason: null });

      // A cancelled action no longer moves; its organisation no longer owns anything of the plan.
      const moved = await t.http().patch(`/cases/${c.id}/actions/${housing.id}`).set('authorization', `Bearer ${coord}`).send({ status: 'done' });
      expect(moved.status).toBe(409);
      expect((await get(t, w.housingOfficer.token, `/cases/${c.id}`)).status).toBe(404);
      // The town hall, owner of the new action as a commission member, now sees the plan.
      expect((await get(t, w.townOfficer.token, `/cases/${c.id}`)).status).toBe(200);
    });

    it('keeps the follow-up date while the plan runs unless the revision moves it; refuses an identifying title', async () => {
      const c = await caseIn(t, w, 'plan_active', openSession);
      const before = (await get(t, coord, `/cases/${c.id}`)).body.meta.followUpAt as string;
      await step(t, coord, c, 'REVISE_PLAN', { add: [{ title: 'Point avec le bailleur', ownerOrganisationId: w.orgs.housing, dueAt: inDays(10) }] });
      expect((await get(t, coord, `/cases/${c.id}`)).body.meta.followUpAt).toBe(before);
      const followUpAt = inDays(120);
      await step(t, coord, c, 'REVISE_PLAN', { followUpAt });
      expect(Date.parse((await get(t, coord, `/cases/${c.id}`)).body.meta.followUpAt)).toBe(Date.parse(followUpAt));
      const phone = await postEvent(t, coord, c.id, {
        type: 'REVISE_PLAN',
        expectedVersion: c.version,
        add: [{ title: 'Appeler le 06 12 34 56 78', ownerOrganisationId: w.orgs.housing, dueAt: inDays(10) }],
      });
      expect(phone.status).toBe(422);
      expect(phone.body.errors[0].field).toBe('add.0.title');
      expect(mentionsIdentity(phone.body)).toEqual([]);
    });
  });

  describe('watch and suspension', () => {
    it('stops the follow-up clock and moves the date by the time held; the reason is sealed', async () => {
      const c = await caseIn(t, w, 'plan_active', openSession);
      const followUpBefore = Date.parse((await get(t, coord, `/cases/${c.id}`)).body.meta.followUpAt);
      const bad = await postEvent(t, coord, c.id, { type: 'SUSPEND', expectedVersion: c.version, mode: 'suspended', reason: 'holiday' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('reason');
      const answer = await step(t, coord, c, 'SUSPEND', { mode: 'suspended', reason: 'hospitalisation' });
      expect(c.state).toBe('suspended');
      expect(answer.allowedEvents).toEqual(['WITHDRAW_CONSENT', 'RESUME', 'RECORD_EXTERNAL_REPORT', 'HAND_OVER']);
      const held = await get(t, coord, `/cases/${c.id}`);
      expect(held.body.meta.followUpAt).toBeNull();
      expect(held.body.plan.hold).toMatchObject({ mode: 'suspended', reason: 'hospitalisation' });
      // No follow-up can fall due, not even brought forward.
      const due = await postEvent(t, coord, c.id, { type: 'FOLLOW_UP_DUE', expectedVersion: c.version });
      expect(due.status).toBe(409);
      // The reason is nowhere in clear.
      const [{ n }] = (await t.db.dataSource.query(
        `SELECT (SELECT count(*) FROM cases WHERE snapshot::text LIKE '%hospitalisation%')
              + (SELECT count(*) FROM audit_events WHERE coalesce(detail::text, '') LIKE '%hospitalisation%')
              + (SELECT count(*) FROM case_events WHERE event LIKE '%hospitalisation%') AS n`,
      )) as { n: string }[];
      expect(Number(n)).toBe(0);
      // An owner of an action still reads the plan on hold and writes its notes.
      const owner = await get(t, w.psychiatrist.token, `/cases/${c.id}`);
      expect(owner.status).toBe(200);
      expect(owner.body.plan.hold.mode).toBe('suspended');

      t.clock.advanceDays(20);
      await step(t, coord, c, 'RESUME');
      expect(c.state).toBe('plan_active');
      const heldFor = (await historyAt(c, 'RESUME')) - (await historyAt(c, 'SUSPEND'));
      expect(heldFor).toBeGreaterThanOrEqual(20 * DAY);
      const resumed = await get(t, coord, `/cases/${c.id}`);
      expect(Date.parse(resumed.body.meta.followUpAt)).toBe(followUpBefore + heldFor);
      expect(resumed.body.plan.hold).toBeUndefined();
    });

    it('is skipped by the follow-up job while on hold; once resumed, the moved date falls due', async () => {
      const c = await caseIn(t, w, 'plan_active', openSession);
      await step(t, coord, c, 'SUSPEND', { mode: 'watch', reason: 'stabilised' });
      const stateNow = async () => (await get(t, coord, `/cases/${c.id}`)).body.state as string;
      // Past the follow-up date (3 months): it does not fall due while on hold (other cases of
      // this file may: the job's count is not this case's).
      t.clock.advanceDays(100);
      await t.scheduler.runOnce('follow-up-due');
      expect(await stateNow()).toBe('suspended');
      c.version = (await get(t, coord, `/cases/${c.id}`)).body.version;
      await step(t, coord, c, 'RESUME');
      await t.scheduler.runOnce('follow-up-due');
      expect(await stateNow()).toBe('plan_active');
      // The date moved by the 100 days held: due about 3 months after the resumption.
      t.clock.advanceDays(95);
      await t.scheduler.runOnce('follow-up-due');
      expect(await stateNow()).toBe('follow_up');
    });

    it('on watch from follow-up, resumes at follow-up', async () => {
      const c = await caseIn(t, w, 'follow_up', openSession);
      await step(t, coord, c, 'SUSPEND', { mode: 'watch', reason: 'stabilised' });
      expect(c.state).toBe('suspended');
      // Only the coordinator holds and resumes a plan.
      const asReferrer = await postEvent(t, ref, c.id, { type: 'RESUME', expectedVersion: c.version });
      expect(asReferrer.status).toBe(403);
      await step(t, coord, c, 'RESUME');
      expect(c.state).toBe('follow_up');
    });
  });

  describe('action notes', () => {
    it('are an append-only thread, readable by those who see the plan, sealed at rest', async () => {
      const c = await caseIn(t, w, 'plan_active', openSession);
      const housing = (await actions(c)).find((a) => a.ownerOrganisationId === w.orgs.housing)!;
      const first = 'Plan d’apurement proposé, en attente de signature';
      const second = 'Premier versement reçu, échéancier respecté';
      const patch = (token: string, body: object) => t.http().patch(`/cases/${c.id}/actions/${housing.id}`).set('authorization', `Bearer ${token}`).send(body);
      expect((await patch(w.housingOfficer.token, { status: 'in_progress', note: first })).status).toBe(200);
      t.clock.advanceDays(1);
      expect((await patch(w.housingOfficer.token, { status: 'in_progress', note: second })).status).toBe(200);
      expect((await patch(coord, { status: 'in_progress' })).status).toBe(200);

      for (const token of [coord, ref, w.housingOfficer.token]) {
        const thread = (await actions(c, token)).find((a) => a.id === housing.id)!.notes;
        expect(thread.map((n) => [n.n, n.text, n.authorUserId, n.held])).toEqual([
          [1, first, w.housingOfficer.id, false],
          [2, second, w.housingOfficer.id, false],
        ]);
        expect(Date.parse(thread[1].at)).toBeGreaterThan(Date.parse(thread[0].at));
      }
      // Who may not see the plan reads no note: a colleague of the referring service (meta and
      // consent only), a member of the commission who owns nothing of it (no relation at all).
      const colleague = await get(t, w.otherReferrer.token, `/cases/${c.id}`);
      expect(colleague.status).toBe(200);
      expect(colleague.body.plan).toBeUndefined();
      expect(JSON.stringify(colleague.body)).not.toContain('versement');
      expect((await get(t, w.townOfficer.token, `/cases/${c.id}`)).status).toBe(404);
      // At rest: the texts are sealed, the thread's row holds metadata only.
      const [{ n }] = (await t.db.dataSource.query(
        `SELECT (SELECT count(*) FROM actions WHERE notes::text LIKE '%apurement%' OR title LIKE '%versement%')
              + (SELECT count(*) FROM case_fields WHERE encode(sealed, 'escape') LIKE '%versement%')
              + (SELECT count(*) FROM audit_events WHERE coalesce(detail::text, '') LIKE '%versement%') AS n`,
      )) as { n: string }[];
      expect(Number(n)).toBe(0);
      const [{ fields }] = (await t.db.dataSource.query(
        `SELECT count(*) AS fields FROM case_fields WHERE case_id = $1 AND class = 'plan' AND field LIKE 'note_%'`,
        [c.id],
      )) as { fields: string }[];
      expect(Number(fields)).toBe(2);
    });
  });

  describe('reports made elsewhere', () => {
    const report = (body: Record<string, unknown> = {}) => ({
      type: 'RECORD_EXTERNAL_REPORT',
      kind: 'care_without_consent',
      madeAt: inDays(-2),
      madeBy: 'physician',
      legalBasis: 'csp_l3212_1_peril',
      ...body,
    });

    it('records kind, date, who and legal basis, sealed in the class of its kind, released like it', async () => {
      const c = await caseIn(t, w, 'plan_active', openSession);
      await step(t, ref, c, 'RECORD_EXTERNAL_REPORT', report({ note: 'Admission en soins sur péril imminent au CHS' }));
      expect(c.state).toBe('plan_active');
      await step(
        t,
        coord,
        c,
        'RECORD_EXTERNAL_REPORT',
        report({ kind: 'prosecutor_report', madeBy: 'partner_organisation', madeByOrganisationId: w.orgs.housing, legalBasis: 'cp_226_14' }),
      );

      const asReferrer = await get(t, ref, `/cases/${c.id}`);
      expect(
        asReferrer.body.externalReports.map((r: { kind: string; legalBasis: string; madeBy: string; note: string | null }) => [
          r.kind,
          r.legalBasis,
          r.madeBy,
          r.note,
        ]),
      ).toEqual([
        ['care_without_consent', 'csp_l3212_1_peril', 'physician', 'Admission en soins sur péril imminent au CHS'],
        ['prosecutor_report', 'cp_226_14', 'partner_organisation', null],
      ]);
      // Reports are answered apart, never as fields of the social or health narrative.
      expect(Object.keys(asReferrer.body.health).sort()).toEqual(['narrative']);
      expect(Object.keys(asReferrer.body.social).sort()).toEqual(['narrative']);
      // The coordinator records but never reads them (coordination receives no health or social).
      const asCoordinator = await get(t, coord, `/cases/${c.id}`);
      expect(asCoordinator.body.externalReports).toBeUndefined();
      // The history names the event only.
      const history = await get(t, coord, `/cases/${c.id}/history`);
      expect(history.body.filter((r: { event: string }) => r.event === 'RECORD_EXTERNAL_REPORT')).toHaveLength(2);
      expect(JSON.stringify(history.body)).not.toContain('care_without_consent');
      const [{ n }] = (await t.db.dataSource.query(
        `SELECT (SELECT count(*) FROM cases WHERE snapshot::text LIKE '%care_without%' OR snapshot::text LIKE '%csp_l3212%')
              + (SELECT count(*) FROM audit_events WHERE coalesce(detail::text, '') ~ '(care_without|csp_l3212|prosecutor|péril)')
              + (SELECT count(*) FROM case_fields WHERE encode(sealed, 'escape') ~ '(care_without|péril)') AS n`,
      )) as { n: string }[];
      expect(Number(n)).toBe(0);
    });

    it('refuses a legal basis of another kind, a future date, a partner without its organisation, a note naming the person', async () => {
      const c = await caseIn(t, w, 'submitted');
      const send = (body: Record<string, unknown>) => postEvent(t, ref, c.id, { expectedVersion: c.version, ...report(body) });
      const cases: [Record<string, unknown>, number, string][] = [
        [{ legalBasis: 'cpp_40' }, 400, 'legalBasis'],
        [{ legalBasis: 'article_12' }, 400, 'legalBasis'],
        [{ kind: 'rumour' }, 400, 'kind'],
        [{ madeAt: inDays(2) }, 400, 'madeAt'],
        [{ madeBy: 'partner_organisation' }, 400, 'madeByOrganisationId'],
        [{ madeByOrganisationId: '00000000-0000-4000-8000-000000000000' }, 400, 'madeByOrganisationId'],
        [{ note: 'M. Zéphyrin-Quatremare a été hospitalisé' }, 422, 'note'],
      ];
      for (const [body, status, field] of cases) {
        const res = await send(body);
        expect({ body, status: res.status }).toEqual({ body, status });
        expect(JSON.stringify(res.body)).toContain(field);
        expect(mentionsIdentity(res.body)).toEqual([]);
      }
      // Nothing was written by the refusals.
      expect((await get(t, ref, `/cases/${c.id}`)).body.version).toBe(c.version);
      // A member without a relation to the case cannot record one.
      expect((await postEvent(t, w.townOfficer.token, c.id, { expectedVersion: c.version, ...report() })).status).toBe(404);
    });
  });
});
