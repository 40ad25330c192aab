import { execute, preparedQuery, type SqlRunner } from '../database/sql.js';

/** The wait after the n-th attempt of a streak, in seconds: none for the first `free`, then 1, 2, 4… up to `max`. */
const DELAY = (n: string) => `(CASE WHEN ${n} < $3 THEN 0 ELSE least($4::int, power(2, least(${n} - $3, 30))::int) END)`;
const STALE = `t.last_attempt_at <= now() - make_interval(secs => $2)`;
const BLOCKED = `t.blocked_until > now()`;
const NEXT = `(CASE WHEN ${STALE} THEN 1 ELSE t.attempts + 1 END)`;

export interface AccountClaim {
  /** The attempt may go on (the password or the code is checked); false: the account waits. */
  allowed: boolean;
  /** Attempts of the current streak, this one included when allowed. */
  attempts: number;
  /** Attempts refused during the streak while the account was waiting. */
  refused: number;
  /** Seconds until the next attempt is allowed (0 when it may come at once). */
  waitSeconds: number;
}

/**
 * Claims one attempt of an account (or of an unknown email: the same key space, the same
 * statement), in one upsert: atomic for any number of concurrent requests and replicas, and
 * before the password is checked. While the account waits (`blocked_until`), attempts are
 * refused and not counted, so nobody can push the wait beyond what the attempts actually checked
 * earned. A streak is forgotten after `windowSeconds` without an attempt.
 */
export async function claimAccountAttempt(
  runner: SqlRunner,
  key: Buffer,
  options: { windowSeconds: number; freeFailures: number; maxDelaySeconds: number },
): Promise<AccountClaim> {
  const [row] = await preparedQuery<{ allowed: boolean; attempts: number; refused: number; wait: number }[]>(
    runner,
    `INSERT INTO auth_throttle AS t (key, kind, attempts, refused, window_start, last_attempt_at, blocked_until)
       VALUES ($1, 'account', 1, 0, now(), now(), now() + make_interval(secs => ${DELAY('1')}))
     ON CONFLICT (key) DO UPDATE SET
       attempts = CASE WHEN ${BLOCKED} THEN t.attempts ELSE ${NEXT} END,
       refused = CASE WHEN ${BLOCKED} THEN t.refused + 1 WHEN ${STALE} THEN 0 ELSE t.refused END,
       window_start = CASE WHEN NOT ${BLOCKED} AND ${STALE} THEN now() ELSE t.window_start END,
       last_attempt_at = CASE WHEN ${BLOCKED} THEN t.last_attempt_at ELSE now() END,
       blocked_until = CASE WHEN ${BLOCKED} THEN t.blocked_until ELSE now() + make_interval(secs => ${DELAY(NEXT)}) END
     RETURNING last_attempt_at = now() AS allowed, attempts, refused,
       greatest(0, extract(epoch FROM blocked_until - now()))::float8 AS wait`,
    [key, options.windowSeconds, options.freeFailures, options.maxDelaySeconds],
  );
  return { allowed: row.allowed, attempts: row.attempts, refused: row.refused, waitSeconds: row.wait };
}

/**
 * The password was right and a further step follows: that attempt was no failure (it no longer
 * counts) and the next one (the code) need not wait; the streak goes on.
 */
export async function liftAccountWait(runner: SqlRunner, key: Buffer): Promise<void> {
  await preparedQuery(runner, `UPDATE auth_throttle SET blocked_until = now(), attempts = greatest(attempts - 1, 0) WHERE key = $1`, [key]);
}

/** Forgets a streak (a completed login, a new password set by an administrator, an account enabled again). */
export async function forgetAttempts(runner: SqlRunner, key: Buffer): Promise<void> {
  await preparedQuery(runner, `DELETE FROM auth_throttle WHERE key = $1`, [key]);
}

/** Seconds until the address may try again when it is over its limit of failures; 0 otherwise. */
export async function addressWait(runner: SqlRunner, key: Buffer, windowSeconds: number, maxFailures: number): Promise<number> {
  const [row] = await preparedQuery<{ wait: number }[]>(
    runner,
    `SELECT greatest(0, extract(epoch FROM window_start + make_interval(secs => $2) - now()))::float8 AS wait
       FROM auth_throttle WHERE key = $1 AND attempts >= $3 AND window_start > now() - make_interval(secs => $2)`,
    [key, windowSeconds, maxFailures],
  );
  return row?.wait ?? 0;
}

/** Counts one failure from an address, in a fixed window opened by the first; answers the failures of the window. */
export async function countAddressFailure(runner: SqlRunner, key: Buffer, windowSeconds: number): Promise<number> {
  const [row] = await preparedQuery<{ attempts: number }[]>(
    runner,
    `INSERT INTO auth_throttle AS t (key, kind, attempts, refused, window_start, last_attempt_at, blocked_until)
       VALUES ($1, 'address', 1, 0, now(), now(), now())
     ON CONFLICT (key) DO UPDATE SET
       attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE t.attempts + 1 END,
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN now() ELSE t.window_start END,
       last_attempt_at = now()
     RETURNING attempts`,
    [key, windowSeconds],
  );
  return row.attempts;
}

/** Removes streaks and windows over for long (a few at a time, so a login never pays for a backlog). */
export async function deleteStaleAttempts(runner: SqlRunner, windowSeconds: number): Promise<number> {
  return execute(
    runner,
    `DELETE FROM auth_throttle WHERE key IN (
       SELECT key FROM auth_throttle WHERE last_attempt_at < now() - make_interval(secs => $1 * 2) AND blocked_until < now() LIMIT 100)`,
    [windowSeconds],
  );
}
