import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nextCode as codeAfter, settled, type Credentials } from '../../test/support/totp';
import { ROOT } from './server';

/**
 * What the browser tests know of each account, as its owner would: the password in force (a
 * password an administrator set is temporary: the first sign-in replaces it with `settled(…)`) and
 * the TOTP secret shown at enrolment, from which codes are computed like an authenticator app.
 * The seeding (global setup) and every test file share one world, so they share this record: a
 * file, rewritten at each change (files run one after the other).
 */
const FILE = path.join(ROOT, 'test-results', '.browser-credentials.json');

function load(): Record<string, Credentials> {
  return existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, Credentials>) : {};
}

/** Starts a fresh record (the global setup, before seeding). */
export function resetCredentials(): void {
  mkdirSync(path.dirname(FILE), { recursive: true });
  writeFileSync(FILE, '{}', { mode: 0o600 });
}

export function credentialsOf(email: string, given: string): Credentials {
  return load()[email.toLowerCase()] ?? { password: given };
}

export function remember(email: string, entry: Credentials): void {
  writeFileSync(FILE, JSON.stringify({ ...load(), [email.toLowerCase()]: entry }), { mode: 0o600 });
}

/** The next code the server will take, recorded as used. */
export async function nextCode(email: string, entry: Credentials): Promise<string> {
  const code = await codeAfter(entry);
  remember(email, entry);
  return code;
}

export { settled };
