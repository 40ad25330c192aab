/**
 * Issue 16: sign-in with ProConnect and Pro Santé Connect, against two real OpenID Connect
 * providers (oidc-provider) started here — one like ProConnect, one like Pro Santé Connect (RPPS
 * and profession claims, a strong acr). Every refusal (forged state, replayed code, wrong nonce,
 * another issuer or audience, a stranger's signature, an expired ID token) ends at the workspace's
 * failure page with no session, and in the access log.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Response } from 'supertest';
import { caseBody, createWorldApp, HEALTH_TEXT, type World } from '../factories/world.js';
import { createCase, createPerson, createSession, get, grantedConsent, post, step, type CaseHandle } from '../factories/secrecy.js';
import type { TestApp } from '../support/app.js';
import { credentials, nextCode } from '../support/login.js';
import { startTestProvider, throughProvider, type TestProvider } from '../support/oidc-provider.js';

const PUBLIC = 'https://cellule.test';
const SESSION = '__Host-cellule-session';
const OIDC = '__Host-cellule-oidc';

function cookieOf(res: Response, name: string): string | undefined {
  const all = ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[] | string | undefined) ?? []);
  const ours = all.find((c) => c.startsWith(`${name}=`) && !c.startsWith(`${name}=;`));
  return ours?.split(';')[0];
}

describe('sign-in with OpenID Connect providers (issue 16)', () => {
  let t: TestApp;
  let w: World;
  let pc: TestProvider;
  let psc: TestProvider;
  let policiesDir: string;

  beforeAll(async () => {
    pc = await startTestProvider({
      kind: 'proconnect',
      redirectUri: `${PUBLIC}/auth/oidc/pc/callback`,
      postLogoutRedirectUri: `${PUBLIC}/app/connexion?deconnexion=1`,
    });
    psc = await startTestProvider({
      kind: 'prosanteconnect',
      redirectUri: `${PUBLIC}/auth/oidc/psc/callback`,
      postLogoutRedirectUri: `${PUBLIC}/app/connexion?deconnexion=1`,
    });
    // The policy requiring a proven profession for health (sectors.yaml), in a copy of policies/.
    policiesDir = mkdtempSync(path.join(os.tmpdir(), 'cellule-policies-'));
    cpSync('policies', policiesDir, { recursive: true });
    const sectors = path.join(policiesDir, 'sectors.yaml');
    writeFileSync(sectors, readFileSync(sectors, 'utf8').replace('healthRequiresProvenProfession: false', 'healthRequiresProvenProfession: true'));
    ({ t, w } = await createWorldApp({
      CELLULE_PUBLIC_URL: PUBLIC,
      CELLULE_POLICIES_DIR: policiesDir,
      OIDC_PC_ISSUER: pc.issuer,
      OIDC_PC_CLIENT_ID: pc.clientId,
      OIDC_PC_CLIENT_SECRET: pc.clientSecret,
      OIDC_PC_KIND: 'proconnect',
      OIDC_PSC_ISSUER: psc.issuer,
      OIDC_PSC_CLIENT_ID: psc.clientId,
      OIDC_PSC_CLIENT_SECRET: psc.clientSecret,
      OIDC_PSC_KIND: 'prosanteconnect',
    }));
  });

  afterAll(async () => {
    await t?.close();
    await pc?.close();
    await psc?.close();
  });

  afterEach(() => {
    t.clock.reset();
    pc.tamper(null);
    psc.tamper(null);
  });

  /** The button: Cellule's redirect to the provider, and the cookie binding the sign-in to this browser. */
  async function start(provider: 'pc' | 'psc', invitation?: string): Promise<{ location: string; cookie: string }> {
    const res = await t.http().get(`/auth/oidc/${provider}/login${invitation ? `?invitation=${encodeURIComponent(invitation)}` : ''}`);
    expect(res.status).toBe(302);
    const cookie = cookieOf(res, OIDC);
    expect(cookie).toBeDefined();
    return { location: res.headers.location as string, cookie: cookie! };
  }

  /** Signs in at the provider as `login` and comes back to Cellule's callback (the path and query the provider sent). */
  async function atProvider(provider: 'pc' | 'psc', login: string, invitation?: string): Promise<{ callback: string; cookie: string }> {
    const started = await start(provider, invitation);
    return { callback: await throughProvider(started.location, login, PUBLIC), cookie: started.cookie };
  }

  function callback(flow: { callback: string; cookie: string }): Promise<Response> {
    return t.http().get(flow.callback).set('cookie', flow.cookie);
  }

  async function signIn(provider: 'pc' | 'psc', login: string, invitation?: string): Promise<Response> {
    return callback(await atProvider(provider, login, invitation));
  }

  async function invitationFor(userId: string): Promise<string> {
    const res = await t.http().post(`/users/${userId}/oidc-invitations`).set('authorization', `Bearer ${w.admin.token}`).send({});
    expect(res.status).toBe(201);
    return (res.body.link as string).split('#')[1];
  }

  async function sessionUser(sessionCookie: string): Promise<string> {
    const res = await t.http().get('/auth/session').set('cookie', sessionCookie);
    expect(res.status).toBe(200);
    return res.body.user.userId as string;
  }

  async function audited(action: string): Promise<{ decision: string; purpose: string | null }[]> {
    return t.db.dataSource.query(`SELECT decision, purpose FROM audit_events WHERE action = $1 ORDER BY at, id`, [action]);
  }

  function expectRefused(res: Response): void {
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/app/connexion?oidc=echec');
    expect(cookieOf(res, SESSION)).toBeUndefined();
  }

  const strong = (email: string) => ({ claims: { email, email_verified: true, given_name: 'Camille', usual_name: 'Martin' }, acr: 'eidas2' as const });

  it('lists the configured providers for the sign-in page', async () => {
    const res = await t.http().get('/auth/oidc/providers');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { name: 'pc', kind: 'proconnect' },
      { name: 'psc', kind: 'prosanteconnect' },
    ]);
    expect((await t.http().get('/auth/oidc/nope/login')).status).toBe(404);
  });

  it('the login redirect carries state, nonce, PKCE (S256); ProConnect gets only the parameters its guide lists, acr and amr asked in claims', async () => {
    const { location } = await start('pc');
    const url = new URL(location);
    expect(url.origin).toBe(pc.issuer);
    // ProConnect's guide: state and nonce of 32 characters at least.
    for (const name of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(name)?.length).toBeGreaterThanOrEqual(32);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/auth/oidc/pc/callback`);
    expect(url.searchParams.get('scope')).toBe('openid email uid');
    // No acr_values (a parameter its guide does not list: « Y000400 »); the level is read through claims.
    expect([...url.searchParams.keys()].sort()).toEqual(
      ['claims', 'client_id', 'code_challenge', 'code_challenge_method', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state'].sort(),
    );
    expect(JSON.parse(url.searchParams.get('claims')!)).toEqual({ id_token: { amr: { essential: true }, acr: null } });
    // The ProConnect-like provider, which refuses what ProConnect refuses, takes the request.
    expect((await fetch(location, { redirect: 'manual' })).status).toBeLessThan(400);
    expect(pc.refusedParameters).toEqual([]);

    // Pro Santé Connect: the ANS's scopes and level (its connector's `openid scope_all`, eidas1).
    const psc = new URL((await start('psc')).location);
    expect(psc.searchParams.get('scope')).toBe('openid scope_all');
    expect(psc.searchParams.get('acr_values')).toBe('eidas1');
    expect(psc.searchParams.get('code_challenge_method')).toBe('S256');
    expect(psc.searchParams.get('claims')).toBeNull();
  });

  it('links an account by a one-time invitation, then signs in by subject even after the email changed', async () => {
    pc.account('pc-referrer', strong('camille.martin@agents.example'));
    const invitation = await invitationFor(w.referrer.id);
    const first = await signIn('pc', 'pc-referrer', invitation);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/app/');
    expect(await sessionUser(cookieOf(first, SESSION)!)).toBe(w.referrer.id);
    expect(await audited('auth.oidc.link')).toEqual([{ decision: 'allow', purpose: 'invitation' }]);
    // The invitation is used up.
    expect((await t.http().get(`/auth/oidc/pc/login?invitation=${encodeURIComponent(invitation)}`)).status).toBe(401);

    // At the provider the email changes: the subject still opens the account.
    pc.account('pc-referrer', strong('c.martin@nouvelle-adresse.example'));
    const again = await signIn('pc', 'pc-referrer');
    expect(again.headers.location).toBe('/app/');
    expect(await sessionUser(cookieOf(again, SESSION)!)).toBe(w.referrer.id);

    const identities = await t.http().get(`/users/${w.referrer.id}/oidc-identities`).set('authorization', `Bearer ${w.admin.token}`);
    expect(identities.body.items).toEqual([expect.objectContaining({ provider: 'pc', linkedBy: 'invitation' })]);
    // The provider's emails are neither logged nor stored.
    const everything = t.logs.join('\n') + JSON.stringify(await t.db.dataSource.query(`SELECT * FROM audit_events`));
    expect(everything).not.toContain('camille.martin@agents.example');
    expect(everything).not.toContain('nouvelle-adresse');
  });

  it('refuses an identity no account is linked to: « ask your coordinator », no account created', async () => {
    pc.account('pc-stranger', strong('someone@agents.example'));
    const [{ n: before }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM users`);
    const res = await signIn('pc', 'pc-stranger');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/app/connexion/sans-compte');
    expect(cookieOf(res, SESSION)).toBeUndefined();
    const [{ n: after }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM users`);
    expect(after).toBe(before);
    expect(await audited('auth.oidc.login')).toContainEqual({ decision: 'deny', purpose: 'no_linked_account' });
  });

  describe('every check of the answer', () => {
    beforeAll(async () => {
      pc.account('pc-coordinator', strong('coord@agents.example'));
      expect((await signIn('pc', 'pc-coordinator', await invitationFor(w.coordinator.id))).headers.location).toBe('/app/');
    });

    it('a forged state', async () => {
      const flow = await atProvider('pc', 'pc-coordinator');
      const forged = flow.callback.replace(/state=[^&]+/, 'state=forged-state-forged-state-forged-state-00');
      expectRefused(await callback({ ...flow, callback: forged }));
    });

    it('a callback without the browser that started it', async () => {
      const flow = await atProvider('pc', 'pc-coordinator');
      expectRefused(await t.http().get(flow.callback));
    });

    it('a replayed code: the same callback twice, and the code under another sign-in', async () => {
      const flow = await atProvider('pc', 'pc-coordinator');
      expect((await callback(flow)).headers.location).toBe('/app/');
      expectRefused(await callback(flow));
      // A new sign-in of this browser, its own state, the old code: the provider refuses the code.
      const next = await atProvider('pc', 'pc-coordinator');
      const oldCode = /code=([^&]+)/.exec(flow.callback)![1];
      expectRefused(await callback({ ...next, callback: next.callback.replace(/code=[^&]+/, `code=${oldCode}`) }));
    });

    it('a wrong nonce', async () => {
      pc.tamper({ claims: { nonce: 'another-nonce' } });
      expectRefused(await signIn('pc', 'pc-coordinator'));
    });

    it('a token from another issuer', async () => {
      pc.tamper({ claims: { iss: 'https://issuer.elsewhere.example' } });
      expectRefused(await signIn('pc', 'pc-coordinator'));
    });

    it('a token for another audience', async () => {
      pc.tamper({ claims: { aud: 'another-client' } });
      expectRefused(await signIn('pc', 'pc-coordinator'));
    });

    it('a token signed by a stranger', async () => {
      pc.tamper({ stranger: true });
      expectRefused(await signIn('pc', 'pc-coordinator'));
    });

    it('an expired ID token (judged at the domain clock)', async () => {
      const flow = await atProvider('pc', 'pc-coordinator');
      t.clock.advance(2 * 3600_000);
      expectRefused(await callback(flow));
    });

    it("ProConnect's userinfo is a JWT signed with its key: verified; a stranger's signature, or a plain JSON answer, is refused", async () => {
      const before = pc.userinfoTypes.length;
      expect((await signIn('pc', 'pc-coordinator')).headers.location).toBe('/app/');
      expect(pc.userinfoTypes.slice(before)).toEqual([expect.stringMatching(/^application\/jwt/)]);
      pc.tamperUserinfo('stranger');
      expectRefused(await signIn('pc', 'pc-coordinator'));
      pc.tamperUserinfo('json');
      expectRefused(await signIn('pc', 'pc-coordinator'));
      expect(pc.userinfoTypes.slice(before + 1)).toEqual([expect.stringMatching(/^application\/jwt/), expect.stringMatching(/^application\/json/)]);
      const refusals = (await audited('auth.oidc.login')).filter((r) => r.decision === 'deny').map((r) => r.purpose);
      expect(refusals.slice(-2)).toEqual(['userinfo:oauth_invalid_response:signature', 'userinfo:oauth_jwt_userinfo_expected']);
    });

    it('each refusal is in the access log, with its reason and no detail of the account', async () => {
      const refusals = (await audited('auth.oidc.login')).filter((r) => r.decision === 'deny').map((r) => r.purpose);
      expect(refusals).toEqual(expect.arrayContaining(['sign_in_over', 'no_sign_in_cookie']));
      for (const check of ['nonce', 'iss', 'aud', 'exp', 'provider:invalid_grant', 'state', 'signature']) {
        expect(refusals).toEqual(expect.arrayContaining([expect.stringContaining(check)]));
      }
    });
  });

  it('asks the local second factor when the provider asserted no strong authentication, and not when it did', async () => {
    const email = w.otherReferrer.email;
    pc.account('pc-weak', { claims: { email: 'weak@agents.example' }, acr: 'eidas1', amr: ['pwd'] });
    const res = await signIn('pc', 'pc-weak', await invitationFor(w.otherReferrer.id));
    expect(res.headers.location).toBe('/app/connexion?oidc=suite');
    expect(cookieOf(res, SESSION)).toBeUndefined();
    const oidcCookie = (res.request as unknown as { header: Record<string, string> }).header.cookie;
    const step1 = await t.http().post('/auth/oidc/continue').set('cookie', oidcCookie);
    expect(step1.status).toBe(200);
    expect(step1.body.mfa).toBe('required');
    const done = await t
      .http()
      .post('/auth/session/mfa')
      .set('cookie', oidcCookie)
      .send({ challengeToken: step1.body.challengeToken, code: await nextCode(credentials(t, email)!) });
    expect(done.status).toBe(200);
    expect(await sessionUser(cookieOf(done, SESSION)!)).toBe(w.otherReferrer.id);
    // The same identity signing in at a substantial level (eidas2): straight in.
    pc.account('pc-weak', { claims: { email: 'weak@agents.example' }, acr: 'eidas2' });
    expect((await signIn('pc', 'pc-weak')).headers.location).toBe('/app/');
  });

  it('asks ProConnect for amr (the claims parameter), and `mfa` in the ID token skips the local second factor', async () => {
    // The identity linked above (pc-weak), at ProConnect's lowest level but with two factors.
    pc.account('pc-weak', { claims: { email: 'weak@agents.example' }, acr: 'eidas1', amr: ['pwd', 'totp', 'mfa'] });
    const before = pc.claimsRequests.length;
    const res = await signIn('pc', 'pc-weak');
    expect(res.headers.location).toBe('/app/');
    expect(await sessionUser(cookieOf(res, SESSION)!)).toBe(w.otherReferrer.id);
    expect(pc.claimsRequests.slice(before).map((c) => JSON.parse(c) as unknown)).toEqual([{ id_token: { amr: { essential: true }, acr: null } }]);
    // The same level with one factor only: the second factor is asked.
    pc.account('pc-weak', { claims: { email: 'weak@agents.example' }, acr: 'eidas1', amr: ['pwd'] });
    expect((await signIn('pc', 'pc-weak')).headers.location).toBe('/app/connexion?oidc=suite');
  });

  it("ProConnect's two-factor levels (eidas1-mfa, …-2fa) skip the local second factor, even without amr", async () => {
    for (const acr of ['eidas1-mfa', 'eidas0-mfa', 'https://proconnect.gouv.fr/assurance/self-asserted-2fa'] as const) {
      pc.account('pc-weak', { claims: { email: 'weak@agents.example' }, acr });
      const res = await signIn('pc', 'pc-weak');
      expect(res.headers.location).toBe('/app/');
      expect(await sessionUser(cookieOf(res, SESSION)!)).toBe(w.otherReferrer.id);
    }
    // Their one-factor level stays so.
    pc.account('pc-weak', { claims: { email: 'weak@agents.example' }, acr: 'eidas1' });
    expect((await signIn('pc', 'pc-weak')).headers.location).toBe('/app/connexion?oidc=suite');
  });

  it('links by an email the admin prepared, once the user confirms', async () => {
    const prepared = await t.http().post(`/users/${w.townOfficer.id}/oidc-invitations`).set('authorization', `Bearer ${w.admin.token}`).send({ kind: 'email' });
    expect(prepared.status).toBe(201);
    expect(prepared.body.link).toBeUndefined();
    pc.account('pc-town', strong(w.townOfficer.email.toUpperCase()));
    const res = await signIn('pc', 'pc-town');
    expect(res.headers.location).toBe('/app/connexion/lier');
    const oidcCookie = (res.request as unknown as { header: Record<string, string> }).header.cookie;
    const confirmed = await t.http().post('/auth/oidc/confirm-link').set('cookie', oidcCookie);
    expect(confirmed.status).toBe(200);
    expect(await sessionUser(cookieOf(confirmed, SESSION)!)).toBe(w.townOfficer.id);
    expect(await audited('auth.oidc.link')).toContainEqual({ decision: 'allow', purpose: 'email' });
    // Confirmed once only.
    expect((await t.http().post('/auth/oidc/confirm-link').set('cookie', oidcCookie)).status).toBe(401);
  });

  it('signs out of both: the session ends and the browser goes to the provider with the ID token hint', async () => {
    const res = await signIn('pc', 'pc-referrer');
    const session = cookieOf(res, SESSION)!;
    const state = await t.http().get('/auth/session').set('cookie', session);
    const out = await t.http().post('/auth/oidc/logout').set('cookie', session).set('x-cellule-csrf', state.body.csrfToken);
    expect(out.status).toBe(200);
    const logout = new URL(out.body.redirectTo);
    expect(logout.origin).toBe(pc.issuer);
    expect(logout.searchParams.get('id_token_hint')).toBeTruthy();
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC}/app/connexion?deconnexion=1`);
    expect((await t.http().get('/auth/session').set('cookie', session)).status).toBe(401);
    const atProviderLogout = await fetch(out.body.redirectTo, { redirect: 'manual' });
    expect(atProviderLogout.status).toBeLessThan(400);
    expect(pc.logouts).toContain('pc-referrer');
  });

  it('unlinking is an audited admin action; the identity then opens nothing', async () => {
    const res = await t.http().delete(`/users/${w.referrer.id}/oidc-identities/pc`).set('authorization', `Bearer ${w.admin.token}`);
    expect(res.status).toBe(204);
    expect(await audited('admin.user.oidc.unlink')).toEqual([{ decision: 'allow', purpose: 'pc' }]);
    expect((await signIn('pc', 'pc-referrer')).headers.location).toBe('/app/connexion/sans-compte');
    // Not an admin: refused.
    expect((await t.http().delete(`/users/${w.coordinator.id}/oidc-identities/pc`).set('authorization', `Bearer ${w.coordinator.token}`)).status).toBe(403);
  });

  describe('Pro Santé Connect: the proven profession', () => {
    let caseInReview: CaseHandle;
    let openSession: string;

    beforeAll(async () => {
      const sessionId = (openSession = await createSession(t, w, true));
      expect((await post(t, w.psychiatrist.token, `/sessions/${sessionId}/attendance`)).status).toBe(201);
      const c = await createCase(t, w.referrer.token, caseBody(w.commissionId));
      await step(t, w.referrer.token, c, 'SUBMIT');
      await step(t, w.coordinator.token, c, 'ACCEPT');
      await step(t, w.referrer.token, c, 'RECORD_CONSENT', grantedConsent([{ sector: 'health', classes: ['health'] }]));
      await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId });
      await step(t, w.coordinator.token, c, 'START_REVIEW');
      caseInReview = c;
    });

    it('a declared physician sees no health content under the policy requiring a proven profession; once proven by PSC, does', async () => {
      expect((await get(t, w.psychiatrist.token, `/cases/${caseInReview.id}`)).body.health).toBeUndefined();
      psc.account('psc-psy', {
        claims: { SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: '10', codeCategorieProfessionnelle: 'C' }] } },
        acr: 'eidas3',
      });
      const res = await signIn('psc', 'psc-psy', await invitationFor(w.psychiatrist.id));
      // A strong acr: no local second factor.
      expect(res.headers.location).toBe('/app/');
      const session = cookieOf(res, SESSION)!;
      expect((await t.http().get(`/cases/${caseInReview.id}`).set('cookie', session)).body.health).toEqual({ narrative: HEALTH_TEXT });
      const identities = await t.http().get(`/users/${w.psychiatrist.id}/oidc-identities`).set('authorization', `Bearer ${w.admin.token}`);
      expect(identities.body).toMatchObject({ rpps: '10001234567', professionSource: 'prosanteconnect' });
      expect(await audited('user.profession.proven')).toContainEqual({ decision: 'allow', purpose: 'prosanteconnect' });
      // The same identity at eidas1, the level the real Pro Santé Connect answers: its every means
      // (CPS with PIN, e-CPS with password and dynamic code) has two factors, so no local one either.
      psc.account('psc-psy', {
        claims: { SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: '10' }] } },
        acr: 'eidas1',
      });
      expect((await signIn('psc', 'psc-psy')).headers.location).toBe('/app/');
      // A generic provider asserting the same level and even `mfa` is not trusted for it (its kind
      // is not one whose claims are documented): src/auth/oidc/oidc.config.spec.ts.
    });

    it('refuses a Pro Santé Connect ID token without an eIDAS level or below the eidas1 asked, as the ANS connector does', async () => {
      psc.account('psc-psy', { claims: { SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: '10' }] } }, acr: 'eidas3' });
      psc.tamper({ claims: { acr: undefined } });
      expectRefused(await signIn('psc', 'psc-psy'));
      psc.tamper({ claims: { acr: 'eidas0' } });
      expectRefused(await signIn('psc', 'psc-psy'));
      const refusals = (await audited('auth.oidc.login')).filter((r) => r.decision === 'deny').map((r) => r.purpose);
      expect(refusals.slice(-2)).toEqual(['acr_below_eidas1', 'acr_below_eidas1']);
      // The same identity at its level signs in.
      expect((await signIn('psc', 'psc-psy')).headers.location).toBe('/app/');
    });

    it('the proven profession replaces the declared one, and changes what is released', async () => {
      const nurse = await createPerson(t, w, 'declared-none', { id: w.orgs.health, sector: 'health' }, 'none', { commissionMember: true });
      expect((await post(t, nurse.token, `/sessions/${openSession}/attendance`)).status).toBe(201);
      expect((await get(t, nurse.token, `/cases/${caseInReview.id}`)).body.health).toBeUndefined();
      psc.account('psc-nurse', { claims: { SubjectNameID: '810009876543', SubjectRefPro: { exercices: [{ codeProfession: '60' }] } }, acr: 'eidas3' });
      const res = await signIn('psc', 'psc-nurse', await invitationFor(nurse.id));
      expect(res.headers.location).toBe('/app/');
      const me = await t.http().get('/me').set('cookie', cookieOf(res, SESSION)!);
      expect(me.body).toMatchObject({ profession: 'nurse', professionProven: true });
      expect((await get(t, nurse.token, `/cases/${caseInReview.id}`)).body.health).toEqual({ narrative: HEALTH_TEXT });
    });
  });

  it('the register names the providers configured and the proven-profession setting', async () => {
    const res = await t.http().get('/register').set('authorization', `Bearer ${w.admin.token}`);
    expect(res.status).toBe(200);
    expect(res.body.signIn).toEqual({
      providers: [
        { name: 'pc', kind: 'proconnect' },
        { name: 'psc', kind: 'prosanteconnect' },
      ],
      healthRequiresProvenProfession: true,
    });
    const markdown = await t.http().get('/register?format=markdown').set('authorization', `Bearer ${w.admin.token}`);
    expect(markdown.text).toContain('**Identity providers configured**: ProConnect (`pc`), Pro Santé Connect (`psc`).');
    expect(markdown.text).toContain('**healthRequiresProvenProfession: true**');
  });

  it('writes no code, state or invitation of a sign-in in the logs (the request log stops at the path)', async () => {
    pc.account('pc-logged', strong('logged@agents.example'));
    const invitation = await invitationFor(w.housingOfficer.id);
    const flow = await atProvider('pc', 'pc-logged', invitation);
    const back = new URL(flow.callback, PUBLIC);
    const code = back.searchParams.get('code')!;
    const state = back.searchParams.get('state')!;
    expect(code.length).toBeGreaterThanOrEqual(16);
    expect(state.length).toBeGreaterThanOrEqual(16);
    const res = await callback(flow);
    expect(res.headers.location).toBe('/app/');
    const logs = t.logs.join('\n');
    // The requests were logged (so the scan below reads their lines)…
    expect(logs).toContain('"url":"/auth/oidc/pc/login?[query omitted]"');
    expect(logs).toContain('"url":"/auth/oidc/pc/callback?[query omitted]"');
    // …and nothing of their credentials, raw or URL-encoded.
    for (const secret of [code, state, invitation, encodeURIComponent(invitation)]) expect(logs).not.toContain(secret);
    // The sign-in did link the account (the scan read a whole, successful sign-in).
    const identities = await t.http().get(`/users/${w.housingOfficer.id}/oidc-identities`).set('authorization', `Bearer ${w.admin.token}`);
    expect(identities.body.items).toHaveLength(1);
  });
});
