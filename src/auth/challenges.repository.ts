import { execute, returning, select, type SqlRunner } from '../database/sql.js';

/** A step between a right password and a token: replace a temporary password, or pass the second factor. */
export type ChallengeStep = 'password' | 'mfa';

/** A challenge still open, with what the next step needs of its account. */
export interface OpenChallenge {
  id: string;
  userId: string;
  failures: number;
}

export async function insertChallenge(
  runner: SqlRunner,
  challenge: { tokenHash: Buffer; userId: string; step: ChallengeStep; generation: number; ttlSeconds: number },
): Promise<void> {
  await execute(
    runner,
    `INSERT INTO auth_challenges (token_hash, user_id, step, generation, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [challenge.tokenHash, challenge.userId, challenge.step, challenge.generation, challenge.ttlSeconds],
  );
  // Challenges over for long are removed as new ones open: the table stays small.
  await execute(runner, `DELETE FROM auth_challenges WHERE id IN (SELECT id FROM auth_challenges WHERE expires_at < now() - interval '1 hour' LIMIT 100)`);
}

/**
 * The challenge of this token for that step, if it may still be answered: unused, unexpired,
 * fewer than `maxFailures` wrong answers, issued under the account's current token generation
 * (a password changed or a second factor removed since ends it), the account enabled.
 */
export async function findOpenChallenge(runner: SqlRunner, tokenHash: Buffer, step: ChallengeStep, maxFailures: number): Promise<OpenChallenge | undefined> {
  const [row] = await select<OpenChallenge>(
    runner,
    `SELECT c.id, c.user_id AS "userId", c.failures
       FROM auth_challenges c JOIN users u ON u.id = c.user_id
      WHERE c.token_hash = $1 AND c.step = $2 AND c.used_at IS NULL AND c.expires_at > now() AND c.failures < $3
        AND c.generation = u.token_generation AND u.disabled_at IS NULL`,
    [tokenHash, step, maxFailures],
  );
  return row;
}

/** One wrong answer more; answers the challenge's wrong answers so far. */
export async function countChallengeFailure(runner: SqlRunner, id: string): Promise<number> {
  const [row] = await returning<{ failures: number }>(runner, `UPDATE auth_challenges SET failures = failures + 1 WHERE id = $1 RETURNING failures`, [id]);
  return row?.failures ?? 0;
}

/** Uses the challenge up; false when another request used it first (single use under concurrency). */
export async function consumeChallenge(runner: SqlRunner, id: string): Promise<boolean> {
  return (
    (await returning<{ id: string }>(runner, `UPDATE auth_challenges SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id`, [id])).length > 0
  );
}
