/**
 * The HTTP contract (API.md in the project brief), read top to bottom as an outside client reads
 * it: only the HTTP API, with API.md's own field names and bodies, on the real application and its
 * embedded PostgreSQL. Each `describe` is a section of API.md; each test asserts the statuses and
 * the response shapes it lists — field names and types, exact values where API.md gives them.
 * Behaviour in depth is tested elsewhere (lifecycle, secrecy, rights…): here, the form. Extra
 * fields are allowed (API.md: add freely). Where the server serves another form than API.md's —
 * an item a later issue changed on purpose — the test asserts what is served and names the issue
 * ("Decided by issue N"); the README lists them (API).
 */
import type { Response } from 'supertest';
import { createWorldApp, IDENTITY, login, PASSWORD, type World } from '../factories/world.js';
import { caseIn, grantedConsent, inDays, newSession, type CaseRef } from '../factories/lifecycle.js';
import { type TestApp } from '../support/app.js';
import { nextCode, settled, type Credentials } from '../support/totp.js';
import { binary, pdfText } from '../support/pdf.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const uuid = expect.stringMatching(UUID);
const iso = expect.stringMatching(ISO);
const isoOrNull = (v: unknown) => v === null || (typeof v === 'string' && ISO.test(v));
/** The transparency code printed on the consent receipt. */
const CODE = /\b([2-9A-HJ-NP-Z]{4}(?:-[2-9A-HJ-NP-Z]{4}){4})\b/;

/** An RFC 9457 problem detail: its media type and its four members. */
function expectProblem(res: Response, status: number) {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
}

