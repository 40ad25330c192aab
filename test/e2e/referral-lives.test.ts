/**
 * Issue 12, part A — the referral lives, through the HTTP API on the real application and
 * PostgreSQL: the draft edited and deleted; the submitted referral rectified (GDPR art. 16) with
 * its previous values kept sealed and read only by who reads their class; the send-back for
 * completion; the handover to another referrer of the organisation; the optional birth date and
 * duplicates on what is known; the protective measure, the holders of parental authority and the
 * child-protection notice of a minor person; an urgent referral stored with the emergency pointer;
 * consent recorded from the draft, a representative's consent, the person's agreement to the plan.
 */
import { caseBody, call, createWorldApp, IDENTITY, type World } from '../factories/world.js';
import { grantedConsent, newSession, plan, postEvent, refusedConsent, step, type CaseRef } from '../factories/lifecycle.js';
import { findNeedles, scanDatabase } from '../factories/secrecy.js';
import { type TestApp } from '../support/app.js';

/** Distinctive values of this file: none may be found in clear anywhere. */
const RECTIFIED = { lastName: 'Ombrelune-Vasquez', firstName: 'Léontine' };
const PARENT = { relation: 'mother', lastName: 'Kerbrat-Yzerman', firstName: 'Solenne', phone: '06 98 76 54 32' };
const MANDATAIRE = 'Association tutélaire Ouessant-Brume';

