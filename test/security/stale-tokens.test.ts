/**
 * Issue 10, point 5 — tokens that outlive their reason: a password change (the user's own, or an
 * admin's reset), a disabled account and a role change end every earlier token at once; no token
 * lives more than an hour, whatever the configuration says.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_TOKEN_TTL_SECONDS } from '../../src/auth/tokens.js';
import { call, createWorldApp, login, PASSWORD, type World } from '../factories/world.js';
import { get } from '../factories/lifecycle.js';
import { type TestApp } from '../support/app.js';
import { credentials, rememberPassword } from '../support/login.js';

describe('security: stale tokens', () => {
  let t: TestApp;
  let w: World;
  let n = 0;

  /** A fresh account and two tokens of it (two logins: two sessions of the same person). */
  const account = async (roles = ['member']) => {
    const email = `stale.${++n}.${Date.now()}@test.local`;
    const created = await call(t, w.admin.token, 'post', '/users', {
      email,
      password: PASSWORD,
      displayName: 'Stale',
      organisationId: w.orgs.housing,
      roles,
      profession: 'none',
    });
    return { id: created.id as string, email, tokens: [await login(t, email), await login(t, email)] };
  };
  const status = async (token: string) => (await get(t, token, '/me')).status;

  beforeAll(async () => {
    // A configuration asking for day-long tokens.
    ({ t, w } = await createWorldApp({ CELLULE_TOKEN_TTL_SECONDS: '86400' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('POST /me/password answers 204 and ends every earlier token of the account', async () => {
    const a = await account();
    const current = credentials(t, a.email)!.password;
    const res = await t
      .http()
      .post('/me/password')
      .set('authorization', `Bearer ${a.tokens[0]}`)
      .send({ currentPassword: current, newPassword: 'my own new passphrase' });
    expect(res.status).toBe(204);
    expect(await status(a.tokens[0])).toBe(401);
    expect(await status(a.tokens[1])).toBe(401);
    // The old password no longer opens; the new one does.
    expect((await t.http().post('/auth/login').send({ email: a.email, password: current })).status).toBe(401);
    rememberPassword(t, a.email, 'my own new passphrase');
    expect(await status(await login(t, a.email))).toBe(200);
  });

  it('POST /me/password needs the current password and a good new one', async () => {
    const a = await account();
    const wrong = await t
      .http()
      .post('/me/password')
      .set('authorization', `Bearer ${a.tokens[0]}`)
      .send({ currentPassword: 'not it at all', newPassword: 'my own new passphrase' });
    expect(wrong.status).toBe(400);
    const weak = await t
      .http()
      .post('/me/password')
      .set('authorization', `Bearer ${a.tokens[0]}`)
      .send({ currentPassword: credentials(t, a.email)!.password, newPassword: 'qwertyuiop12' });
    expect(weak.status).toBe(400);
    expect(await status(a.tokens[0])).toBe(200);
  });

  it("an admin's reset, a disabling and a role change end the account's tokens at once", async () => {
    const reset = await account();
    await call(t, w.admin.token, 'patch', `/users/${reset.id}`, { password: 'reset-by-the-admin-1' }, 200);
    expect(await Promise.all(reset.tokens.map(status))).toEqual([401, 401]);

    const disabled = await account();
    await call(t, w.admin.token, 'patch', `/users/${disabled.id}`, { disabled: true }, 200);
    await call(t, w.admin.token, 'patch', `/users/${disabled.id}`, { disabled: false }, 200);
    expect(await Promise.all(disabled.tokens.map(status))).toEqual([401, 401]);

    const promoted = await account(['member']);
    await call(t, w.admin.token, 'patch', `/users/${promoted.id}`, { roles: ['member', 'referrer'] }, 200);
    expect(await Promise.all(promoted.tokens.map(status))).toEqual([401, 401]);

    // A change that does not touch what the account may do keeps its tokens.
    const renamed = await account();
    await call(t, w.admin.token, 'patch', `/users/${renamed.id}`, { displayName: 'Renamed' }, 200);
    expect(await Promise.all(renamed.tokens.map(status))).toEqual([200, 200]);
  });

  it('no token lives more than an hour, whatever CELLULE_TOKEN_TTL_SECONDS says', async () => {
    expect(t.config.tokenTtlSeconds).toBeLessThanOrEqual(MAX_TOKEN_TTL_SECONDS);
    const first = await t
      .http()
      .post('/auth/login')
      .send({ email: w.auditor.email, password: credentials(t, w.auditor.email)!.password });
    expect(first.body.mfa).toBe('required');
    const token = await login(t, w.auditor.email);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    // A token signed with the server's own secret for a day is refused all the same.
    const secret = Buffer.from(readFileSync(path.join(t.config.dataDir, 'token.secret'), 'utf8').trim(), 'base64');
    const [{ token_generation: generation }] = await t.db.dataSource.query(`SELECT token_generation FROM users WHERE id = $1`, [w.auditor.id]);
    const forged = (() => {
      const header = token.split('.')[0];
      const iat = Math.floor(Date.now() / 1000);
      const payload = Buffer.from(JSON.stringify({ sub: w.auditor.id, iat, exp: iat + 86400, typ: 'access', gen: generation })).toString('base64url');
      const mac = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      return `${header}.${payload}.${mac}`;
    })();
    expect(await status(forged)).toBe(401);
    expect(await status(token)).toBe(200);
  });
});
