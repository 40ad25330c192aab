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
