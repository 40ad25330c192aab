/**
 * The one way tests log in: the whole login of API.md — the password, then (an account an
 * administrator created has a temporary password) its replacement, then the second factor, enrolled
 * the first time — down to the access token. It remembers, per test database and email, the
 * password in force and the TOTP secret received at enrolment, and computes codes with otplib,
 * each for a time step later than the last one the account used (the server accepts a code once).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { generateSync } from 'otplib';
import type { Response } from 'supertest';
import type { TestApp } from './app.js';

interface Credentials {
  password: string;
  /** The base32 TOTP secret of the enrolment. */
  secret?: string;
  /** The last time step a code was sent for (accepted or not). */
  lastStep?: number;
}

const registry = new Map<string, Map<string, Credentials>>();

function credentialsOf(t: TestApp): Map<string, Credentials> {
  let map = registry.get(t.db.name);
  if (!map) registry.set(t.db.name, (map = new Map()));
  return map;
}

/** The password a test account settles on when its temporary one must be replaced. */
export const settled = (temporary: string) => `${temporary}-settled`;

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

/** The TOTP code of a time step (RFC 6238: SHA-1, 6 digits, 30 s). */
export function totpCode(secret: string, step: number): string {
  return generateSync({ secret, epoch: step * 30, period: 30, digits: 6, algorithm: 'sha1' });
}

/**
 * A code the server will take now: for the earliest step after the last one used, within one
 * step of the current time (waiting for the next step when three logins used them all up).
 */
export async function nextCode(entry: Credentials): Promise<string> {
  for (;;) {
    const now = Date.now();
    // Too close to a step's end, the server could already be in the next one: wait a little.
    if (now % 30_000 > 29_000) await sleep(30_000 - (now % 30_000) + 50);
    const current = Math.floor(Date.now() / 30_000);
    const step = Math.max(current - 1, (entry.lastStep ?? -Infinity) + 1);
    if (step <= current + 1) {
      entry.lastStep = step;
      return totpCode(entry.secret!, step);
    }
    await sleep(30_000 - (Date.now() % 30_000) + 50);
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
