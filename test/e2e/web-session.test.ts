import { type TestApp } from '../support/app.js';
import { credentials, nextCode, rememberPassword, sessionSignIn } from '../support/login.js';
import { call, caseBody, createWorldApp, PASSWORD, type World } from '../factories/world.js';

const COOKIE = '__Host-cellule-session';

/** The session cookie a Set-Cookie answer carries, as the browser would send it back. */
function cookieOf(res: { headers: Record<string, unknown> }): string {
  const setCookie = ([] as string[]).concat((res.headers['set-cookie'] as string[] | string | undefined) ?? []);
  const ours = setCookie.find((c) => c.startsWith(`${COOKIE}=`));
  if (!ours) throw new Error(`no ${COOKIE} cookie in ${JSON.stringify(setCookie)}`);
  return ours.split(';')[0];
}

describe('browser session (web workspace)', () => {
  let t: TestApp;
  let w: World;
  /** More referrers: an account's codes are accepted once per 30-second step, three steps at most around now. */
  const r: { id: string; email: string }[] = [];
  beforeAll(async () => {
    ({ t, w } = await createWorldApp({ CELLULE_SESSION_IDLE_SECONDS: '60' }));
    for (let i = 0; i < 3; i++) {
      const email = `browser.${i}.${Date.now()}@test.local`;
      const created = await call(t, w.admin.token, 'post', '/users', {
        email,
        password: PASSWORD,
        displayName: `R${i}`,
        organisationId: w.orgs.social,
        roles: ['referrer'],
        profession: 'social_worker',
      });
      r.push({ id: created.id as string, email });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  async function signIn(email = w.referrer.email) {
    // The password, then the second factor (test/support/login.ts): the cookie comes at the end.
    const res = await sessionSignIn(t, email, PASSWORD);
    expect(res.status).toBe(200);
    return { cookie: cookieOf(res), csrf: res.body.csrfToken as string, res };
  }

  it('asks for the second factor before any cookie, then sets the session with POST /auth/session/mfa', async () => {
    await signIn(r[0].email);
    const first = await t
      .http()
      .post('/auth/session')
      .send({ email: r[0].email, password: credentials(t, r[0].email)!.password });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ mfa: 'required', challengeToken: expect.any(String) });
    expect(first.headers['set-cookie']).toBeUndefined();
    const done = await t
      .http()
      .post('/auth/session/mfa')
      .send({ challengeToken: first.body.challengeToken, code: await nextCode(credentials(t, r[0].email)!) });
    expect(done.status).toBe(200);
    expect(cookieOf(done)).toMatch(/^__Host-cellule-session=/);
  });

  it('ends the sessions of an account whose password changes or whose roles change, at once', async () => {
    const { cookie, csrf } = await signIn(w.housingOfficer.email);
    const { cookie: other } = await signIn(w.housingOfficer.email);
    const current = credentials(t, w.housingOfficer.email)!.password;
    const changed = await t
      .http()
      .post('/me/password')
      .set('cookie', cookie)
      .set('x-cellule-csrf', csrf)
      .send({ currentPassword: current, newPassword: 'a passphrase of the browser' });
    expect(changed.status).toBe(204);
    expect((await t.http().get('/me').set('cookie', cookie)).status).toBe(401);
    expect((await t.http().get('/me').set('cookie', other)).status).toBe(401);
    rememberPassword(t, w.housingOfficer.email, 'a passphrase of the browser');

    const { cookie: promoted } = await signIn(w.townOfficer.email);
    expect((await t.http().get('/me').set('cookie', promoted)).status).toBe(200);
    expect(
      (
        await t
          .http()
          .patch(`/users/${w.townOfficer.id}`)
          .set('authorization', `Bearer ${w.admin.token}`)
          .send({ roles: ['member', 'referrer'] })
      ).status,
    ).toBe(200);
    expect((await t.http().get('/me').set('cookie', promoted)).status).toBe(401);
  });

  it('sets an httpOnly, Secure, SameSite=Strict host cookie and no token in the body', async () => {
    const { res } = await signIn(r[1].email);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie']).join('\n');
    expect(setCookie).toMatch(/^__Host-cellule-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/m);
    expect(setCookie).not.toMatch(/Max-Age|Expires|Domain/i);
    expect(Object.keys(res.body).sort()).toEqual(['csrfToken', 'expiresAt', 'idleTimeoutSeconds']);
    expect(res.body.idleTimeoutSeconds).toBe(60);
    expect(JSON.stringify(res.body)).not.toMatch(/accessToken|eyJ/);
  });

  it('answers a wrong password with the same 401 as POST /auth/login, and no cookie', async () => {
    const res = await t.http().post('/auth/session').send({ email: w.referrer.email, password: 'wrong-password-123' });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    const unknown = await t.http().post('/auth/session').send({ email: 'nobody@test.local', password: 'wrong-password-123' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe(res.body.detail);
  });

  it('authenticates reads by the cookie alone, and GET /auth/session gives the account and the CSRF token again', async () => {
    const { cookie, csrf } = await signIn();
    const me = await t.http().get('/me').set('cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(w.referrer.email);
    const state = await t.http().get('/auth/session').set('cookie', cookie);
    expect(state.status).toBe(200);
    expect(state.body.csrfToken).toBe(csrf);
    expect(state.body.user).toMatchObject({ email: w.referrer.email, roles: ['referrer'] });
    const list = await t.http().get('/cases').set('cookie', `other=1; ${cookie}`);
    expect(list.status).toBe(200);
  });

  it("refuses an unsafe method authenticated by the cookie without the CSRF header, or with another session's", async () => {
    const { cookie, csrf } = await signIn(r[1].email);
    const other = await signIn(r[1].email);
    const without = await t.http().post('/cases').set('cookie', cookie).send(caseBody(w.commissionId));
    expect(without.status).toBe(403);
    expect(without.body.reason).toBe('csrf');
    const wrong = await t.http().post('/cases').set('cookie', cookie).set('x-cellule-csrf', other.csrf).send(caseBody(w.commissionId));
    expect(wrong.status).toBe(403);
    const right = await t.http().post('/cases').set('cookie', cookie).set('x-cellule-csrf', csrf).send(caseBody(w.commissionId));
    expect(right.status).toBe(201);
    expect(right.body.reference).toMatch(/^CAS-\d{4}-\d{4}$/);
    const { count } = (await t.db.dataSource.query(`SELECT count(*)::int AS count FROM cases WHERE referrer_user_id = $1`, [r[1].id]))[0];
    expect(count).toBe(1);
  });

  it('keeps bearer tokens working as before, and a bearer request needs no CSRF header', async () => {
    const res = await t.http().get('/me').set('authorization', `Bearer ${w.referrer.token}`);
    expect(res.status).toBe(200);
    const created = await t.http().post('/cases').set('authorization', `Bearer ${w.referrer.token}`).send(caseBody(w.commissionId));
    expect(created.status).toBe(201);
    const noSession = await t.http().get('/auth/session').set('authorization', `Bearer ${w.referrer.token}`);
    expect(noSession.status).toBe(401);
  });

  it('stores only a hash of the session secret', async () => {
    const { cookie } = await signIn(r[2].email);
    const secret = cookie.split('=')[1];
    const rows: { secret_hash: Buffer }[] = await t.db.dataSource.query(`SELECT secret_hash FROM web_sessions`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.secret_hash.toString('base64url')).not.toBe(secret);
    const dump = JSON.stringify(await t.db.dataSource.query(`SELECT encode(secret_hash, 'escape') AS h FROM web_sessions`));
    expect(dump).not.toContain(secret);
  });

  it('signs out: the row is deleted, the cookie cleared, the next request refused', async () => {
    const { cookie, csrf } = await signIn();
    const noHeader = await t.http().post('/auth/logout').set('cookie', cookie);
    expect(noHeader.status).toBe(403);
    const out = await t.http().post('/auth/logout').set('cookie', cookie).set('x-cellule-csrf', csrf);
    expect(out.status).toBe(204);
    expect(([] as string[]).concat(out.headers['set-cookie']).join('')).toMatch(/__Host-cellule-session=; .*Max-Age=0/);
    const after = await t.http().get('/me').set('cookie', cookie);
    expect(after.status).toBe(401);
    expect(after.body.reason).toBe('session_unknown');
    const audit = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.logout' AND actor_id = $1`, [w.referrer.id]);
    expect(audit[0].n).toBeGreaterThan(0);
    // Signing out without a session (already ended) still clears the cookie.
    const again = await t.http().post('/auth/logout').set('cookie', cookie);
    expect(again.status).toBe(204);
  });

  it('ends a session after the idle timeout, server-side, and says why', async () => {
    const { cookie } = await signIn(r[2].email);
    expect((await t.http().get('/me').set('cookie', cookie)).status).toBe(200);
    const secretHash = (await t.db.dataSource.query(`SELECT secret_hash FROM web_sessions ORDER BY created_at DESC LIMIT 1`))[0].secret_hash;
    await t.db.dataSource.query(`UPDATE web_sessions SET last_seen_at = now() - interval '61 seconds' WHERE secret_hash = $1`, [secretHash]);
    const res = await t.http().get('/me').set('cookie', cookie);
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('session_idle');
    expect(res.body.detail).toBe('The session ended after 1 minute without activity');
    const left = await t.db.dataSource.query(`SELECT 1 FROM web_sessions WHERE secret_hash = $1`, [secretHash]);
    expect(left).toHaveLength(0);
  });

  it('ends a session at its maximum duration, however active', async () => {
    const { cookie } = await signIn(r[0].email);
    await t.db.dataSource.query(
      `UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND last_seen_at > now() - interval '5 seconds'`,
      [r[0].id],
    );
    const res = await t.http().get('/me').set('cookie', cookie);
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('session_expired');
  });

  it('a disabled account loses its session at once', async () => {
    const { cookie } = await signIn(w.otherReferrer.email);
    expect((await t.http().get('/me').set('cookie', cookie)).status).toBe(200);
    const disable = await t.http().patch(`/users/${w.otherReferrer.id}`).set('authorization', `Bearer ${w.admin.token}`).send({ disabled: true });
    expect(disable.status).toBe(200);
    expect((await t.http().get('/me').set('cookie', cookie)).status).toBe(401);
  });

  it('ignores a malformed cookie and a forged secret', async () => {
    expect((await t.http().get('/me').set('cookie', `${COOKIE}=not-a-secret`)).status).toBe(401);
    const forged = await t
      .http()
      .get('/me')
      .set('cookie', `${COOKIE}=${'A'.repeat(43)}`);
    expect(forged.status).toBe(401);
    expect(forged.body.reason).toBe('session_unknown');
  });
});
