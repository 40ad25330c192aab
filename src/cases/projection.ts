/**
 * The one projection of a case's facts into the `cases` columns that queries, indexes and
 * statistics need. The persisted snapshot is the truth; these columns are derived from it here,
 * and written only by the transition's single statement (writeTransition), never by hand.
 */
import type { CaseClosure, CaseState, OutcomeCategory, PersistedCase } from './machine/context.js';
import { stateOf } from './machine/decide.js';

export interface CaseColumns {
  state: CaseState;
  session_id: string | null;
  follow_up_at: string | null;
  closed_at: string | null;
  closure: CaseClosure | null;
  outcome: OutcomeCategory | null;
  anonymous_review: boolean;
  /** The blind index goes with the identity it was computed from: kept until the case is purged. */
  keepIdentityIndex: boolean;
}

/** In a fixed order: one statement text for every transition (one prepared plan). */
export const PROJECTED_COLUMNS = [
  'state',
  'session_id',
  'follow_up_at',
  'closed_at',
  'closure',
  'outcome',
  'anonymous_review',
] as const satisfies readonly (keyof CaseColumns)[];

export function columnsOf(snapshot: PersistedCase): CaseColumns {
  const state = stateOf(snapshot);
  const { context } = snapshot;
  return {
    state,
    session_id: context.sessionId,
    // On hold the follow-up clock is stopped: no date falls due (RESUME moves it by the time held).
    follow_up_at: state === 'suspended' ? null : (context.plan?.followUpAt ?? null),
    closed_at: context.closedAt,
    closure: context.closure,
    outcome: context.outcome,
    anonymous_review: context.anonymous,
    keepIdentityIndex: state !== 'purged',
  };
}
