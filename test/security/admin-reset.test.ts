/**
 * Issue 10, point 2 — "An admin can become anyone": an administrator resets a referrer's password
 * and logs in as them. The reset password is temporary and the second factor stays: the admin
 * gets no token. Removing the factor takes a second person, is audited, and the user is told.
 */
import { call, createWorldApp, login, type World } from '../factories/world.js';
import { get } from '../factories/lifecycle.js';
import { type TestApp } from '../support/app.js';
import { credentials, forgetSecondFactor, rememberPassword, totpCode } from '../support/login.js';

describe('security: an administrator cannot log in as a user', () => {
  let t: TestApp;
  let w: World;
  const audit = async (action: string, userId: string) =>
    (await t.db.dataSource.query(`SELECT actor_id, decision, purpose FROM audit_events WHERE action = $1 AND detail->>'userId' = $2 ORDER BY id`, [
      action,
      userId,
    ])) as { actor_id: string; decision: string; purpose: string | null }[];

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reset then login: the password must be replaced, then the second factor the admin does not have stops them', async () => {
    const victim = w.referrer;
    const chosen = 'admin-chosen-passphrase-77';
    await call(t, w.admin.token, 'patch', `/users/${victim.id}`, { password: chosen }, 200);
    // The reset ended the user's tokens too.
    expect((await get(t, victim.token, '/me')).status).toBe(401);

    const first = await t.http().post('/auth/login').send({ email: victim.email, password: chosen });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ passwordChange: 'required', challengeToken: expect.any(String) });
    const replaced = await t.http().post('/auth/password').send({ challengeToken: first.body.challengeToken, newPassword: 'the-admin-now-knows-this-1' });
    expect(replaced.status).toBe(200);
    // The factor enrolled by the user is still there: no new secret for whoever knows the password.
    expect(replaced.body).toEqual({ mfa: 'required', challengeToken: expect.any(String) });
    expect(JSON.stringify(replaced.body)).not.toMatch(/accessToken|secret|otpauth/);
    const guess = await t.http().post('/auth/mfa').send({ challengeToken: replaced.body.challengeToken, code: '000000' });
    expect(guess.status).toBe(401);
    expect(guess.body.accessToken).toBeUndefined();

    // The user, with their phone, still gets in (with the password now set).
    rememberPassword(t, victim.email, 'the-admin-now-knows-this-1');
    expect((await get(t, await login(t, victim.email), '/me')).status).toBe(200);
  });

  it('a temporary password cannot be kept, nor replaced by a weak one', async () => {
    const email = `temporary.${Date.now()}@test.local`;
    await call(t, w.admin.token, 'post', '/users', {
      email,
      password: 'first-temporary-pass-1',
      displayName: 'Temporaire',
      organisationId: w.orgs.social,
      roles: ['referrer'],
      profession: 'social_worker',
    });
    const first = await t.http().post('/auth/login').send({ email, password: 'first-temporary-pass-1' });
    expect(first.body.passwordChange).toBe('required');
    const same = await t.http().post('/auth/password').send({ challengeToken: first.body.challengeToken, newPassword: 'first-temporary-pass-1' });
    expect(same.status).toBe(400);
    const common = await t.http().post('/auth/password').send({ challengeToken: first.body.challengeToken, newPassword: 'Password1234!' });
    expect(common.status).toBe(400);
    expect(JSON.stringify(common.body)).not.toContain('Password1234!');
    const good = await t.http().post('/auth/password').send({ challengeToken: first.body.challengeToken, newPassword: 'a passphrase of my own' });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ mfa: 'enroll', secret: expect.any(String), otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//) });
    // The challenge was used up.
    const again = await t.http().post('/auth/password').send({ challengeToken: first.body.challengeToken, newPassword: 'another passphrase of mine' });
    expect(again.status).toBe(401);
  });

  it('removing a second factor takes a second person; it is audited and the user is told at the next login', async () => {
    const victim = w.psychiatrist;
    const removal = await call(t, w.admin.token, 'post', `/users/${victim.id}/second-factor/removal`, { reason: 'lost_device' });
    expect(removal).toMatchObject({ userId: victim.id, requestedBy: w.admin.id, status: 'pending' });
    // The same admin cannot confirm it, nor can the user, nor a coordinator.
    const self = await t.http().post(`/second-factor-removals/${removal.id}/confirm`).set('authorization', `Bearer ${w.admin.token}`);
    expect(self.status).toBe(403);
    expect(self.body.reason).toBe('same_person');
    for (const other of [victim, w.coordinator]) {
      expect((await t.http().post(`/second-factor-removals/${removal.id}/confirm`).set('authorization', `Bearer ${other.token}`)).status).toBe(403);
    }
    // The user still needs the factor meanwhile.
    const pending = await t
      .http()
      .post('/auth/login')
      .send({ email: victim.email, password: credentials(t, victim.email)!.password });
    expect(pending.body).toEqual({ mfa: 'required', challengeToken: expect.any(String) });

    // The auditor of the territory (here the deployment's) is a second person.
    const done = await call(t, w.auditor.token, 'post', `/second-factor-removals/${removal.id}/confirm`, undefined, 200);
    expect(done).toMatchObject({ status: 'done', confirmedBy: w.auditor.id });
    expect((await get(t, victim.token, '/me')).status).toBe(401);
    expect((await audit('admin.user.second_factor.remove_request', victim.id)).map((r) => r.actor_id)).toEqual([w.admin.id]);
    expect(await audit('admin.user.second_factor.remove', victim.id)).toEqual([{ actor_id: w.auditor.id, decision: 'allow', purpose: 'lost_device' }]);
    expect(await audit('admin.user.second_factor.confirm', victim.id)).toEqual([{ actor_id: w.admin.id, decision: 'deny', purpose: 'same_person' }]);

    const next = await t
      .http()
      .post('/auth/login')
      .send({ email: victim.email, password: credentials(t, victim.email)!.password });
    expect(next.body).toMatchObject({ mfa: 'enroll', notices: [{ kind: 'second_factor_removed', at: expect.any(String) }] });
    // Enrolled again: the notice is shown until the login completes, then no more.
    forgetSecondFactor(t, victim.email);
    const code = totpCode(next.body.secret, Math.floor(Date.now() / 30_000));
    const token = await t.http().post('/auth/mfa').send({ challengeToken: next.body.challengeToken, code });
    expect(token.status).toBe(200);
    expect(token.body.notices).toEqual([{ kind: 'second_factor_removed', at: expect.any(String) }]);
    credentials(t, victim.email)!.secret = next.body.secret;
    credentials(t, victim.email)!.lastStep = Math.floor(Date.now() / 30_000);
    const later = await t
      .http()
      .post('/auth/login')
      .send({ email: victim.email, password: credentials(t, victim.email)!.password });
    expect(later.body).toEqual({ mfa: 'required', challengeToken: expect.any(String) });
  });

  it('a reset never removes the second factor', async () => {
    const victim = w.housingOfficer;
    const [{ n: before }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM account_secrets WHERE user_id = $1 AND purpose = 'totp'`, [victim.id]);
    expect(before).toBe(1);
    await call(t, w.admin.token, 'patch', `/users/${victim.id}`, { password: 'another-admin-choice-9' }, 200);
    const [{ n: after }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM account_secrets WHERE user_id = $1 AND purpose = 'totp'`, [victim.id]);
    expect(after).toBe(1);
  });
});
