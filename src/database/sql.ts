import { createHash } from 'node:crypto';

/**
 * TypeORM's postgres driver answers `query()` with the rows for SELECT/INSERT, but with
 * `[rows, rowCount]` for UPDATE and DELETE. This reads the count from either shape.
 */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[1];
  if (Array.isArray(result)) return result.length;
  return 0;
}

/** The returned rows of a query, whichever of the two shapes above it came in. */
export function returnedRows<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return (Array.isArray(result) ? result : []) as T[];
}

const statementNames = new Map<string, string>();

/** Anything that runs SQL the TypeORM way (an EntityManager, a DataSource, a QueryRunner). */
export interface SqlRunner {
  query(query: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The rows of a SELECT (or an INSERT … RETURNING), as the row type its repository declares: the
 * one place where the driver's untyped rows become typed (repositories only; services never query).
 */
export async function select<T>(db: SqlRunner, text: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(text, params)) as T[];
}

/** The rows of an UPDATE or DELETE … RETURNING (TypeORM answers those as `[rows, count]`). */
export async function returning<T>(db: SqlRunner, text: string, params: unknown[] = []): Promise<T[]> {
  return returnedRows<T>(await db.query(text, params));
}

/** A statement whose rows are not read; answers the number of rows it changed. */
export async function execute(db: SqlRunner, text: string, params: unknown[] = []): Promise<number> {
  return affectedRows(await db.query(text, params));
}

/**
 * Runs a fixed-text statement as a named prepared statement: PostgreSQL parses and plans it once
 * per connection instead of on every call. For the hot paths only: the case read (SELECT_CASE
 * takes ~1.5 ms to plan and ~0.1 ms to run, so planning alone capped a transition at ~1,800/s on
 * two cores), the token's user, the transition's writes. The name is derived from the text, so the
 * same text always meets the same statement; never pass text built from values.
 */
export function preparedQuery<T = unknown>(runner: SqlRunner, text: string, params: unknown[]): Promise<T> {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `cellule_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  // TypeORM hands the query to pg as it is, and pg takes a { name, text } config as a named statement.
  return runner.query({ name, text } as unknown as string, params) as Promise<T>;
}
