import { preparedQuery, type SqlRunner } from '../database/sql.js';

/**
 * Counts one login attempt of the account in one upsert (atomic for any number of concurrent
 * requests and replicas) and answers the attempts of its current window: a window opens at the
 * first attempt and lasts `windowSeconds`, reckoned on the database clock.
 */
export async function countLoginAttempt(runner: SqlRunner, userId: string, windowSeconds: number): Promise<number> {
  const [{ attempts }] = await preparedQuery<{ attempts: number }[]>(
    runner,
    `INSERT INTO login_throttle AS t (user_id, window_start, attempts) VALUES ($1, now(), 1)
       ON CONFLICT (user_id) DO UPDATE SET
         attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE t.attempts + 1 END,
         window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN now() ELSE t.window_start END
       RETURNING attempts`,
    [userId, windowSeconds],
  );
  return attempts;
}

/** Forgets the account's attempts (a successful login, a new password, an account enabled again). */
export async function clearLoginAttempts(runner: SqlRunner, userId: string): Promise<void> {
  await preparedQuery(runner, `DELETE FROM login_throttle WHERE user_id = $1`, [userId]);
}
