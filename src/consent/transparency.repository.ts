/** The `transparency_codes` table (one digest per situation) and the failed attempts' counts (`auth_throttle`). */
import { execute, select, type SqlRunner } from '../database/sql.js';

/** Replaces the situation's code: the previous one stops working with this statement. */
export async function storeTransparencyCode(
  db: SqlRunner,
  code: { caseId: string; territoryId: string; digest: Buffer; issuedAt: Date; issuedByUserId: string },
): Promise<void> {
  await execute(
    db,
    `INSERT INTO transparency_codes (case_id, territory_id, digest, issued_at, issued_by_user_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (case_id) DO UPDATE SET digest = EXCLUDED.digest, issued_at = EXCLUDED.issued_at, issued_by_user_id = EXCLUDED.issued_by_user_id`,
    [code.caseId, code.territoryId, code.digest, code.issuedAt, code.issuedByUserId],
  );
}

/** The situations of a reference (one per territory at most) and the digest of their current code, if any. */
export interface TransparencyCandidate {
  caseId: string;
  territoryId: string;
  reference: string;
  digest: Buffer | null;
}

export function transparencyCandidates(db: SqlRunner, reference: string): Promise<TransparencyCandidate[]> {
  return select<TransparencyCandidate>(
    db,
    `SELECT c.id AS "caseId", c.territory_id AS "territoryId", c.reference, t.digest
       FROM cases c LEFT JOIN transparency_codes t ON t.case_id = c.id
      WHERE c.reference = $1
      ORDER BY c.territory_id LIMIT 10`,
    [reference],
  );
}

/** Seconds a key must wait when it reached `max` failures within the window; 0 otherwise. */
export async function throttleWait(db: SqlRunner, key: Buffer, windowSeconds: number, max: number): Promise<number> {
  const [row] = await select<{ wait: number }>(
    db,
    `SELECT greatest(0, extract(epoch FROM window_start + make_interval(secs => $2) - now()))::float8 AS wait
       FROM auth_throttle WHERE key = $1 AND attempts >= $3 AND window_start > now() - make_interval(secs => $2)`,
    [key, windowSeconds, max],
  );
  return row?.wait ?? 0;
}

/** Counts one failure of a key in a fixed window opened by the first; answers the failures of the window. */
export async function countFailure(
  db: SqlRunner,
  key: Buffer,
  kind: 'transparency_address' | 'transparency_reference' | 'transparency_pair',
  windowSeconds: number,
): Promise<number> {
  const [row] = await select<{ attempts: number }>(
    db,
    `INSERT INTO auth_throttle AS t (key, kind, attempts, refused, window_start, last_attempt_at, blocked_until)
       VALUES ($1, $2, 1, 0, now(), now(), now())
     ON CONFLICT (key) DO UPDATE SET
       attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN 1 ELSE t.attempts + 1 END,
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN now() ELSE t.window_start END,
       last_attempt_at = now()
     RETURNING attempts`,
    [key, kind, windowSeconds],
  );
  return row.attempts;
}

/** The failures a key counts in its current window (0 once the window is over). */
export async function failuresOf(db: SqlRunner, key: Buffer, windowSeconds: number): Promise<number> {
  const [row] = await select<{ attempts: number }>(
    db,
    `SELECT attempts FROM auth_throttle WHERE key = $1 AND window_start > now() - make_interval(secs => $2)`,
    [key, windowSeconds],
  );
  return row?.attempts ?? 0;
}
