import type { CaseListItem, CaseState } from '../api/client';
import type { ActionItem, Commission, Session } from '../api/queries';
import { STATE_LABEL } from '../shared/labels';

/**
 * The coordinator's dashboard, computed from what the API answers: the territory's situations by
 * state (GET /cases), the overdue actions (GET /actions?overdue=true), the sessions of the
 * commissions. What waits on the coordination comes first.
 */
export interface Dashboard {
  byState: { state: CaseState; count: number }[];
  toScreen: CaseListItem[];
  ready: CaseListItem[];
  followUpsDue: CaseListItem[];
  nextSessions: { session: Session; commission: Commission }[];
  overdue: ActionItem[];
}

/** The states in the order of the lifecycle, for the table of counts. */
const ORDER = Object.keys(STATE_LABEL) as CaseState[];

export function dashboard(
  cases: CaseListItem[],
  overdue: ActionItem[],
  groups: { commission: Commission; sessions: Session[] }[],
  now: Date = new Date(),
): Dashboard {
  const counts = new Map<CaseState, number>();
  for (const c of cases) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  const oldestFirst = (a: CaseListItem, b: CaseListItem) => a.updatedAt.localeCompare(b.updatedAt);
  return {
    byState: ORDER.filter((state) => counts.has(state)).map((state) => ({ state, count: counts.get(state)! })),
    toScreen: cases.filter((c) => c.state === 'submitted').sort(oldestFirst),
    ready: cases.filter((c) => c.state === 'ready_for_review').sort(oldestFirst),
    // The scheduler moves a plan to follow-up when its date comes; one whose date has passed
    // but has not moved yet is due all the same.
    followUpsDue: cases
      .filter((c) => c.state === 'follow_up' || (c.state === 'plan_active' && c.followUpAt !== null && Date.parse(c.followUpAt) <= now.getTime()))
      .sort((a, b) => (a.followUpAt ?? '').localeCompare(b.followUpAt ?? '')),
    nextSessions: groups
      .flatMap(({ commission, sessions }) => sessions.filter((s) => s.status !== 'closed').map((session) => ({ session, commission })))
      .sort((a, b) => a.session.startsAt.localeCompare(b.session.startsAt))
      .slice(0, 3),
    overdue: [...overdue].sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
  };
}
