/**
 * Issue 10, point 3 — the second factor: TOTP as API.md says, a code accepted once only (a code
 * seen over a shoulder or in a proxy log cannot be played again), 5 wrong codes end the
 * challenge, and the secret is stored sealed, never logged.
 */
import { call, createWorldApp, PASSWORD, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';
import { settled, totpCode } from '../support/login.js';

describe('security: the second factor (TOTP)', () => {
  let t: TestApp;
  let w: World;
  let n = 0;

  /** A fresh account brought to its enrolment answer. */
  const enrolment = async () => {
    const email = `totp.${++n}.${Date.now()}@test.local`;
    await call(t, w.admin.token, 'post', '/users', {
      email,
      password: PASSWORD,
      displayName: 'T',
      organisationId: w.orgs.health,
      roles: ['member'],
      profession: 'nurse',
    });
    const first = await t.http().post('/auth/login').send({ email, password: PASSWORD });
    const enrol = await t
      .http()
      .post('/auth/password')
      .send({ challengeToken: first.body.challengeToken, newPassword: settled(PASSWORD) });
    expect(enrol.body).toEqual({
      mfa: 'enroll',
      challengeToken: expect.any(String),
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      otpauthUrl: expect.any(String),
    });
    return { email, challengeToken: enrol.body.challengeToken as string, secret: enrol.body.secret as string, otpauthUrl: enrol.body.otpauthUrl as string };
  };
  const passwordStep = async (email: string) => {
    const res = await t
      .http()
      .post('/auth/login')
      .send({ email, password: settled(PASSWORD) });
    expect(res.body).toEqual({ mfa: 'required', challengeToken: expect.any(String) });
    return res.body.challengeToken as string;
  };
  const mfa = (challengeToken: string, code: string) => t.http().post('/auth/mfa').send({ challengeToken, code });
  const step = () => Math.floor(Date.now() / 30_000);

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('enrols with an RFC 6238 secret (SHA-1, 6 digits, 30 s) shown once', async () => {
    const e = await enrolment();
    const url = new URL(e.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.searchParams.get('secret')).toBe(e.secret);
    for (const [key, value] of [
      ['algorithm', 'SHA1'],
      ['digits', '6'],
      ['period', '30'],
    ]) {
      expect([key, url.searchParams.get(key) ?? value]).toEqual([key, value]);
    }
    const res = await mfa(e.challengeToken, totpCode(e.secret, step()));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accessToken: expect.any(String), expiresIn: expect.any(Number) });
    // Enrolled: the next login asks for a code and never shows the secret again.
    expect(
      JSON.stringify(
        (
          await t
            .http()
            .post('/auth/login')
            .send({ email: e.email, password: settled(PASSWORD) })
        ).body,
      ),
    ).not.toContain(e.secret);
  });

  it('refuses a code played a second time, and any code of an earlier step', async () => {
    const e = await enrolment();
    const code = totpCode(e.secret, step() - 1);
    expect((await mfa(e.challengeToken, code)).status).toBe(200);
    // The same code, on a fresh challenge (the attacker knows the password too).
    const replay = await mfa(await passwordStep(e.email), code);
    expect(replay.status).toBe(401);
    expect(replay.body.accessToken).toBeUndefined();
    // The next step's code works once.
    const challenge = await passwordStep(e.email);
    const next = totpCode(e.secret, step());
    const [a, b] = await Promise.all([mfa(challenge, next), mfa(await passwordStep(e.email), next)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
  });

  it('ends the challenge after 5 wrong codes: even the right code is refused on it', async () => {
    const e = await enrolment();
    const right = totpCode(e.secret, step());
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await mfa(e.challengeToken, wrong)).status).toBe(401);
    const locked = await mfa(e.challengeToken, right);
    expect(locked.status).toBe(401);
    expect(locked.body.detail).toMatch(/log in again/);
    const audited: { n: number }[] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events a JOIN users u ON u.id = a.actor_id WHERE u.email = $1 AND a.action = 'auth.mfa' AND a.purpose = 'wrong_code'`,
      [e.email],
    );
    expect(audited[0].n).toBeGreaterThan(0);
  });

  it('refuses a malformed code before anything else', async () => {
    const e = await enrolment();
    for (const code of ['12345', '1234567', 'abcdef', '12 456']) expect((await mfa(e.challengeToken, code)).status).toBe(400);
  });

  it('keeps the secret sealed in the database and out of the logs and the access log', async () => {
    const e = await enrolment();
    expect((await mfa(e.challengeToken, totpCode(e.secret, step()))).status).toBe(200);
    const [row] = await t.db.dataSource.query(
      `SELECT s.sealed FROM account_secrets s JOIN users u ON u.id = s.user_id WHERE u.email = $1 AND s.purpose = 'totp'`,
      [e.email],
    );
    const sealed = row.sealed as Buffer;
    expect(sealed.includes(Buffer.from(e.secret))).toBe(false);
    expect(sealed.toString('latin1')).not.toContain(e.secret);
    expect(t.logs.some((line) => line.includes(e.secret))).toBe(false);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE detail::text LIKE $1`, [`%${e.secret}%`]);
    expect(n).toBe(0);
  });
});