describe('HTTP contract (API.md)', () => {
  let t: TestApp;
  let w: World;
  let session: string;
  /** A ProConnect-like OpenID provider, configured as API.md says (OIDC_<NAME>_…). */
  let provider: TestProvider;
  const PUBLIC = 'https://cellule.test';

  /** A request with a bearer token, whatever the answer. */
  const as = (token: string | null, method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, body?: object) => {
    const req = t.http()[method](url);
    if (token) req.set('authorization', `Bearer ${token}`);
    return body === undefined ? req : req.send(body);
  };
  const event = (token: string, c: CaseRef, type: string, payload: object = {}) =>
    as(token, 'post', `/cases/${c.id}/events`, { type, expectedVersion: c.version, ...payload });
  /** Sends an event expected to succeed and checks the answer's shape. */
  async function send(token: string, c: CaseRef, type: string, payload: object = {}, state?: string) {
    const res = await event(token, c, type, payload);
    expect({ type, status: res.status, body: res.status === 200 ? {} : res.body }).toEqual({ type, status: 200, body: {} });
    expect(res.body).toEqual(expect.objectContaining({ state: state ?? expect.any(String), version: c.version + 1, allowedEvents: expect.any(Array) }));
    c.state = res.body.state;
    c.version = res.body.version;
    return res.body as { state: string; version: number; allowedEvents: string[] };
  }

  beforeAll(async () => {
    provider = await startTestProvider({ kind: 'proconnect', redirectUri: `${PUBLIC}/auth/oidc/pc/callback`, postLogoutRedirectUri: `${PUBLIC}/app/connexion` });
    ({ t, w } = await createWorldApp({
      CELLULE_PUBLIC_URL: PUBLIC,
      OIDC_PC_ISSUER: provider.issuer,
      OIDC_PC_CLIENT_ID: provider.clientId,
      OIDC_PC_CLIENT_SECRET: provider.clientSecret,
      OIDC_PC_KIND: 'proconnect',
    }));
    session = await newSession(t, w, { open: true, startInDays: 0 });
    // The members present at the open session (what lets them read the situations on its agenda).
    for (const member of [w.psychiatrist, w.housingOfficer, w.townOfficer]) {
      const present = await as(member.token, 'post', `/sessions/${session}/attendance`);
      if (present.status >= 300) throw new Error(`attendance → ${present.status}`);
    }
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  describe('Start-up and accounts', () => {
    it('GET /health → 200 { status: "ok" }', async () => {
      const res = await t.http().get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('POST /auth/login: 401 on any failure, the same answer whether the email exists or not', async () => {
      const known = await t.http().post('/auth/login').send({ email: w.referrer.email, password: 'not-the-password-at-all' });
      const unknown = await t.http().post('/auth/login').send({ email: 'nobody@test.local', password: 'not-the-password-at-all' });
      expectProblem(known, 401);
      expectProblem(unknown, 401);
      expect(unknown.body).toEqual(known.body);
    });

    it('every other call needs Authorization: Bearer …', async () => {
      expectProblem(await t.http().get('/me'), 401);
      expectProblem(await as('not-a-token', 'get', '/me'), 401);
    });

    it('GET /auth/oidc/:provider/login → 302 to the provider; its callback without that sign-in is refused (oidc.test.ts: the whole sign-in)', async () => {
      const res = await t.http().get('/auth/oidc/pc/login');
      expect(res.status).toBe(302);
      expect((res.headers.location as string).startsWith(provider.issuer)).toBe(true);
      expect(new URL(res.headers.location as string).searchParams.get('redirect_uri')).toBe(`${PUBLIC}/auth/oidc/pc/callback`);
      const stray = await t.http().get('/auth/oidc/pc/callback?code=forged&state=forged');
      expect(stray.status).toBe(302);
      expect(stray.headers.location).toBe('/app/connexion?oidc=echec');
      expect(String(stray.headers['set-cookie'] ?? '')).not.toContain('__Host-cellule-session=');
      expectProblem(await t.http().get('/auth/oidc/nowhere/login'), 404);
    });

    let orgId: string;
    const email = 'contract.partner@test.local';

    it('admin: POST /territories, /organisations, /users → 201 { id, … }', async () => {
      const territory = await as(w.admin.token, 'post', '/territories', { name: 'CLSM du contrat' });
      expect(territory.status).toBe(201);
      expect(territory.body).toMatchObject({ id: uuid });
      const sectors = ['health', 'social', 'housing', 'municipal', 'association', 'justice', 'education', 'coordination'];
      for (const sector of sectors) {
        const org = await as(w.admin.token, 'post', '/organisations', { name: `Partenaire ${sector}`, sector, territoryId: territory.body.id });
        expect({ sector, status: org.status }).toEqual({ sector, status: 201 });
        expect(org.body).toMatchObject({ id: uuid });
        if (sector === 'association') orgId = org.body.id;
      }
      const user = await as(w.admin.token, 'post', '/users', {
        email,
        password: PASSWORD,
        displayName: 'Partenaire du contrat',
        organisationId: orgId,
        roles: ['member'],
        profession: 'educator',
      });
      expect(user.status).toBe(201);
      expect(user.body).toMatchObject({ id: uuid });
    });

    it('admin: a body off the contract is a 400 problem naming the field, and nothing is created', async () => {
      const bad = await as(w.admin.token, 'post', '/organisations', { name: 'Hors liste', sector: 'police', territoryId: w.territoryId });
      expectProblem(bad, 400);
      expect(JSON.stringify(bad.body)).toContain('sector');
      const role = await as(w.admin.token, 'post', '/users', { email: 'x@test.local', password: PASSWORD, displayName: 'x', roles: ['owner'], profession: 'none' });
      expectProblem(role, 400);
      expect(JSON.stringify(role.body)).toContain('roles');
      expect((await t.http().post('/auth/login').send({ email: 'x@test.local', password: PASSWORD })).status).toBe(401);
    });

    const credentials: Credentials = { password: PASSWORD };
    let firstToken: string;

    it('a temporary password: { passwordChange: "required", challengeToken }, then POST /auth/password → what a login answers next', async () => {
      const login = await t.http().post('/auth/login').send({ email, password: PASSWORD });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ passwordChange: 'required', challengeToken: expect.any(String) });
      const weak = await t.http().post('/auth/password').send({ challengeToken: login.body.challengeToken, newPassword: 'short' });
      expectProblem(weak, 400);
      expect(JSON.stringify(weak.body)).toContain('newPassword');
      credentials.password = settled(PASSWORD);
      const changed = await t.http().post('/auth/password').send({ challengeToken: login.body.challengeToken, newPassword: credentials.password });
      expect(changed.status).toBe(200);
      // A member must enrol a second factor (policies/access.yaml): the base32 secret, shown once.
      expect(changed.body).toMatchObject({ mfa: 'enroll', challengeToken: expect.any(String), secret: expect.stringMatching(/^[A-Z2-7]+=*$/), otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//) });
      credentials.secret = changed.body.secret;
      const wrong = await t.http().post('/auth/mfa').send({ challengeToken: changed.body.challengeToken, code: '000000' });
      expectProblem(wrong, 401);
      const mfa = await t.http().post('/auth/mfa').send({ challengeToken: changed.body.challengeToken, code: await nextCode(credentials) });
      expect(mfa.status).toBe(200);
      expect(mfa.body).toMatchObject({ accessToken: expect.any(String), expiresIn: expect.any(Number) });
      firstToken = mfa.body.accessToken;
      expect((await as(firstToken, 'get', '/me')).status).toBe(200);
    });

    it('enrolled: { mfa: "required", challengeToken }, then POST /auth/mfa { challengeToken, code } → { accessToken, expiresIn }', async () => {
      const login = await t.http().post('/auth/login').send({ email, password: credentials.password });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ mfa: 'required', challengeToken: expect.any(String) });
      const mfa = await t.http().post('/auth/mfa').send({ challengeToken: login.body.challengeToken, code: await nextCode(credentials) });
      expect(mfa.status).toBe(200);
      expect(mfa.body).toMatchObject({ accessToken: expect.any(String), expiresIn: expect.any(Number) });
    });

    it('POST /me/password { currentPassword, newPassword } → 204 and ends the earlier tokens', async () => {
      const weak = await as(firstToken, 'post', '/me/password', { currentPassword: credentials.password, newPassword: 'password1234' });
      expectProblem(weak, 400);
      expect(JSON.stringify(weak.body)).toContain('newPassword');
      const res = await as(firstToken, 'post', '/me/password', { currentPassword: credentials.password, newPassword: 'a-new-long-passphrase-for-the-contract' });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await as(firstToken, 'get', '/me'), 401);
      const again = await t.http().post('/auth/login').send({ email, password: 'a-new-long-passphrase-for-the-contract' });
      expect(again.body).toMatchObject({ mfa: 'required', challengeToken: expect.any(String) });
    });
  });

  describe('Commissions and sessions', () => {
    let commissionId: string;
    let sessionId: string;

    it('POST /commissions { territoryId, name } → 201 { id }; POST /commissions/:id/members { userId } → 201', async () => {
      const res = await as(w.coordinator.token, 'post', '/commissions', { territoryId: w.territoryId, name: 'Cellule du contrat' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: uuid });
      commissionId = res.body.id;
      const member = await as(w.coordinator.token, 'post', `/commissions/${commissionId}/members`, { userId: w.psychiatrist.id });
      expect(member.status).toBe(201);
      expectProblem(await as(w.referrer.token, 'post', '/commissions', { territoryId: w.territoryId, name: 'Pas la sienne' }), 403);
    });

    it('POST /commissions/:id/sessions { startsAt, endsAt } → 201 { id }; the dossier is 403 before the charter is accepted', async () => {
      const res = await as(w.coordinator.token, 'post', `/commissions/${commissionId}/sessions`, { startsAt: inDays(0), endsAt: inDays(0.1) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: uuid });
      sessionId = res.body.id;
      const open = await as(w.coordinator.token, 'post', `/sessions/${sessionId}/open`);
      expect(open.status).toBeLessThan(300);
      expectProblem(await as(w.psychiatrist.token, 'get', `/sessions/${sessionId}/dossier`), 403);
    });

    it('PUT /commissions/:id/charter { version, text } → 200; POST …/charter/accept { version } → 201; POST /sessions/:id/attendance; then the dossier while open', async () => {
      expect((await as(w.coordinator.token, 'put', `/commissions/${commissionId}/charter`, { version: 1, text: 'Charte du contrat' })).status).toBe(200);
      expect((await as(w.psychiatrist.token, 'post', `/commissions/${commissionId}/charter/accept`, { version: 1 })).status).toBe(201);
      // Decided by issue 12: once the session is open, the dossier goes to the members whose
      // presence is recorded — accepting the charter is not enough.
      expectProblem(await as(w.psychiatrist.token, 'get', `/sessions/${sessionId}/dossier`), 403);
      expect((await as(w.psychiatrist.token, 'post', `/sessions/${sessionId}/attendance`)).status).toBeLessThan(300);
      const dossier = await as(w.psychiatrist.token, 'get', `/sessions/${sessionId}/dossier`);
      expect(dossier.status).toBe(200);
      expect(dossier.body).toMatchObject({ sessionId, items: expect.any(Array) });
      expect(JSON.stringify(dossier.body)).not.toContain(IDENTITY.lastName);
    });

    it('GET /sessions/:id/record; POST /sessions/:id/close; ?format=pdf once closed', async () => {
      const record = await as(w.coordinator.token, 'get', `/sessions/${sessionId}/record`);
      expect(record.status).toBe(200);
      expect(record.body).toEqual(expect.any(Object));
      expect((await as(w.coordinator.token, 'post', `/sessions/${sessionId}/close`)).status).toBeLessThan(300);
      // Decided by issue 12: the PDF is the frozen record, made once the record too is closed
      // (POST /sessions/:id/record/close).
      const early = await as(w.coordinator.token, 'get', `/sessions/${sessionId}/record?format=pdf`);
      expectProblem(early, 409);
      expect((await as(w.coordinator.token, 'post', `/sessions/${sessionId}/record/close`)).status).toBe(200);
      const pdf = await as(w.coordinator.token, 'get', `/sessions/${sessionId}/record?format=pdf`).buffer(true).parse(binary);
      expect(pdf.status).toBe(200);
      expect(pdf.headers['content-type']).toMatch(/^application\/pdf/);
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      // Closed: the dossier is no longer served.
      expectProblem(await as(w.psychiatrist.token, 'get', `/sessions/${sessionId}/dossier`), 403);
    });

    it('DELETE /commissions/:id/members/:userId → 204; access ends at once', async () => {
      const res = await as(w.coordinator.token, 'delete', `/commissions/${commissionId}/members/${w.psychiatrist.id}`);
      expect(res.status).toBe(204);
      const next = await as(w.coordinator.token, 'post', `/commissions/${commissionId}/sessions`, { startsAt: inDays(0), endsAt: inDays(0.1) });
      await as(w.coordinator.token, 'post', `/sessions/${next.body.id}/open`);
      expectProblem(await as(w.psychiatrist.token, 'get', `/sessions/${next.body.id}/dossier`), 403);
    });
  });

  describe('Cases', () => {
    const body = (summary: Record<string, unknown> = {}) => ({
      commissionId: w.commissionId,
      identity: IDENTITY,
      summary: {
        ageBand: '40-49',
        district: 'Quartier du contrat',
        household: 'alone',
        problems: ['housing', 'care_continuity'],
        question: 'Comment renouer le lien avec le soin ?',
        narrative: 'Personne seule, en rupture de soins.',
        alreadyTried: 'Visites à domicile',
        partnersInvolved: ['health', 'housing'],
        expectations: 'Un plan partagé',
        minorInHousehold: false,
        urgent: false,
        ...summary,
      },
      social: { narrative: 'Dette locative.' },
      health: { narrative: 'Suivi interrompu.' },
    });
    let c: CaseRef;

    it('POST /cases → 201 { id, reference, state: "draft", version }; summary fields after narrative are optional', async () => {
      const res = await as(w.referrer.token, 'post', '/cases', body());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: uuid, reference: expect.any(String), state: 'draft', version: expect.any(Number) });
      c = { id: res.body.id, reference: res.body.reference, state: res.body.state, version: res.body.version };
      const { alreadyTried: _a, partnersInvolved: _p, expectations: _e, minorInHousehold: _m, urgent: _u, ...required } = body().summary;
      const short = await as(w.referrer.token, 'post', '/cases', { ...body(), summary: required });
      expect(short.status).toBe(201);
      expect(short.body).toMatchObject({ state: 'draft' });
    });

    it('POST /cases: urgent: true carries the pointer to emergency services; a bad field → 400 naming it', async () => {
      // API.md: 422. Decided by issue 12 (« stores the referral and shows the emergency pointer …
      // instead of refusing it »): 201, and every answer about it carries the emergency notice.
      const urgent = await as(w.referrer.token, 'post', '/cases', body({ urgent: true }));
      expect(urgent.status).toBe(201);
      const view = await as(w.referrer.token, 'get', `/cases/${urgent.body.id}`);
      expect(view.body.notices).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'emergency', message: expect.stringMatching(/15.*112|112.*15/) })]));
      const bad = await as(w.referrer.token, 'post', '/cases', { ...body(), identity: { ...IDENTITY, birthDate: 'le 14 mars' } });
      expectProblem(bad, 400);
      expect(JSON.stringify(bad.body)).toContain('birthDate');
      expect(bad.text).not.toContain('le 14 mars');
    });

    it('minorInHousehold: true adds the child-protection notice to the case', async () => {
      const res = await as(w.referrer.token, 'post', '/cases', body({ minorInHousehold: true }));
      expect(res.status).toBe(201);
      const view = await as(w.referrer.token, 'get', `/cases/${res.body.id}`);
      expect(view.body.notices).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'child_protection', message: expect.any(String) })]));
    });

    it('GET /cases → reference, state, dates; filters state and commissionId; paginated', async () => {
      const res = await as(w.referrer.token, 'get', '/cases');
      expect(res.status).toBe(200);
      const item = (res.body.items as { id: string }[]).find((i) => i.id === c.id);
      expect(item).toMatchObject({ id: c.id, reference: c.reference, state: 'draft', createdAt: iso, updatedAt: iso });
      const drafts = await as(w.referrer.token, 'get', `/cases?state=draft&commissionId=${w.commissionId}`);
      expect(drafts.status).toBe(200);
      expect((drafts.body.items as { state: string }[]).every((i) => i.state === 'draft')).toBe(true);
      expect(drafts.body.items.length).toBeGreaterThan(0);
      const none = await as(w.referrer.token, 'get', '/cases?state=closed');
      expect(none.body.items).toEqual([]);
      const page = await as(w.referrer.token, 'get', '/cases?limit=1');
      expect(page.body).toMatchObject({ items: [expect.any(Object)], nextCursor: expect.any(String) });
      const next = await as(w.referrer.token, 'get', `/cases?limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`);
      expect(next.body.items).toHaveLength(1);
      expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
      expectProblem(await as(w.referrer.token, 'get', '/cases?state=nowhere'), 400);
    });

    it('GET /cases/:id → the released classes, state, version, allowedEvents, withheld reason codes; no relation → 404', async () => {
      const res = await as(w.referrer.token, 'get', `/cases/${c.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: c.id, reference: c.reference, state: 'draft', version: c.version, allowedEvents: expect.arrayContaining(['SUBMIT']) });
      expect(res.body.identity).toMatchObject({ lastName: IDENTITY.lastName, birthDate: IDENTITY.birthDate });
      expect(res.body.withheld).toEqual(expect.any(Object));
      // The housing member has no relation to a draft: 404, the same as a case that does not exist.
      const stranger = await as(w.housingOfficer.token, 'get', `/cases/${c.id}`);
      const missing = await as(w.housingOfficer.token, 'get', '/cases/00000000-0000-4000-8000-000000000000');
      expectProblem(stranger, 404);
      expectProblem(missing, 404);
      expect({ ...stranger.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
    });

    it('PATCH /cases/:id { expectedVersion, summary } → 200 with the new version; stale → 409', async () => {
      const res = await as(w.referrer.token, 'patch', `/cases/${c.id}`, { expectedVersion: c.version, summary: { question: 'Comment éviter une expulsion ?' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ version: c.version + 1 });
      const stale = await as(w.referrer.token, 'patch', `/cases/${c.id}`, { expectedVersion: c.version, summary: { question: 'Autre question' } });
      expectProblem(stale, 409);
      c.version = res.body.version;
    });

    it('POST /cases/:id/events → 200 { state, version, allowedEvents }; stale or not allowed → 409 saying which; forbidden → 403', async () => {
      const stale = await as(w.referrer.token, 'post', `/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: c.version - 1 });
      expectProblem(stale, 409);
      expect(stale.body.detail).toMatch(/version/i);
      const notNow = await event(w.coordinator.token, c, 'CLOSE', { outcome: 'resolved' });
      expect([403, 409]).toContain(notNow.status);
      const sent = await send(w.referrer.token, c, 'SUBMIT', {}, 'submitted');
      expect(sent.allowedEvents).not.toContain('SUBMIT');
      const forbidden = await event(w.referrer.token, c, 'ACCEPT');
      expectProblem(forbidden, 403);
      const notAllowed = await event(w.coordinator.token, c, 'START_REVIEW');
      expectProblem(notAllowed, 409);
      expect(notAllowed.body.detail).toMatch(/START_REVIEW|submitted/);
    });

    it('the event payloads as API.md writes them, along the main path to the follow-up', async () => {
      await send(w.coordinator.token, c, 'ACCEPT', {}, 'awaiting_consent');
      const consent = {
        decision: 'granted',
        informedAt: inDays(-1),
        method: 'representative',
        scope: [{ sector: 'health', classes: ['identity'] }],
        expiresAt: inDays(300),
      };
      // Decided by issue 12: a representative's consent names the measure and the representative's
      // organisation; without them, 400 naming the field.
      const unnamed = await event(w.referrer.token, c, 'RECORD_CONSENT', consent);
      expectProblem(unnamed, 400);
      expect(unnamed.body.errors[0].field).toBe('representative');
      await send(
        w.referrer.token,
        c,
        'RECORD_CONSENT',
        {
          decision: 'granted',
          informedAt: inDays(-1),
          method: 'written',
          scope: [
            { sector: 'health', classes: ['identity', 'health'] },
            { sector: 'housing', classes: ['identity'] },
          ],
          expiresAt: inDays(300),
        },
        'ready_for_review',
      );
      const missingSession = await event(w.coordinator.token, c, 'SCHEDULE', {});
      expectProblem(missingSession, 400);
      expect(JSON.stringify(missingSession.body)).toContain('sessionId');
      await send(w.coordinator.token, c, 'SCHEDULE', { sessionId: session }, 'scheduled');
      await send(w.coordinator.token, c, 'START_REVIEW', {}, 'in_review');
      const noActions = await event(w.coordinator.token, c, 'ADOPT_PLAN', { followUpAt: inDays(60) });
      expectProblem(noActions, 400);
      expect(JSON.stringify(noActions.body)).toContain('actions');
      await send(
        w.coordinator.token,
        c,
        'ADOPT_PLAN',
        { actions: [{ title: 'Reprendre contact avec le CMP', ownerOrganisationId: w.orgs.health, dueAt: inDays(30) }], followUpAt: inDays(60) },
        'plan_active',
      );
      await send(w.coordinator.token, c, 'FOLLOW_UP_DUE', {}, 'follow_up');
      await send(w.coordinator.token, c, 'CONTINUE', {}, 'plan_active');
      await send(w.coordinator.token, c, 'FOLLOW_UP_DUE', {}, 'follow_up');
    });

    it('REJECT { reason }, WITHDRAW_CONSENT { }, REVIEW_WITHOUT_CONSENT { justification }, UNSCHEDULE, DEFER', async () => {
      const rejected = await caseIn(t, w, 'submitted');
      await send(w.coordinator.token, rejected, 'REJECT', { reason: 'Hors du champ de la cellule' }, 'closed');
      const withdrawn = await caseIn(t, w, 'ready_for_review');
      await send(w.referrer.token, withdrawn, 'WITHDRAW_CONSENT', {});
      const without = await caseIn(t, w, 'awaiting_consent');
      await send(w.referrer.token, without, 'REVIEW_WITHOUT_CONSENT', { justification: 'La personne ne peut être jointe' }, 'ready_for_review');
      await send(w.coordinator.token, without, 'SCHEDULE', { sessionId: session }, 'scheduled');
      await send(w.coordinator.token, without, 'UNSCHEDULE', {}, 'ready_for_review');
      const deferred = await caseIn(t, w, 'in_review', session);
      await send(w.coordinator.token, deferred, 'DEFER', {});
    });

    it('PATCH /cases/:id/actions/:actionId { status, note? } (the owning organisation or the coordinator)', async () => {
      const view = await as(w.coordinator.token, 'get', `/cases/${c.id}`);
      const action = (view.body.plan.actions as { id: string }[])[0];
      expect(action.id).toMatch(UUID);
      const res = await as(w.psychiatrist.token, 'patch', `/cases/${c.id}/actions/${action.id}`, { status: 'in_progress', note: 'Rendez-vous pris' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'in_progress' });
      // The coordinator too (an action done would end the CMP's relation to the situation: kept open here).
      const byCoordinator = await as(w.coordinator.token, 'patch', `/cases/${c.id}/actions/${action.id}`, { status: 'todo', note: 'Relance prévue' });
      expect(byCoordinator.status).toBe(200);
      expect(byCoordinator.body).toMatchObject({ status: 'todo' });
      const bad = await as(w.coordinator.token, 'patch', `/cases/${c.id}/actions/${action.id}`, { status: 'finished' });
      expectProblem(bad, 400);
      expect(JSON.stringify(bad.body)).toContain('status');
      // API.md's `{ status: "blocked" }` with no reason works (the reason is then `other`); issue 13
      // added `blockReason` beside it, which the workspace always sends.
      const unexplained = await as(w.psychiatrist.token, 'patch', `/cases/${c.id}/actions/${action.id}`, { status: 'blocked' });
      expect(unexplained.status).toBe(200);
      expect(unexplained.body).toMatchObject({ status: 'blocked', blockReason: 'other' });
      const blocked = await as(w.psychiatrist.token, 'patch', `/cases/${c.id}/actions/${action.id}`, { status: 'blocked', blockReason: 'care_waiting_list' });
      expect(blocked.status).toBe(200);
      expect(blocked.body).toMatchObject({ status: 'blocked' });
      // A note in API.md's form on an action already blocked keeps its reason.
      const noted = await as(w.psychiatrist.token, 'patch', `/cases/${c.id}/actions/${action.id}`, { status: 'blocked', note: 'Relance du CMP' });
      expect(noted.status).toBe(200);
      expect(noted.body).toMatchObject({ status: 'blocked', blockReason: 'care_waiting_list' });
      // An organisation that neither owns the action nor coordinates: refused.
      const other = await as(w.housingOfficer.token, 'patch', `/cases/${c.id}/actions/${action.id}`, { status: 'todo' });
      expect([403, 404]).toContain(other.status);
      expectProblem(other, other.status);
    });

    it('GET /cases/:id/duplicates (coordinator) → references of possible duplicates, no identity', async () => {
      const res = await as(w.coordinator.token, 'get', `/cases/${c.id}/duplicates`);
      expect(res.status).toBe(200);
      expect(res.body.duplicates.length).toBeGreaterThan(0);
      for (const d of res.body.duplicates) expect(d).toMatchObject({ reference: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toMatch(/Zéphyrin|Anatole|1957/);
    });

    it('POST /cases/:id/documents (multipart: file, class) → 201 { id }; GET …/documents/:documentId → the file', async () => {
      const content = Buffer.from('%PDF-1.4\n% contrat\n');
      const res = await t
        .http()
        .post(`/cases/${c.id}/documents`)
        .set('authorization', `Bearer ${w.referrer.token}`)
        .field('class', 'social')
        .attach('file', content, { filename: 'bilan.pdf', contentType: 'application/pdf' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: uuid });
      const back = await as(w.referrer.token, 'get', `/cases/${c.id}/documents/${res.body.id}`).buffer(true).parse(binary);
      expect(back.status).toBe(200);
      expect(Buffer.compare(back.body as Buffer, content)).toBe(0);
      // The social class is not released to the town by this consent.
      const refused = await as(w.townOfficer.token, 'get', `/cases/${c.id}/documents/${res.body.id}`);
      expect([403, 404]).toContain(refused.status);
      expectProblem(refused, refused.status);
    });

    it('GET /cases/:id carries withheld: a reason code for each class not in the answer, never a value', async () => {
      // The CMP, owner of an action: the social class is never released to it by this consent.
      const res = await as(w.psychiatrist.token, 'get', `/cases/${c.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: c.state, version: c.version, allowedEvents: expect.any(Array) });
      expect(res.body.social).toBeUndefined();
      expect(res.body.withheld.social).toEqual(expect.stringMatching(/^[a-z_]+$/));
      for (const [cls, reason] of Object.entries(res.body.withheld as Record<string, unknown>)) {
        expect({ cls, reason, present: cls in res.body }).toEqual({ cls, reason: expect.stringMatching(/^[a-z_]+$/), present: false });
      }
      expect(JSON.stringify(res.body)).not.toMatch(/Dette locative/);
    });
    it('CLOSE { outcome }, REOPEN', async () => {
      const noOutcome = await event(w.coordinator.token, c, 'CLOSE', {});
      expectProblem(noOutcome, 400);
      expect(JSON.stringify(noOutcome.body)).toContain('outcome');
      await send(w.coordinator.token, c, 'CLOSE', { outcome: 'improved' }, 'closed');
      await send(w.coordinator.token, c, 'REOPEN', {});
    });

    it('GET /cases/:id/history → the transitions (event, from, to, actor organisation, at)', async () => {
      const res = await as(w.coordinator.token, 'get', `/cases/${c.id}/history`);
      expect(res.status).toBe(200);
      const entries = (Array.isArray(res.body) ? res.body : res.body.items) as Record<string, unknown>[];
      const submit = entries.find((e) => e.event === 'SUBMIT');
      expect(submit).toMatchObject({ event: 'SUBMIT', from: 'draft', to: 'submitted', actorOrganisationId: w.orgs.social, at: iso });
      expect(entries.map((e) => e.event)).toEqual(expect.arrayContaining(['ACCEPT', 'RECORD_CONSENT', 'ADOPT_PLAN', 'CLOSE', 'REOPEN']));
      expect(JSON.stringify(res.body)).not.toContain(IDENTITY.lastName);
    });

  });

  describe('The user’s own', () => {
    it('GET /me → the account', async () => {
      const res = await as(w.referrer.token, 'get', '/me');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ userId: w.referrer.id, email: w.referrer.email, organisationId: w.orgs.social, roles: ['referrer'] });
    });

    it('GET /me/notifications → { items: [ { id, kind, caseReference?, sessionId?, dueAt?, at, readAt } ] }; POST …/:id/read → 204', async () => {
      const res = await as(w.coordinator.token, 'get', '/me/notifications');
      expect(res.status).toBe(200);
      const items = res.body.items as Record<string, unknown>[];
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        expect(item).toMatchObject({ id: uuid, kind: expect.any(String), at: iso });
        expect(isoOrNull(item.readAt)).toBe(true);
        if ('caseReference' in item) expect(item.caseReference === null || typeof item.caseReference === 'string').toBe(true);
        if ('sessionId' in item) expect(item.sessionId === null || UUID.test(String(item.sessionId))).toBe(true);
        if ('dueAt' in item) expect(isoOrNull(item.dueAt)).toBe(true);
      }
      expect(items.some((i) => typeof i.caseReference === 'string')).toBe(true);
      expect(JSON.stringify(res.body)).not.toMatch(/Zéphyrin|Anatole|rupture de soins/);
      const unread = items.find((i) => i.readAt === null)!;
      const read = await as(w.coordinator.token, 'post', `/me/notifications/${unread.id}/read`);
      expect(read.status).toBe(204);
      expect(read.text).toBe('');
      const after = await as(w.coordinator.token, 'get', '/me/notifications');
      expect((after.body.items as Record<string, unknown>[]).find((i) => i.id === unread.id)?.readAt).toEqual(iso);
    });

    it('GET /me/todo → what waits on this user', async () => {
      const res = await as(w.coordinator.token, 'get', '/me/todo');
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/Zéphyrin|Anatole/);
    });
  });

  describe('Audit and statistics', () => {
    it('GET /audit/events?caseId=&userId=&from=&to=&decision= (auditor) → paginated { at, actorId, organisationId, action, caseId, classes, decision, purpose }', async () => {
      const res = await as(w.auditor.token, 'get', '/audit/events');
      expect(res.status).toBe(200);
      const items = res.body.items as Record<string, unknown>[];
      expect(items.length).toBeGreaterThan(0);
      for (const key of ['at', 'actorId', 'organisationId', 'action', 'caseId', 'classes', 'decision', 'purpose']) expect(items[0]).toHaveProperty(key);
      expect(['allow', 'deny']).toContain(items[0].decision);
      expect(items[0].classes).toEqual(expect.any(Array));
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const filtered = await as(w.auditor.token, 'get', `/audit/events?userId=${w.referrer.id}&decision=allow&from=${from}&to=${to}`);
      expect(filtered.status).toBe(200);
      expect(filtered.body.items.length).toBeGreaterThan(0);
      for (const e of filtered.body.items) expect(e).toMatchObject({ actorId: w.referrer.id, decision: 'allow' });
      const denied = await as(w.auditor.token, 'get', '/audit/events?decision=deny');
      for (const e of denied.body.items) expect(e.decision).toBe('deny');
      const anyCase = (items.find((e) => typeof e.caseId === 'string') as { caseId: string }).caseId;
      const byCase = await as(w.auditor.token, 'get', `/audit/events?caseId=${anyCase}`);
      for (const e of byCase.body.items) expect(e.caseId).toBe(anyCase);
      // Paginated: a page of one, and the next one from its cursor.
      const first = await as(w.auditor.token, 'get', '/audit/events?limit=1');
      expect(first.body).toMatchObject({ items: [expect.any(Object)], nextCursor: expect.any(String) });
      const second = await as(w.auditor.token, 'get', `/audit/events?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.status).toBe(200);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      expectProblem(await as(w.referrer.token, 'get', '/audit/events'), 403);
    });

    it('GET /audit/verify (auditor) → { ok, checked, firstBrokenId }', async () => {
      const res = await as(w.auditor.token, 'get', '/audit/verify');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, checked: expect.any(Number), firstBrokenId: null });
    });

    it('GET /audit/access-report?caseId= (auditor) → which organisations read which classes, when', async () => {
      const c = await caseIn(t, w, 'scheduled', session);
      expect((await as(w.psychiatrist.token, 'get', `/cases/${c.id}`)).status).toBe(200);
      const res = await as(w.auditor.token, 'get', `/audit/access-report?caseId=${c.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ caseId: c.id, organisations: expect.any(Array) });
      const health = (res.body.organisations as { id: string }[]).find((o) => o.id === w.orgs.health);
      expect(health).toMatchObject({ id: w.orgs.health, name: expect.any(String), classes: expect.arrayContaining([expect.objectContaining({ class: 'health', last: iso })]) });
      expect(JSON.stringify(res.body)).not.toMatch(/Zéphyrin|Anatole/);
    });

    it('GET /stats?territoryId=&year= (coordinator) → counts by state, problem, referrer sector, outcome, median delays; &format=csv', async () => {
      const year = new Date().getUTCFullYear();
      const res = await as(w.coordinator.token, 'get', `/stats?territoryId=${w.territoryId}&year=${year}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        byState: expect.any(Object),
        byProblem: expect.any(Object),
        byReferrerSector: expect.any(Object),
        byOutcome: expect.any(Object),
        medianDelayDays: expect.any(Object),
      });
      expect(Object.values(res.body.byState).every((n) => typeof n === 'number')).toBe(true);
      const pub = await as(w.coordinator.token, 'get', `/stats?territoryId=${w.territoryId}&year=${year}&audience=public`);
      expect(pub.status).toBe(200);
      // A handful of situations: every count of a state is below the threshold.
      expect(Object.values(pub.body.byState)).toContain('suppressed');
      expect(Object.values(pub.body.byState).every((n) => n === 'suppressed' || (typeof n === 'number' && n >= 5))).toBe(true);
      const csv = await as(w.coordinator.token, 'get', `/stats?territoryId=${w.territoryId}&year=${year}&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expectProblem(await as(w.referrer.token, 'get', `/stats?territoryId=${w.territoryId}&year=${year}`), 403);
    });
  });

  describe('The person’s rights', () => {
    let c: CaseRef;
    const pdf = (token: string, url: string) => as(token, 'post', url).buffer(true).parse(binary);

    it('POST /cases/:id/consent/letter (referrer) → the information letter (PDF)', async () => {
      c = await caseIn(t, w, 'awaiting_consent');
      const res = await pdf(w.referrer.token, `/cases/${c.id}/consent/letter`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/pdf/);
      expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('POST /cases/:id/consent/receipt → a PDF with a new transparency code; POST /transparency { reference, code } → { accesses, consent }', async () => {
      const r = c;
      const res = await as(w.referrer.token, 'post', `/cases/${r.id}/events`, { type: 'RECORD_CONSENT', expectedVersion: r.version, ...grantedConsent(), expiresAt: inDays(200) });
      expect(res.status).toBe(200);
      const first = await pdf(w.referrer.token, `/cases/${r.id}/consent/receipt`);
      expect(first.status).toBe(200);
      expect(first.headers['content-type']).toMatch(/^application\/pdf/);
      const code = CODE.exec((await pdfText(first.body as Buffer)).replace(/\s+/g, ' '))![1];
      await as(w.psychiatrist.token, 'get', `/cases/${r.id}`);
      const page = await t.http().post('/transparency').send({ reference: r.reference, code });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ accesses: expect.any(Array), consent: { scope: expect.any(Array), expiresAt: iso } });
      expect(page.body.accesses.length).toBeGreaterThan(0);
      for (const a of page.body.accesses) expect(a).toMatchObject({ organisation: expect.any(String), classes: expect.any(Array), at: iso });
      expect(JSON.stringify(page.body)).not.toMatch(/Zéphyrin|Anatole|1957/);

      expectProblem(await t.http().post('/transparency').send({ reference: r.reference, code: 'AAAA-BBBB-CCCC-DDDD-EEEE' }), 404);
      const second = await pdf(w.referrer.token, `/cases/${r.id}/consent/receipt`);
      expect(second.status).toBe(200);
      expectProblem(await t.http().post('/transparency').send({ reference: r.reference, code }), 404);
    });

    it('POST /rights-requests { kind, receivedAt, identity } (auditor) → 201 { id, dueAt, situations: [reference] }; GET …/:id; GET …/:id/access-report', async () => {
      const res = await as(w.auditor.token, 'post', '/rights-requests', {
        territoryId: w.territoryId,
        kind: 'access',
        receivedAt: new Date().toISOString(),
        identity: { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: IDENTITY.birthDate },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: uuid, dueAt: iso, situations: expect.arrayContaining([c.reference]) });
      for (const s of res.body.situations) expect(typeof s).toBe('string');
      expect(JSON.stringify(res.body)).not.toMatch(/Zéphyrin|Anatole|1957/);
      const one = await as(w.auditor.token, 'get', `/rights-requests/${res.body.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: res.body.id, kind: 'access' });
      const report = await as(w.auditor.token, 'get', `/rights-requests/${res.body.id}/access-report`);
      expect(report.status).toBe(200);
      // The body exactly as API.md writes it, from a DPO attached to an organisation of the territory.
      const created = await as(w.admin.token, 'post', '/users', {
        email: 'dpo.contract@test.local',
        password: PASSWORD,
        displayName: 'DPO du contrat',
        organisationId: w.orgs.coordination,
        roles: ['auditor'],
        profession: 'none',
      });
      expect(created.status).toBe(201);
      const dpo = await login(t, 'dpo.contract@test.local');
      const exact = await as(dpo, 'post', '/rights-requests', {
        kind: 'rectification',
        receivedAt: new Date().toISOString(),
        identity: { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: IDENTITY.birthDate },
      });
      expect(exact.status).toBe(201);
      expect(exact.body).toMatchObject({ id: uuid, dueAt: iso, situations: expect.arrayContaining([c.reference]) });
      const wrongKind = await as(w.auditor.token, 'post', '/rights-requests', { territoryId: w.territoryId, kind: 'deletion', receivedAt: new Date().toISOString() });
      expectProblem(wrongKind, 400);
      expect(JSON.stringify(wrongKind.body)).toContain('kind');
    });
  });

  describe('Errors', () => {
    it('are RFC 9457 problem details that never echo a protected value', async () => {
      const res = await as(w.referrer.token, 'post', '/cases', { commissionId: w.commissionId, identity: { ...IDENTITY, email: 'Zéphyrin-pas-un-email' } });
      expectProblem(res, 400);
      expect(res.text).not.toContain('Zéphyrin');
    });
  });
});