describe('the referral lives (issue 12)', () => {
  let t: TestApp;
  let w: World;
  let ref: string;
  let coord: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    ref = w.referrer.token;
    coord = w.coordinator.token;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function create(token: string, overrides: Record<string, unknown> = {}) {
    const body = await call(t, token, 'post', '/cases', caseBody(w.commissionId, overrides));
    const ref: CaseRef = { id: body.id, reference: body.reference, state: body.state, version: body.version };
    return Object.assign(ref, { body });
  }
  const view = (token: string, c: CaseRef) => call(t, token, 'get', `/cases/${c.id}`);
  const summary = (extra: Record<string, unknown>) => ({ ...caseBody(w.commissionId).summary, ...extra });

  describe('the draft', () => {
    it('is edited by its referrer: identity, summary, categories, social data; audited by field, nothing kept of the draft', async () => {
      const c = await create(ref);
      expect(c.body.allowedEvents).toEqual(expect.arrayContaining(['EDIT_DRAFT', 'DELETE_DRAFT', 'RECORD_CONSENT', 'SUBMIT']));
      await step(t, ref, c, 'EDIT_DRAFT', {
        identity: { phone: null, address: '3 impasse des Hirondelles' },
        summary: { narrative: 'Personne isolée, impayés, refus de soins.', problems: ['care_refusal', 'rent_arrears', 'self_neglect'], alreadyTried: null },
        social: { narrative: 'Dette locative, RSA suspendu.' },
      });
      expect(c).toMatchObject({ state: 'draft', version: 2 });
      const v = await view(ref, c);
      expect(v.identity).toEqual({
        lastName: IDENTITY.lastName,
        firstName: IDENTITY.firstName,
        birthDate: IDENTITY.birthDate,
        address: '3 impasse des Hirondelles',
        email: IDENTITY.email,
      });
      expect(v.summary).toMatchObject({
        narrative: 'Personne isolée, impayés, refus de soins.',
        problems: ['care_refusal', 'rent_arrears', 'self_neglect'],
        alreadyTried: null,
      });
      expect(v.social).toEqual({ narrative: 'Dette locative, RSA suspendu.' });
      expect(v.rectifications).toBeUndefined();
      const fields: { field: string }[] = await t.db.dataSource.query(`SELECT field FROM case_fields WHERE case_id = $1 AND field LIKE 'prev%'`, [c.id]);
      expect(fields).toEqual([]);
      const [audit] = await t.db.dataSource.query(`SELECT classes, detail FROM audit_events WHERE case_id = $1 AND action = 'case.referral.edit'`, [c.id]);
      expect(audit.detail.fields.sort()).toEqual(
        ['identity.address', 'identity.phone', 'social.narrative', 'summary.alreadyTried', 'summary.narrative', 'summary.problems'].sort(),
      );
      expect(findNeedles(JSON.stringify(audit), { address: '3 impasse des Hirondelles', phone: IDENTITY.phone })).toEqual([]);
    });

    it('refuses an edit that changes nothing, removes a required member, or names the person in the summary (400/422, nothing written)', async () => {
      const c = await create(ref);
      const send = (body: Record<string, unknown>) => postEvent(t, ref, c.id, { type: 'EDIT_DRAFT', expectedVersion: c.version, ...body });
      const same = await send({ summary: { ageBand: '60-69' } });
      expect(same.status).toBe(400);
      const removed = await send({ identity: { lastName: null } });
      expect(removed.status).toBe(400);
      expect(removed.body.errors).toEqual([{ field: 'identity.lastName', message: 'cannot be removed' }]);
      const named = await send({ summary: { narrative: `Mme ${IDENTITY.lastName} refuse les soins` } });
      expect(named.status).toBe(422);
      expect(named.body.errors[0].field).toBe('summary.narrative');
      expect(named.text).not.toContain('Quatremare');
      expect((await view(ref, c)).version).toBe(1);
    });

    it('is edited by nobody else: the coordinator and a colleague are refused', async () => {
      const c = await create(ref);
      await step(t, ref, c, 'SUBMIT');
      const byCoordinator = await postEvent(t, coord, c.id, { type: 'RECTIFY', expectedVersion: c.version, summary: { district: 'Centre' } });
      expect(byCoordinator.status).toBe(403);
      const byColleague = await postEvent(t, w.otherReferrer.token, c.id, { type: 'RECTIFY', expectedVersion: c.version, summary: { district: 'Centre' } });
      expect(byColleague.status).toBe(403);
    });

    it('is deleted by its referrer: crypto-shredded, gone from the lists and the statistics, no longer editable', async () => {
      const c = await create(ref);
      await step(t, ref, c, 'DELETE_DRAFT');
      expect(c.state).toBe('purged');
      const [row] = await t.db.dataSource.query(`SELECT closure, identity_index, name_index FROM cases WHERE id = $1`, [c.id]);
      expect(row).toEqual({ closure: 'deleted', identity_index: null, name_index: null });
      const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM case_fields WHERE case_id = $1`, [c.id]);
      expect(n).toBe(0);
      const list = await call(t, ref, 'get', '/cases?limit=200');
      expect(list.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
      const again = await postEvent(t, ref, c.id, { type: 'EDIT_DRAFT', expectedVersion: c.version, summary: { district: 'Centre' } });
      expect(again.status).toBe(409);
      // Only a draft can be deleted.
      const submitted = await create(ref);
      await step(t, ref, submitted, 'SUBMIT');
      expect((await postEvent(t, ref, submitted.id, { type: 'DELETE_DRAFT', expectedVersion: submitted.version })).status).toBe(409);
    });
  });

  describe('rectification after submission (GDPR art. 16)', () => {
    let c: CaseRef;

    beforeAll(async () => {
      c = await create(ref);
      await step(t, ref, c, 'SUBMIT');
      await step(t, coord, c, 'ACCEPT');
      await step(t, ref, c, 'RECORD_CONSENT', grantedConsent());
      await step(t, ref, c, 'RECTIFY', {
        identity: { ...RECTIFIED, birthDate: '1957' },
        summary: { district: 'Quartier du Port', question: 'Quel relais pour le soin et le logement ?' },
        health: { narrative: 'Suivi CMP repris en septembre' },
      });
    });

    it('changes the record and keeps the state; the referrer reads every previous value with who and when', async () => {
      expect(c).toMatchObject({ state: 'ready_for_review', version: 5 });
      const v = await view(ref, c);
      expect(v.identity).toMatchObject({ ...RECTIFIED, birthDate: '1957' });
      expect(v.summary).toMatchObject({ district: 'Quartier du Port', question: 'Quel relais pour le soin et le logement ?' });
      expect(v.health).toEqual({ narrative: 'Suivi CMP repris en septembre' });
      expect(v.rectifications).toHaveLength(1);
      const [r] = v.rectifications;
      expect(r).toMatchObject({ version: 5, byUserId: w.referrer.id });
      const previous = Object.fromEntries(r.changes.map((ch: { class: string; field: string; previous: unknown }) => [`${ch.class}.${ch.field}`, ch.previous]));
      expect(previous).toEqual({
        'identity.lastName': IDENTITY.lastName,
        'identity.firstName': IDENTITY.firstName,
        'identity.birthDate': IDENTITY.birthDate,
        'summary.district': 'Quartier des Tilleuls',
        'summary.question': 'Comment éviter une expulsion et renouer le lien avec le soin ?',
        'health.narrative': 'Suivi CMP interrompu depuis huit mois, traitement antipsychotique arrêté',
      });
    });

    it('shows the coordinator only the previous values of the classes the coordinator reads (the summary)', async () => {
      const v = await view(coord, c);
      expect(v.identity).toBeUndefined();
      const changed = v.rectifications[0].changes.map((ch: { class: string; field: string }) => `${ch.class}.${ch.field}`).sort();
      expect(changed).toEqual(['summary.district', 'summary.question']);
      expect(findNeedles(JSON.stringify(v), { ...IDENTITY, ...RECTIFIED })).toEqual([]);
    });

    it('keeps the previous values sealed: no identity value, old or new, in clear in any table; the audit names fields only', async () => {
      const sealed: { class: string; field: string }[] = await t.db.dataSource.query(
        `SELECT class, field FROM case_fields WHERE case_id = $1 AND field LIKE 'prev%' ORDER BY class, field`,
        [c.id],
      );
      expect(sealed.map((f) => `${f.class}.${f.field}`)).toEqual([
        'health.prev_5_narrative',
        'identity.prev_5_birthDate',
        'identity.prev_5_firstName',
        'identity.prev_5_lastName',
        'summary.prev_5_district',
        'summary.prev_5_question',
      ]);
      const { hits } = await scanDatabase(t.db.dataSource, {
        oldLast: 'Quatremare',
        oldFirst: IDENTITY.firstName,
        newLast: 'Ombrelune',
        newFirst: RECTIFIED.firstName,
        oldQuestion: 'renouer le lien',
        health: 'repris en septembre',
      });
      expect(hits).toEqual([]);
      const [audit] = await t.db.dataSource.query(`SELECT classes, detail FROM audit_events WHERE case_id = $1 AND action = 'case.referral.rectify'`, [c.id]);
      expect(audit.classes.sort()).toEqual(['health', 'identity', 'summary']);
      expect(audit.detail.fields).toContain('identity.lastName');
    });

    it('recomputes the duplicate indexes from the rectified identity', async () => {
      const twin = await create(w.otherReferrer.token, { identity: { ...RECTIFIED, birthDate: '1957-08-02' } });
      const dup = await call(t, coord, 'get', `/cases/${c.id}/duplicates`);
      expect(dup.duplicates.map((d: { caseId: string }) => d.caseId)).toEqual([twin.id]);
    });
  });

  describe('PATCH /cases/:id, as API.md writes it', () => {
    const patch = (token: string, id: string, body: object) => t.http().patch(`/cases/${id}`).set('authorization', `Bearer ${token}`).send(body);
    const events = async (id: string) =>
      ((await t.db.dataSource.query(`SELECT event FROM case_events WHERE case_id = $1 ORDER BY version`, [id])) as { event: string }[]).map((e) => e.event);

    it('edits a draft (EDIT_DRAFT) and rectifies a submitted situation (RECTIFY), the version guarding each', async () => {
      const c = await create(ref);
      const edited = await patch(ref, c.id, { expectedVersion: 1, social: { narrative: 'Dette locative, suivi CCAS.' } });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ id: c.id, state: 'draft', version: 2 });
      const stale = await patch(ref, c.id, { expectedVersion: 1, social: { narrative: 'Autre récit.' } });
      expect(stale.status).toBe(409);
      c.version = 2;
      await step(t, ref, c, 'SUBMIT');
      const rectified = await patch(ref, c.id, { expectedVersion: c.version, identity: { firstName: RECTIFIED.firstName } });
      expect(rectified.status).toBe(200);
      expect(rectified.body).toMatchObject({ state: 'submitted', version: c.version + 1 });
      expect(await events(c.id)).toEqual(['CREATE', 'EDIT_DRAFT', 'SUBMIT', 'RECTIFY']);
      expect((await view(ref, c)).identity.firstName).toBe(RECTIFIED.firstName);
    });

    it('answers what the events answer: a foreign member named, nothing changed, another account refused', async () => {
      const c = await create(ref);
      const foreign = await patch(ref, c.id, { expectedVersion: 1, outcome: 'resolved' });
      expect(foreign.status).toBe(400);
      expect(foreign.body.errors[0].field).toBe('outcome');
      const nothing = await patch(ref, c.id, { expectedVersion: 1 });
      expect(nothing.status).toBe(400);
      expect((await patch(coord, c.id, { expectedVersion: 1, social: { narrative: 'Récit.' } })).status).toBe(403);
      expect((await patch(ref, c.id, [])).status).toBe(400);
      expect(await events(c.id)).toEqual(['CREATE']);
    });
  });

  describe('send back for completion', () => {
    it('returns a submitted referral to draft with the reason, for the referrer to complete and submit again', async () => {
      const c = await create(ref);
      await step(t, ref, c, 'SUBMIT');
      const asCoordinator = await view(coord, c);
      expect(asCoordinator.allowedEvents).toEqual(expect.arrayContaining(['ACCEPT', 'REJECT', 'SEND_BACK']));
      const blank = await postEvent(t, coord, c.id, { type: 'SEND_BACK', expectedVersion: c.version, reason: '  ' });
      expect(blank.status).toBe(400);
      await step(t, coord, c, 'SEND_BACK', { reason: "Préciser ce qui a déjà été tenté avec le CMP et l'avis du médecin traitant" });
      expect(c.state).toBe('draft');
      const v = await view(ref, c);
      expect(v.summary.sendBackReason).toBe("Préciser ce qui a déjà été tenté avec le CMP et l'avis du médecin traitant");
      expect(v.meta.closure).toBeNull();
      await step(t, ref, c, 'EDIT_DRAFT', { summary: { alreadyTried: 'Deux rendez-vous CMP manqués, médecin traitant favorable' } });
      await step(t, ref, c, 'SUBMIT');
      await step(t, coord, c, 'ACCEPT');
      expect(c.state).toBe('awaiting_consent');
      const history = await call(t, ref, 'get', `/cases/${c.id}/history`);
      expect(history.map((h: { event: string }) => h.event)).toEqual(['CREATE', 'SUBMIT', 'SEND_BACK', 'EDIT_DRAFT', 'SUBMIT', 'ACCEPT']);
    });
  });

  describe('handover', () => {
    it('passes the situation to a colleague of the organisation: the new referrer reads it all, the former one no more', async () => {
      const c = await create(ref);
      await step(t, ref, c, 'SUBMIT');
      await step(t, ref, c, 'HAND_OVER', { toUserId: w.otherReferrer.id });
      const asNew = await view(w.otherReferrer.token, c);
      expect(asNew.relations).toContain('referrer');
      expect(asNew.identity.lastName).toBe(IDENTITY.lastName);
      const asFormer = await view(ref, c);
      expect(asFormer.relations).toEqual(['referring_service']);
      expect(asFormer.identity).toBeUndefined();
      // The coordinator hands it back.
      await step(t, coord, c, 'HAND_OVER', { toUserId: w.referrer.id });
      expect((await view(ref, c)).relations).toContain('referrer');
    });

    it('lists the colleagues who may take it over to whom may hand it over: active referrers of the organisation, not the current one', async () => {
      const c = await create(ref);
      await step(t, ref, c, 'SUBMIT');
      const url = `/cases/${c.id}/handover-candidates`;
      const asReferrer = (await call(t, ref, 'get', url)) as { id: string; displayName: string }[];
      expect(asReferrer.map((u) => u.id)).toContain(w.otherReferrer.id);
      expect(asReferrer.map((u) => u.id)).not.toContain(w.referrer.id);
      // Only referrers of the referring organisation (no coordinator, no member of another one).
      for (const other of [w.coordinator, w.psychiatrist, w.auditor]) expect(asReferrer.map((u) => u.id)).not.toContain(other.id);
      expect(Object.keys(asReferrer[0]).sort()).toEqual(['displayName', 'id']);
      expect(await call(t, coord, 'get', url)).toEqual(asReferrer);
      // A colleague of the service reads the situation but does not hand it over (policies/events.yaml).
      await call(t, w.otherReferrer.token, 'get', url, undefined, 403);
      // Someone without a relation to the situation learns nothing of it.
      await call(t, w.psychiatrist.token, 'get', url, undefined, 404);
    });

    it('refuses a user of another organisation, or one who cannot refer, with one answer', async () => {
      const c = await create(ref);
      for (const user of [w.psychiatrist, w.coordinator, w.auditor]) {
        const res = await postEvent(t, ref, c.id, { type: 'HAND_OVER', expectedVersion: c.version, toUserId: user.id });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'toUserId', message: 'must be an active referrer of the referring organisation' }]);
      }
      const unknown = await postEvent(t, ref, c.id, { type: 'HAND_OVER', expectedVersion: c.version, toUserId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.body.errors).toEqual([{ field: 'toUserId', message: 'must be an active referrer of the referring organisation' }]);
    });
  });

  describe('what the referral records', () => {
    it('takes a referral without a birth date, or with the year only; duplicates match on what is known', async () => {
      const person = { lastName: 'Trévidic-Aubrac', firstName: 'Honorine' };
      const noDate = await create(ref, { identity: { ...person } });
      const year = await create(w.otherReferrer.token, { identity: { ...person, birthDate: '1957' } });
      const full = await create(ref, { identity: { ...person, birthDate: '1957-06-30' } });
      const otherYear = await create(ref, { identity: { ...person, birthDate: '1961' } });
      const otherBand = await create(ref, { identity: { ...person }, summary: summary({ ageBand: '30-39' }) });
      const found = async (c: CaseRef) =>
        ((await call(t, coord, 'get', `/cases/${c.id}/duplicates`)).duplicates as { caseId: string }[]).map((d) => d.caseId).sort();
      expect(await found(full)).toEqual([noDate.id, year.id].sort());
      expect(await found(year)).toEqual([noDate.id, full.id].sort());
      expect(await found(otherYear)).toEqual([noDate.id]);
      expect(await found(otherBand)).toEqual([]);
      expect(noDate.body.identity.birthDate).toBeUndefined();
      const bad = await t
        .http()
        .post('/cases')
        .set('authorization', `Bearer ${ref}`)
        .send(caseBody(w.commissionId, { identity: { ...person, birthDate: '57' } }));
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['identity.birthDate']);
    });

    it('records the protective measure (social data) and, for a minor person, the holders of parental authority (identity) with the child-protection notice', async () => {
      const c = await create(ref, {
        identity: { lastName: 'Lozac’h', firstName: 'Maëlys', birthDate: '2011-02-03' },
        summary: summary({ ageBand: '0-17', household: 'single_parent' }),
        parentalAuthority: [PARENT],
        protection: { measure: 'curatelle_renforcee', organisation: MANDATAIRE },
      });
      expect(c.body.notices.map((n: { code: string }) => n.code)).toEqual(['child_protection']);
      expect(c.body.notices[0].message).toMatch(/119/);
      expect(c.body.identity.parentalAuthority).toEqual([PARENT]);
      expect(c.body.social).toMatchObject({ protectionMeasure: 'curatelle_renforcee', protectionOrganisation: MANDATAIRE });
      const asCoordinator = await view(coord, c);
      expect(asCoordinator.notices.map((n: { code: string }) => n.code)).toEqual(['child_protection']);
      expect(findNeedles(JSON.stringify(asCoordinator), { parent: PARENT.lastName, mandataire: 'Ouessant' })).toEqual([]);
      const { hits } = await scanDatabase(t.db.dataSource, { parent: 'Kerbrat', parentPhone: '0698765432', mandataire: 'Ouessant-Brume' });
      expect(hits).toEqual([]);
      // Parental authority is for a minor; the age band must agree with the birth date.
      const adult = await t
        .http()
        .post('/cases')
        .set('authorization', `Bearer ${ref}`)
        .send(caseBody(w.commissionId, { parentalAuthority: [PARENT] }));
      expect(adult.status).toBe(400);
      expect(adult.body.errors.map((e: { field: string }) => e.field)).toEqual(['parentalAuthority']);
      const disagree = await t
        .http()
        .post('/cases')
        .set('authorization', `Bearer ${ref}`)
        .send(caseBody(w.commissionId, { identity: { ...IDENTITY, birthDate: '2015-01-01' } }));
      expect(disagree.status).toBe(400);
      expect(disagree.body.errors.map((e: { field: string }) => e.field)).toEqual(['summary.ageBand']);
    });

    it('stores an urgent referral and answers the emergency pointer with it, every time', async () => {
      const c = await create(ref, { summary: summary({ urgent: true }) });
      expect(c.state).toBe('draft');
      expect(c.body.notices[0]).toMatchObject({ code: 'emergency' });
      expect(c.body.notices[0].message).toMatch(/\b15\b.*\b112\b/);
      expect((await view(ref, c)).summary.urgent).toBe(true);
      await step(t, ref, c, 'SUBMIT');
      const asCoordinator = await view(coord, c);
      expect(asCoordinator.notices.map((n: { code: string }) => n.code)).toEqual(['emergency']);
      expect(asCoordinator.meta.urgent).toBe(true);
    });

    it('accepts the problems cellules see', async () => {
      const problems = [
        'care_refusal',
        'rent_arrears',
        'eviction_risk',
        'self_neglect',
        'hoarding',
        'neighbourhood_conflict',
        'isolation',
        'violence',
        'suicide_risk',
        'addiction',
        'loss_of_autonomy',
      ];
      const c = await create(ref, { summary: summary({ problems }) });
      expect(c.body.summary.problems).toEqual(problems);
    });
  });

  describe('consent as practised', () => {
    it('is recorded in the draft; acceptance then leads straight to review', async () => {
      const c = await create(ref);
      await step(t, ref, c, 'RECORD_CONSENT', grantedConsent());
      expect(c.state).toBe('draft');
      await step(t, ref, c, 'SUBMIT');
      await step(t, coord, c, 'ACCEPT');
      expect(c.state).toBe('ready_for_review');
      expect((await view(coord, c)).consent).toMatchObject({ decision: 'granted', valid: true });
    });

    it('recorded as a refusal before acceptance, leads to the choice between anonymous review and closure', async () => {
      const c = await create(ref);
      await step(t, ref, c, 'SUBMIT');
      await step(t, ref, c, 'RECORD_CONSENT', refusedConsent());
      expect(c.state).toBe('submitted');
      await step(t, coord, c, 'ACCEPT');
      expect(c.state).toBe('consent_refused');
    });

    it("given by a representative, names the measure and the representative's organisation", async () => {
      const c = await create(ref);
      const send = (body: Record<string, unknown>) =>
        postEvent(t, ref, c.id, { type: 'RECORD_CONSENT', expectedVersion: c.version, ...grantedConsent(), ...body });
      const missing = await send({ method: 'representative' });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].field).toBe('representative');
      const misplaced = await send({ representative: { measure: 'tutelle', organisation: 'UDAF' } });
      expect(misplaced.status).toBe(400);
      const named = await send({ method: 'representative', representative: { measure: 'tutelle', organisation: `Mme ${IDENTITY.lastName}` } });
      expect(named.status).toBe(422);
      await step(t, ref, c, 'RECORD_CONSENT', {
        ...grantedConsent(),
        method: 'representative',
        representative: { measure: 'tutelle', organisation: 'UDAF de Loire-Atlantique' },
      });
      await step(t, ref, c, 'SUBMIT');
      expect((await view(coord, c)).consent).toMatchObject({
        method: 'representative',
        representativeMeasure: 'tutelle',
        representativeOrganisation: 'UDAF de Loire-Atlantique',
      });
    });

    it("records the person's agreement to the adopted plan; a new plan asks again", async () => {
      const session = await newSession(t, w, { open: true, startInDays: 0 });
      const c = await create(ref);
      await step(t, ref, c, 'RECORD_CONSENT', grantedConsent());
      await step(t, ref, c, 'SUBMIT');
      await step(t, coord, c, 'ACCEPT');
      const early = await postEvent(t, ref, c.id, { type: 'RECORD_PLAN_AGREEMENT', expectedVersion: c.version, agreement: 'agreed' });
      expect(early.status).toBe(409);
      await step(t, coord, c, 'SCHEDULE', { sessionId: session });
      await step(t, coord, c, 'START_REVIEW');
      await step(t, coord, c, 'ADOPT_PLAN', plan(w));
      expect((await view(ref, c)).meta.planAgreement).toBe('not_asked');
      const bad = await postEvent(t, ref, c.id, { type: 'RECORD_PLAN_AGREEMENT', expectedVersion: c.version, agreement: 'maybe' });
      expect(bad.status).toBe(400);
      await step(t, ref, c, 'RECORD_PLAN_AGREEMENT', { agreement: 'partly' });
      expect(c.state).toBe('plan_active');
      expect((await view(coord, c)).meta.planAgreement).toBe('partly');
      await step(t, coord, c, 'RECORD_PLAN_AGREEMENT', { agreement: 'agreed' });
      expect((await view(ref, c)).meta.planAgreement).toBe('agreed');
    });
  });
});
