import { capReached } from '../common/limits.js';
import { select, type SqlRunner } from './sql.js';

/**
 * How many rows a capped collection holds, once the transaction holds the collection's lock
 * (a transaction-scoped advisory lock on `key`): two writers of the same collection count one
 * after the other, so a cap (src/common/limits.ts CAPS) cannot be passed by a race. `countSql`
 * is one SELECT answering a single integer column.
 */
export async function lockedCount(runner: SqlRunner, key: string, countSql: string, params: unknown[] = []): Promise<number> {
  await select(runner, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0)) IS NULL AS locked`, [`cap:${key}`]);
  const [row] = await select<{ n: number }>(runner, `SELECT (${countSql})::int AS n`, params);
  return row.n;
}

/**
 * Refuses a write that would take a capped collection past `cap` (409 naming `field`: capReached).
 * `othersSql` counts the collection's rows other than the one being written (an upsert of a row
 * already there never counts twice), under the collection's lock (lockedCount).
 */
export async function ensureRoom(
  runner: SqlRunner,
  collection: { key: string; othersSql: string; params: unknown[]; cap: number; field: string; what: string },
): Promise<void> {
  if ((await lockedCount(runner, collection.key, collection.othersSql, collection.params)) >= collection.cap) {
    throw capReached(collection.field, collection.what, collection.cap);
  }
}
