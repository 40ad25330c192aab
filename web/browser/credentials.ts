import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
  const all = load();
  const key = email.toLowerCase();
  const known = all[key];
  // A step once used stays used: an older copy of the entry never moves it back.
  const lastStep = known && known.secret === entry.secret ? Math.max(known.lastStep ?? -Infinity, entry.lastStep ?? -Infinity) : entry.lastStep;
  const saved: Credentials = { ...entry, ...(Number.isFinite(lastStep) ? { lastStep } : {}) };
  // Written aside then renamed: a reader never finds a half-written file.
  const next = `${FILE}.${process.pid}.tmp`;
  writeFileSync(next, JSON.stringify({ ...all, [key]: saved }), { mode: 0o600 });
  renameSync(next, FILE);
}

/** One code at a time per account: two logins of one account started together must not send the same code. */
const pending = new Map<string, Promise<unknown>>();

/**
 * The next code the server will take, recorded as used. The last step used is read again from the
 * record first (another login of the account may have used one since `entry` was read).
 */
export function nextCode(email: string, entry: Credentials): Promise<string> {
  const key = email.toLowerCase();
  const turn = (pending.get(key) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const recorded = load()[key];
      if (recorded?.secret === entry.secret && (recorded.lastStep ?? -Infinity) > (entry.lastStep ?? -Infinity)) entry.lastStep = recorded.lastStep;
      const code = await codeAfter(entry);
      remember(email, entry);
      return code;
    });
  pending.set(key, turn);
  return turn;
}

export { settled };
