import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateSync } from 'otplib';

/**
 * What the browser tests know of each account, as a person keeps it in their head and their
 * phone: the password in force (an administrator's is temporary: the first sign-in replaces it)
 * and the TOTP secret shown at enrolment. Kept in one file per test server (the test files run
 * one after another, each in its own worker), with the last time step each account used, since
 * the server accepts a code once and only for a later step (API.md, RFC 6238).
 */
export interface Credentials {
  password: string;
  secret?: string;
  lastStep?: number;
  /** A bearer token from a complete login, and when it was obtained (API seeding, not browsers). */
  token?: string;
  tokenAt?: number;
}

type State = Record<string, Credentials>;

/** The file of the server at `url` (its port makes it unique to the run). */
export function stateFile(url: string): string {
  return path.join(os.tmpdir(), `cellule-browser-credentials-${new URL(url).port}.json`);
}

function read(url: string): State {
  try {
    return JSON.parse(readFileSync(stateFile(url), 'utf8')) as State;
  } catch {
    return {};
  }
}

export function credentialsOf(url: string, email: string): Credentials | undefined {
  return read(url)[email.toLowerCase()];
}

export function remember(url: string, email: string, change: Partial<Credentials>): Credentials {
  const state = read(url);
  const key = email.toLowerCase();
  state[key] = { ...(state[key] ?? { password: '' }), ...change };
  writeFileSync(stateFile(url), JSON.stringify(state), { mode: 0o600 });
  return state[key];
}

/** The password a test account settles on when its temporary one must be replaced. */
export const settled = (temporary: string) => `${temporary}-etabli`;

/**
 * A TOTP code the server takes now: for the earliest step after the last one the account used,
 * within one step of the current time — waiting for the next step when all three were used.
 */
export async function nextCode(url: string, email: string): Promise<string> {
  for (;;) {
    const entry = credentialsOf(url, email);
    if (!entry?.secret) throw new Error(`${email}: a second factor is asked and its enrolment was never seen`);
    if (Date.now() % 30_000 > 29_000) await sleep(30_000 - (Date.now() % 30_000) + 50);
    const current = Math.floor(Date.now() / 30_000);
    const step = Math.max(current - 1, (entry.lastStep ?? -Infinity) + 1);
    if (step <= current + 1) {
      remember(url, email, { lastStep: step });
      return generateSync({ secret: entry.secret, epoch: step * 30, period: 30, digits: 6, algorithm: 'sha1' });
    }
    await sleep(30_000 - (Date.now() % 30_000) + 50);
  }
}
