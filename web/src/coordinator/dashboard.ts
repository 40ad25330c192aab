import type { CaseListItem, CaseState } from '../api/client';
import { STATE_LABEL } from '../shared/labels';

/**
 * The territory's situations by state (GET /cases), for the dashboard's table of counts. What
 * waits on the coordination is the server's answer (GET /me/todo, src/shared/todo.ts), not
 * computed here.
 */
export interface Dashboard {
  byState: { state: CaseState; count: number }[];
}

/** The states in the order of the lifecycle, for the table of counts. */
const ORDER = Object.keys(STATE_LABEL) as CaseState[];

export function dashboard(cases: CaseListItem[]): Dashboard {
  const counts = new Map<CaseState, number>();
  for (const c of cases) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return { byState: ORDER.filter((state) => counts.has(state)).map((state) => ({ state, count: counts.get(state)! })) };
}
