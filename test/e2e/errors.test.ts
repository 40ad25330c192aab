/**
 * Every 4xx of the contract (issue 2, "Bad input and faults"), as RFC 9457 problem details, and
 * the guarantee that a refused request writes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { type TestApp } from '../support/app.js';
import { call, caseBody, createWorld, createWorldApp, login, PASSWORD, type World } from '../factories/world.js';
import { caseIn, get, grantedConsent, inDays, JUSTIFICATION, mentionsIdentity, newSession, plan, postEvent, type CaseRef } from '../factories/lifecycle.js';

function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }));
  // A problem detail never echoes a protected value.
  expect(mentionsIdentity(res.body)).toEqual([]);
}

/** The fields a 4xx names (one entry per broken rule in `errors`, so deduplicated here). */
function fields(res: Response): string[] {
  return [...new Set<string>((res.body.errors ?? []).map((e: { field: string }) => e.field))];
}

/** The problem without `instance` (the request path, which names the id asked for). */
function withoutInstance(body: Record<string, unknown>) {
  const { instance: _instance, ...rest } = body;
  return rest;
}

describe('errors', () => {
  let t: TestApp;
  let w: World;
  let other: World;
  let ref: string;
  let coord: string;
  let openSession: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    other = await createWorld(t);
    ref = w.referrer.token;
    coord = w.coordinator.token;
    openSession = await newSession(t, w, { open: true, startInDays: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function caseRow(c: CaseRef) {
    const [row] = await t.db.dataSource.query(
      `SELECT state, version, (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS events,
              (SELECT count(*)::int FROM actions a WHERE a.case_id = c.id) AS actions FROM cases c WHERE id = $1`,
      [c.id],
    );
    return row;
  }

  describe('400: unknown or malformed fields, named', () => {
    it('refuses an unknown top-level field of a referral', async () => {
      const res = await t
        .http()
        .post('/cases')
        .set('authorization', `Bearer ${ref}`)
        .send({ ...caseBody(w.commissionId), nickname: 'x' });
      expectProblem(res, 400);
      expect(fields(res)).toEqual(['nickname']);
      expect(res.body.detail).toContain('nickname');
    });

    it('refuses an unknown nested field, with its path', async () => {
      const body = caseBody(w.commissionId);
      const res = await t
        .http()
        .post('/cases')
        .set('authorization', `Bearer ${ref}`)
        .send({ ...body, identity: { ...body.identity, nir: '1570375123456' } });
      expectProblem(res, 400);
      expect(fields(res)).toEqual(['identity.nir']);
      expect(JSON.stringify(res.body)).not.toContain('1570375123456');
    });

    it('refuses malformed values, naming each field and echoing none', async () => {
      const body = caseBody(w.commissionId);
      const res = await t
        .http()
        .post('/cases')
        .set('authorization', `Bearer ${ref}`)
        .send({
          ...body,
          commissionId: 'not-a-uuid',
          identity: { ...body.identity, birthDate: '14/03/1957' },
          summary: { ...body.summary, problems: ['flying'] },
        });
      expectProblem(res, 400);
      expect(fields(res).sort()).toEqual(['commissionId', 'identity.birthDate', 'summary.problems']);
      expect(JSON.stringify(res.body)).not.toContain('14/03/1957');
    });

    it('refuses a missing required field', async () => {
      const body = caseBody(w.commissionId);
      const { lastName: _lastName, ...identity } = body.identity;
      const res = await t
        .http()
        .post('/cases')
        .set('authorization', `Bearer ${ref}`)
        .send({ ...body, identity });
      expectProblem(res, 400);
      expect(fields(res)).toEqual(['identity.lastName']);
    });

    it('refuses an unknown event type, a non-integer version and a member of another event', async () => {
      const c = await caseIn(t, w, 'draft');
      const unknown = await postEvent(t, ref, c.id, { type: 'FLY', expectedVersion: 1 });
      expectProblem(unknown, 400);
      expect(fields(unknown)).toEqual(['type']);

      const version = await postEvent(t, ref, c.id, { type: 'SUBMIT', expectedVersion: '1' });
      expectProblem(version, 400);
      expect(fields(version)).toEqual(['expectedVersion']);

      const foreign = await postEvent(t, ref, c.id, { type: 'SUBMIT', expectedVersion: 1, outcome: 'x' });
      expectProblem(foreign, 400);
      expect(fields(foreign)).toEqual(['outcome']);

      const extra = await postEvent(t, ref, c.id, { type: 'SUBMIT', expectedVersion: 1, colour: 'blue' });
      expectProblem(extra, 400);
      expect(fields(extra)).toEqual(['colour']);
      expect(await caseRow(c)).toMatchObject({ state: 'draft', version: 1, events: 1 });
    });

    it('refuses impossible calendar dates in event payloads (never a 500 from the database)', async () => {
      const c = await caseIn(t, w, 'awaiting_consent');
      const res = await postEvent(t, ref, c.id, {
        type: 'RECORD_CONSENT',
        expectedVersion: c.version,
        decision: 'granted',
        informedAt: '2025-02-30',
        method: 'oral',
      });
      expectProblem(res, 400);
      expect(fields(res)).toEqual(['informedAt']);
      expect(await caseRow(c)).toMatchObject({ state: 'awaiting_consent', version: 3, events: 3 });
    });

    it('refuses a path id that is not a UUID, and a body that is not JSON', async () => {
      const res = await get(t, ref, '/cases/42');
      expectProblem(res, 400);
      expect(fields(res)).toEqual(['id']);

      const broken = await t.http().post('/cases').set('authorization', `Bearer ${ref}`).set('content-type', 'application/json').send('{"commissionId": ');
      expectProblem(broken, 400);
    });
  });

  describe('409: the state or the version', () => {
    it('refuses an event the state does not allow, listing the allowed events', async () => {
      const c = await caseIn(t, w, 'draft');
      const res = await postEvent(t, ref, c.id, { type: 'WITHDRAW_CONSENT', expectedVersion: 1 });
      expect(res.status).toBe(200);
      const late = await postEvent(t, ref, c.id, { type: 'SUBMIT', expectedVersion: 2 });
      expectProblem(late, 409);
      // Closed: only what a held record allows (issue 12: rectification, handover).
      expect(late.body.allowedEvents).toEqual(['RECTIFY', 'HAND_OVER']);
      expect(late.body.state).toBe('closed');

      const d = await caseIn(t, w, 'draft');
      // Issue 12: a draft takes the consent already, and is edited (EDIT_DRAFT), not rectified.
      const wrong = await postEvent(t, ref, d.id, { type: 'RECTIFY', expectedVersion: 1, summary: { district: 'Centre-ville' } });
      expectProblem(wrong, 409);
      expect(wrong.body.detail).toContain('RECTIFY');
      expect([...wrong.body.allowedEvents].sort()).toEqual([
        'DELETE_DRAFT',
        'EDIT_DRAFT',
        'HAND_OVER',
        'RECORD_CONSENT',
        'RECORD_EXTERNAL_REPORT',
        'SUBMIT',
        'WITHDRAW_CONSENT',
      ]);
      expect(await caseRow(d)).toMatchObject({ state: 'draft', version: 1, events: 1 });
    });

    it('refuses a stale expectedVersion, saying which version is current', async () => {
      const c = await caseIn(t, w, 'submitted');
      const res = await postEvent(t, coord, c.id, { type: 'ACCEPT', expectedVersion: 1 });
      expectProblem(res, 409);
      expect(res.body.currentVersion).toBe(2);
      expect(res.body.type).toMatch(/stale_version$/);
      const ahead = await postEvent(t, coord, c.id, { type: 'ACCEPT', expectedVersion: 3 });
      expectProblem(ahead, 409);
      expect(await caseRow(c)).toMatchObject({ state: 'submitted', version: 2, events: 2 });
    });
  });

  describe('404: unknown case and no relation look the same', () => {
    let c: CaseRef;
    beforeAll(async () => {
      c = await caseIn(t, w, 'submitted');
    });

    it.each([
      ['GET', '/cases/:id'],
      ['GET', '/cases/:id/history'],
      ['POST', '/cases/:id/events'],
    ])('%s %s', async (method, template) => {
      const path = (id: string) => template.replace(':id', id);
      const send = (token: string, id: string) =>
        method === 'GET'
          ? get(t, token, path(id))
          : t.http().post(path(id)).set('authorization', `Bearer ${token}`).send({ type: 'WITHDRAW_CONSENT', expectedVersion: 2 });
      const unknown = await send(ref, randomUUID());
      expectProblem(unknown, 404);
      // A member not attending, another one, a coordinator and a referrer of another territory:
      // none is related to the case, none learns it exists. (A referrer of the same service is
      // related since issue 10: it may record the person's withdrawal.)
      for (const stranger of [w.townOfficer.token, w.housingOfficer.token, other.coordinator.token, other.referrer.token]) {
        const res = await send(stranger, c.id);
        expectProblem(res, 404);
        expect(withoutInstance(res.body)).toEqual(withoutInstance(unknown.body));
      }
      expect(await caseRow(c)).toMatchObject({ state: 'submitted', version: 2 });
    });
  });

  describe('401 and 403', () => {
    it('answers 401 without a token or with a bad one', async () => {
      const none = await t.http().get('/cases');
      expectProblem(none, 401);
      const garbage = await t.http().get('/cases').set('authorization', 'Bearer not-a-token');
      expectProblem(garbage, 401);
      expect(garbage.body).toEqual(none.body);
      // A real token with one character of its signature changed.
      const last = ref.at(-2) === 'A' ? 'B' : 'A';
      const tampered = await t
        .http()
        .get('/cases')
        .set('authorization', `Bearer ${ref.slice(0, -2)}${last}${ref.at(-1)}`);
      expectProblem(tampered, 401);
      const basic = await t
        .http()
        .get('/cases')
        .set('authorization', `Basic ${Buffer.from(`${w.referrer.email}:${PASSWORD}`).toString('base64')}`);
      expectProblem(basic, 401);
      const events = await t.http().post(`/cases/${randomUUID()}/events`).send({ type: 'SUBMIT', expectedVersion: 1 });
      expectProblem(events, 401);
    });

    it('answers 403 to a wrong role, and to an event the policy does not give this relation', async () => {
      const member = await t.http().post('/cases').set('authorization', `Bearer ${w.housingOfficer.token}`).send(caseBody(w.commissionId));
      expectProblem(member, 403);
      const territory = await t.http().post('/territories').set('authorization', `Bearer ${coord}`).send({ name: 'CLSM pirate' });
      expectProblem(territory, 403);
      const charter = await t.http().put(`/commissions/${w.commissionId}/charter`).set('authorization', `Bearer ${ref}`).send({ version: 2, text: 'x' });
      expectProblem(charter, 403);

      const c = await caseIn(t, w, 'submitted');
      const accept = await postEvent(t, ref, c.id, { type: 'ACCEPT', expectedVersion: 2 });
      expectProblem(accept, 403);
      const consent = await postEvent(t, coord, c.id, { type: 'RECORD_CONSENT', expectedVersion: 2, ...grantedConsent() });
      expectProblem(consent, 403);
      expect(await caseRow(c)).toMatchObject({ state: 'submitted', version: 2, events: 2 });
    });

    it("stops a disabled user's token at once", async () => {
      const email = `soon-disabled.${Date.now()}@test.local`;
      const user = await call(t, w.admin.token, 'post', '/users', {
        email,
        password: PASSWORD,
        displayName: 'Soon disabled',
        organisationId: w.orgs.social,
        roles: ['referrer'],
        profession: 'social_worker',
      });
      const token = await login(t, email);
      const c = await call(t, token, 'post', '/cases', caseBody(w.commissionId));
      expect((await get(t, token, `/cases/${c.id}`)).status).toBe(200);

      await call(t, w.admin.token, 'patch', `/users/${user.id}`, { disabled: true }, 200);
      expectProblem(await get(t, token, `/cases/${c.id}`), 401);
      expectProblem(await get(t, token, '/me'), 401);
      expectProblem(await postEvent(t, token, c.id, { type: 'SUBMIT', expectedVersion: 1 }), 401);
      const again = await t.http().post('/auth/login').send({ email, password: PASSWORD });
      expectProblem(again, 401);
      const [row] = await t.db.dataSource.query(`SELECT state, version FROM cases WHERE id = $1`, [c.id]);
      expect(row).toEqual({ state: 'draft', version: 1 });
    });
  });

  it('answers 413 to a body over the limit', async () => {
    const body = caseBody(w.commissionId);
    const huge = { ...body, summary: { ...body.summary, narrative: 'x'.repeat(t.config.bodyLimitBytes + 1024) } };
    const res = await t.http().post('/cases').set('authorization', `Bearer ${ref}`).send(huge);
    expectProblem(res, 413);
  });

  describe('422', () => {
    // Issue 12: an urgent referral is no longer refused; it is stored and answered with the pointer
    // (test/e2e/referral-lives.test.ts).
    it('stores an urgent referral and answers the pointer to emergency services', async () => {
      const body = caseBody(w.commissionId);
      const res = await t
        .http()
        .post('/cases')
        .set('authorization', `Bearer ${ref}`)
        .send({ ...body, summary: { ...body.summary, urgent: true } });
      expect(res.status).toBe(201);
      expect(res.body.notices[0].code).toBe('emergency');
      expect(res.body.notices[0].message).toMatch(/\b15\b/);
      expect(res.body.notices[0].message).toMatch(/\b112\b/);
    });

    it('refuses ADOPT_PLAN without actions, naming actions', async () => {
      const c = await caseIn(t, w, 'in_review', openSession);
      const res = await postEvent(t, coord, c.id, { type: 'ADOPT_PLAN', expectedVersion: c.version, actions: [] });
      expectProblem(res, 400);
      expect(fields(res)).toEqual(['actions']);
      expect(await caseRow(c)).toMatchObject({ state: 'in_review', version: c.version, events: c.version, actions: 0 });
    });

    it('refuses REVIEW_WITHOUT_CONSENT with a blank justification, naming justification', async () => {
      const c = await caseIn(t, w, 'awaiting_consent');
      for (const justification of ['', '   ']) {
        const res = await postEvent(t, ref, c.id, { type: 'REVIEW_WITHOUT_CONSENT', expectedVersion: c.version, justification });
        expectProblem(res, 400);
        expect(fields(res)).toEqual(['justification']);
      }
      expect(await caseRow(c)).toMatchObject({ state: 'awaiting_consent', version: 3, events: 3 });
      expect((await postEvent(t, ref, c.id, { type: 'REVIEW_WITHOUT_CONSENT', expectedVersion: 3, justification: JUSTIFICATION })).status).toBe(200);
    });
  });

  describe('a refused request leaves no partial write', () => {
    let c: CaseRef;
    beforeAll(async () => {
      c = await caseIn(t, w, 'in_review', openSession);
    });

    it('ADOPT_PLAN with one unknown owner organisation writes no action and keeps the version', async () => {
      const body = plan(w);
      const actions = [...(body.actions as object[]), { title: 'Action orpheline', ownerOrganisationId: randomUUID(), dueAt: inDays(20) }];
      const res = await postEvent(t, coord, c.id, { type: 'ADOPT_PLAN', expectedVersion: c.version, actions });
      expectProblem(res, 400);
      expect(fields(res)).toEqual(['actions.2.ownerOrganisationId']);
      expect(await caseRow(c)).toMatchObject({ state: 'in_review', version: c.version, events: c.version, actions: 0 });
    });

    it('ADOPT_PLAN with an owner organisation of another territory writes nothing', async () => {
      const actions = [...(plan(w).actions as object[]), { title: 'Hors territoire', ownerOrganisationId: other.orgs.housing, dueAt: inDays(20) }];
      const res = await postEvent(t, coord, c.id, { type: 'ADOPT_PLAN', expectedVersion: c.version, actions });
      expectProblem(res, 400);
      expect(await caseRow(c)).toMatchObject({ state: 'in_review', version: c.version, actions: 0 });
    });

    it('ADOPT_PLAN whose last action holds a phone number writes nothing (422, field named, value not echoed)', async () => {
      // Issue 10: a title naming the person is held, not refused, when the coordinator writes it
      // (test/security/leak-guard-oracle.test.ts); a generic identifier is refused for anyone.
      const actions = [
        ...(plan(w).actions as object[]),
        { title: 'Rappeler la voisine au 06 99 88 77 66', ownerOrganisationId: w.orgs.municipal, dueAt: inDays(20) },
      ];
      const res = await postEvent(t, coord, c.id, { type: 'ADOPT_PLAN', expectedVersion: c.version, actions });
      expectProblem(res, 422);
      // A generic pattern answers the same whatever the person's identity: field and kind named.
      expect(fields(res)).toEqual(['actions.2.title']);
      expect(res.body.kind).toBe('phone');
      expect(await caseRow(c)).toMatchObject({ state: 'in_review', version: c.version, events: c.version, actions: 0 });
      // The refusal outlives the rollback in the audit log, as a denied attempt on the identity.
      const [denied] = await t.db.dataSource.query(
        `SELECT classes, purpose FROM audit_events WHERE case_id = $1 AND action = 'case.event.ADOPT_PLAN' AND decision = 'deny' ORDER BY id DESC LIMIT 1`,
        [c.id],
      );
      expect(denied).toEqual({ classes: ['identity'], purpose: 'identifying_text' });
    });

    it('ADOPT_PLAN with an impossible due date is a 400 naming it, and writes nothing', async () => {
      const actions = [...(plan(w).actions as object[]), { title: 'Date impossible', ownerOrganisationId: w.orgs.municipal, dueAt: '2031-02-30' }];
      const res = await postEvent(t, coord, c.id, { type: 'ADOPT_PLAN', expectedVersion: c.version, actions });
      expectProblem(res, 400);
      expect(fields(res)).toEqual(['actions.2.dueAt']);
      expect(await caseRow(c)).toMatchObject({ state: 'in_review', version: c.version, events: c.version, actions: 0 });
    });

    it('the same plan, corrected, then goes through once', async () => {
      const res = await postEvent(t, coord, c.id, { type: 'ADOPT_PLAN', expectedVersion: c.version, ...plan(w) });
      expect(res.status).toBe(200);
      expect(await caseRow(c)).toMatchObject({ state: 'plan_active', version: c.version + 1, events: c.version + 1, actions: 2 });
    });
  });
});
