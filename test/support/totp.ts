/**
 * TOTP codes as a test's authenticator app computes them (RFC 6238: SHA-1, 6 digits, 30 s), for
 * the server tests (test/support/login.ts) and the browser tests (web/browser/). The server takes
 * a code only for a time step later than the last one the account used, within one step of now.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { generateSync } from 'otplib';

export interface Credentials {
  /** The password in force. */
  password: string;
  /** The base32 TOTP secret of the enrolment. */
  secret?: string;
  /** The last time step a code was sent for (accepted or not). */
  lastStep?: number;
}

/** The password a test account settles on when its temporary one must be replaced. */
export const settled = (temporary: string) => `${temporary}-settled`;

/** The TOTP code of a time step. */
export function totpCode(secret: string, step: number): string {
  return generateSync({ secret, epoch: step * 30, period: 30, digits: 6, algorithm: 'sha1' });
}

/**
 * A code the server will take now: for the earliest step after the last one used, within one
 * step of the current time (waiting for the next step when three logins used them all up).
 */
export async function nextCode(entry: Credentials): Promise<string> {
  if (!entry.secret) throw new Error('no TOTP secret: the account was never seen enrolling');
  for (;;) {
    const now = Date.now();
    // Too close to a step's end, the server could already be in the next one: wait a little.
    if (now % 30_000 > 29_000) await sleep(30_000 - (now % 30_000) + 50);
    const current = Math.floor(Date.now() / 30_000);
    const step = Math.max(current - 1, (entry.lastStep ?? -Infinity) + 1);
    if (step <= current + 1) {
      entry.lastStep = step;
      return totpCode(entry.secret, step);
    }
    await sleep(30_000 - (Date.now() % 30_000) + 50);
  }
}
