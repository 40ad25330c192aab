import { execute, preparedQuery, returning, select, type SqlRunner } from '../database/sql.js';

/** The browser sessions' table (migrations/1795700000000-WebSessions.ts): a secret's hash, an account, times. */
export interface WebSessionRow {
  user_id: string;
  /** The account's token generation when the session opened. */
  generation: number;
  expires_at: Date;
  /** No request for longer than the idle timeout. */
  idle: boolean;
  /** Past its maximum duration. */
  expired: boolean;
  /** last_seen_at older than the touch interval: worth a write. */
  stale: boolean;
}

export async function insertWebSession(db: SqlRunner, secretHash: Buffer, userId: string, maxSeconds: number): Promise<Date> {
  const [row] = await select<{ expires_at: Date }>(
    db,
    // The session belongs to the account's current generation (users.token_generation): a password
    // change, a disabling, a role change or a removed second factor ends it like a token.
    `INSERT INTO web_sessions (secret_hash, user_id, expires_at, generation)
       SELECT $1, $2, now() + make_interval(secs => $3), token_generation FROM users WHERE id = $2 RETURNING expires_at`,
    [secretHash, userId, maxSeconds],
  );
  return row.expires_at;
}

/** Removes the sessions that ended by themselves (idle or past their maximum). */
export async function deleteEndedWebSessions(db: SqlRunner, idleSeconds: number): Promise<number> {
  return execute(db, `DELETE FROM web_sessions WHERE expires_at <= now() OR last_seen_at < now() - make_interval(secs => $1)`, [idleSeconds]);
}

/** Read on every request of the workspace (prepared: a hot path). */
export async function findWebSession(db: SqlRunner, secretHash: Buffer, idleSeconds: number, touchEverySeconds: number): Promise<WebSessionRow | undefined> {
  const [row] = await preparedQuery<WebSessionRow[]>(
    db,
    `SELECT user_id, generation, expires_at, last_seen_at < now() - make_interval(secs => $2) AS idle, expires_at <= now() AS expired,
            last_seen_at < now() - make_interval(secs => $3) AS stale
       FROM web_sessions WHERE secret_hash = $1`,
    [secretHash, idleSeconds, touchEverySeconds],
  );
  return row;
}

export async function touchWebSession(db: SqlRunner, secretHash: Buffer): Promise<void> {
  await preparedQuery(db, `UPDATE web_sessions SET last_seen_at = now() WHERE secret_hash = $1`, [secretHash]);
}

/** Ends one session; answers its account when it existed. */
export async function deleteWebSession(db: SqlRunner, secretHash: Buffer): Promise<string | undefined> {
  const [row] = await returning<{ user_id: string }>(db, `DELETE FROM web_sessions WHERE secret_hash = $1 RETURNING user_id`, [secretHash]);
  return row?.user_id;
}

export async function deleteWebSessionsOf(db: SqlRunner, userId: string): Promise<number> {
  return execute(db, `DELETE FROM web_sessions WHERE user_id = $1`, [userId]);
}
