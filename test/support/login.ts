/**
 * The one way tests log in: the whole login of API.md — the password, then (an account an
 * administrator created has a temporary password) its replacement, then the second factor, enrolled
 * the first time — down to the access token. It remembers, per test database and email, the
 * password in force and the TOTP secret received at enrolment, and computes codes with otplib,
 * each for a time step later than the last one the account used (the server accepts a code once).
 */
import type { Response } from 'supertest';
import type { TestApp } from './app.js';
import { nextCode, settled, totpCode, type Credentials } from './totp.js';

export { nextCode, settled, totpCode };

const registry = new Map<string, Map<string, Credentials>>();

function credentialsOf(t: TestApp): Map<string, Credentials> {
  let map = registry.get(t.db.name);
  if (!map) registry.set(t.db.name, (map = new Map()));
  return map;
}

/** What the helper knows of an account (its current password, its TOTP secret). */
export function credentials(t: TestApp, email: string): Credentials | undefined {
  return credentialsOf(t).get(email.toLowerCase());
}

/** Records a password the test set itself (a change, a reset). */
export function rememberPassword(t: TestApp, email: string, password: string): void {
  const map = credentialsOf(t);
  const key = email.toLowerCase();
  map.set(key, { ...(map.get(key) ?? {}), password });
}

/** Forgets the TOTP secret of an account whose second factor was removed. */
export function forgetSecondFactor(t: TestApp, email: string): void {
  const entry = credentialsOf(t).get(email.toLowerCase());
  if (entry) {
    delete entry.secret;
    delete entry.lastStep;
  }
}

type Answer = Record<string, unknown>;

/**
 * Takes a login answer to its token: replaces a temporary password (with `settled(password)`),
 * enrols or passes the second factor. Throws with the status on any failure.
 */
export async function completeLogin(t: TestApp, email: string, first: Response): Promise<string> {
  return (await completeSteps(t, email, first, '/auth')).body.accessToken as string;
}

/** Follows the steps of a login (`/auth`, or the browser's `/auth/session`) to its last answer. */
async function completeSteps(t: TestApp, email: string, first: Response, base: '/auth' | '/auth/session'): Promise<Response> {
  const entry = credentialsOf(t).get(email.toLowerCase())!;
  let res = first;
  for (let steps = 0; steps < 4; steps++) {
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    const body = res.body as Answer;
    if (typeof body.accessToken === 'string' || typeof body.csrfToken === 'string') return res;
    if (body.passwordChange === 'required') {
      const newPassword = settled(entry.password);
      res = await t.http().post(`${base}/password`).send({ challengeToken: body.challengeToken, newPassword });
      if (res.status === 200) entry.password = newPassword;
      continue;
    }
    if (body.mfa === 'enroll') {
      entry.secret = body.secret as string;
      delete entry.lastStep;
    }
    if (body.mfa === 'enroll' || body.mfa === 'required') {
      if (!entry.secret) throw new Error(`login of ${email}: a second factor is required and the test never saw its enrolment`);
      res = await t
        .http()
        .post(`${base}/mfa`)
        .send({ challengeToken: body.challengeToken, code: await nextCode(entry) });
      continue;
    }
    throw new Error(`login of ${email}: unexpected answer ${JSON.stringify(Object.keys(body))}`);
  }
  throw new Error(`login of ${email}: too many steps`);
}

/** The browser's sign-in (POST /auth/session and its steps), to the answer that sets the session cookie. */
export async function sessionSignIn(t: TestApp, email: string, password: string): Promise<Response> {
  const map = credentialsOf(t);
  const key = email.toLowerCase();
  const entry = map.get(key) ?? { password };
  map.set(key, entry);
  return completeSteps(t, email, await t.http().post('/auth/session').send({ email, password: entry.password }), '/auth/session');
}

/**
 * Logs in to the end and answers the access token. `password` is the one the account was given
 * (the helper uses the one in force when it replaced it since).
 */
export async function signIn(t: TestApp, email: string, password: string): Promise<string> {
  const map = credentialsOf(t);
  const key = email.toLowerCase();
  const entry = map.get(key) ?? { password };
  map.set(key, entry);
  return completeLogin(t, email, await t.http().post('/auth/login').send({ email, password: entry.password }));
}
