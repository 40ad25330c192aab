import { createHmac } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import {
  addressWait,
  claimAccountAttempt,
  countAddressFailure,
  deleteStaleAttempts,
  forgetAttempts,
  liftAccountWait,
  type AccountClaim,
} from './login-throttle.repository.js';

/**
 * Logins under attack (issue 10, point 6), counted in PostgreSQL so that every replica shares the
 * counts (an in-memory limiter would give each replica its own allowance):
 *
 * - per account: every attempt (password or second-factor code) is claimed before it is checked;
 *   the first `loginFreeFailures` of a streak go through at once, then each one must wait 1 s,
 *   2 s, 4 s… up to `loginMaxDelaySeconds` after the previous (answered 429 with Retry-After
 *   meanwhile, without checking anything). A stranger can slow an account down, never lock it:
 *   the wait is short and ends by itself. A completed login ends the streak; so does
 *   `loginWindowSeconds` without an attempt. Unknown emails are counted exactly like accounts:
 *   the key is an HMAC of the email (never stored in clear), the same statements run, so neither
 *   the answer nor its timing tells whether an account exists.
 * - per source address: more than `loginAddressMaxFailures` failures within
 *   `loginWindowSeconds` from one address (an IPv6 address counts by its /64) and its logins are
 *   answered 429 with Retry-After until the window ends — spraying guesses over many accounts
 *   from one place stops there. Only failures count: an office behind one address where people
 *   log in all morning is not limited.
 */
export class LoginThrottle {
  private readonly key: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    tokenSecret: Buffer,
  ) {
    this.key = createHmac('sha256', tokenSecret).update('cellule/auth-throttle/v1').digest();
  }

  private hmac(kind: 'account' | 'address', value: string): Buffer {
    return createHmac('sha256', this.key).update(`${kind}\0${value}`).digest();
  }

  /** The key of an email (normalised: trimmed, lower-cased), whether an account has it or not. */
  accountKey(email: string): Buffer {
    return this.hmac('account', email.trim().toLowerCase());
  }

  /** The key of a source address: an IPv4 address, or the /64 of an IPv6 one. */
  addressKey(ip: string): Buffer {
    return this.hmac('address', addressBucket(ip));
  }

  claim(email: string): Promise<AccountClaim> {
    return claimAccountAttempt(this.dataSource, this.accountKey(email), {
      windowSeconds: this.config.loginWindowSeconds,
      freeFailures: this.config.loginFreeFailures,
      maxDelaySeconds: this.config.loginMaxDelaySeconds,
    });
  }

  /** The password was right, a second factor or a new password follows: no wait for it. */
  passed(email: string): Promise<void> {
    return liftAccountWait(this.dataSource, this.accountKey(email));
  }

  /** The login completed (or an administrator set a new password): the streak ends. */
  async forget(email: string): Promise<void> {
    await forgetAttempts(this.dataSource, this.accountKey(email));
    await deleteStaleAttempts(this.dataSource, this.config.loginWindowSeconds);
  }

  /** Seconds the address must wait (over its limit), or 0. */
  addressWait(ip: string): Promise<number> {
    return addressWait(this.dataSource, this.addressKey(ip), this.config.loginWindowSeconds, this.config.loginAddressMaxFailures);
  }

  /** Counts a failure from the address; true when this one reached the limit (worth one audit entry). */
  async addressFailed(ip: string): Promise<boolean> {
    return (await countAddressFailure(this.dataSource, this.addressKey(ip), this.config.loginWindowSeconds)) === this.config.loginAddressMaxFailures;
  }

  /**
   * Failures written to the access log one by one: the first `loginFreeFailures` of a streak,
   * then one entry each time the count doubles (10, 20, 40… with 5 free), carrying the count —
   * a flood of guesses adds a few entries, not one per guess.
   */
  audited(attempts: number): boolean {
    const free = this.config.loginFreeFailures;
    if (attempts <= free) return true;
    const ratio = attempts / free;
    return Number.isInteger(ratio) && (ratio & (ratio - 1)) === 0;
  }
}

/** An IPv4 address as it is; an IPv6 address by its first 64 bits (one subscriber holds a whole /64). */
export function addressBucket(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
