/**
 * What the case machine knows: its states and its context. The context holds workflow facts
 * only — never identifying data — so the persisted snapshot is stored in clear (jsonb).
 */
import type { ConsentStatus } from '../../consent/consent.js';

export const CASE_STATES = [
  'draft',
  'submitted',
  'awaiting_consent',
  'consent_refused',
  'ready_for_review',
  'scheduled',
  'in_review',
  'plan_active',
  'follow_up',
  'suspended',
  'closed',
  'purged',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States from which the case is still being worked on (the machine's `open` parent state). */
export const OPEN_STATES = CASE_STATES.filter((s): s is Exclude<CaseState, 'closed' | 'purged'> => s !== 'closed' && s !== 'purged');
export type OpenCaseState = (typeof OPEN_STATES)[number];

/**
 * How a case ended (one meaning, everywhere: snapshot, `cases.closure`, statistics):
 * `rejected` at screening, `refused` closed after the person refused consent, `outcome` closed
 * after review with an outcome category, `withdrawn` by consent withdrawal, `expired` purged while
 * still open (idle for the retention period), `deleted` a draft its referrer deleted (issue 12).
 */
export const CASE_CLOSURES = ['rejected', 'refused', 'outcome', 'withdrawn', 'expired', 'deleted'] as const;
export type CaseClosure = (typeof CASE_CLOSURES)[number];

/**
 * The outcome the commission chose when closing (`CLOSE`), kept in clear for statistics; any
 * other text is sealed and counted as `other`. Null for every other closure.
 */
export const OUTCOME_CATEGORIES = ['resolved', 'improved', 'oriented', 'advice_given', 'no_change', 'person_declined', 'lost_contact', 'other'] as const;
export type OutcomeCategory = (typeof OUTCOME_CATEGORIES)[number];

/** The person's agreement to the adopted plan (issue 12): asked by the referrer, recorded apart from the consent. */
export const PLAN_AGREEMENTS = ['agreed', 'partly', 'refused', 'not_asked'] as const;
export type PlanAgreement = (typeof PLAN_AGREEMENTS)[number];

export type SessionStatus = 'planned' | 'open' | 'closed';

/**
 * Issue 12, after the plan: a running plan put on watch (`watch`: nothing to do but keep an eye)
 * or suspended (`suspended`: the person is hospitalised, incarcerated, unreachable); the follow-up
 * clock stops at `since` and the plan resumes in the state it left (`resumeTo`). Why is sealed
 * with the plan, never here.
 */
export const HOLD_MODES = ['watch', 'suspended'] as const;
export type HoldMode = (typeof HOLD_MODES)[number];
export interface CaseHold {
  mode: HoldMode;
  since: string;
  resumeTo: 'plan_active' | 'follow_up';
}

export interface CaseContext {
  consent: { status: ConsentStatus; expiresAt: string | null };
  /** True once the case goes to review as an anonymous practice review (no consent). */
  anonymous: boolean;
  /** The session whose agenda holds the case, while scheduled or in review. */
  sessionId: string | null;
  plan: { actionCount: number; followUpAt: string } | null;
  /** True while a running plan is back on a session agenda (REVIEW_AGAIN): unscheduled or deferred, it runs on. */
  planUnderReview: boolean;
  /** The plan is on watch or suspended (state `suspended`). */
  hold: CaseHold | null;
  closedAt: string | null;
  closure: CaseClosure | null;
  outcome: OutcomeCategory | null;
  /** The person's agreement to the current plan; null before any plan (absent in older snapshots). */
  planAgreement?: PlanAgreement | null;
}

export const INITIAL_CONTEXT: CaseContext = {
  consent: { status: 'none', expiresAt: null },
  anonymous: false,
  sessionId: null,
  plan: null,
  planUnderReview: false,
  hold: null,
  closedAt: null,
  closure: null,
  outcome: null,
  planAgreement: null,
};

/**
 * The persisted snapshot as stored (jsonb): plain JSON, as produced by `getPersistedSnapshot`.
 * `value` is the machine's nested state value (`{ open: 'draft' }`, `{ open: { taken_up:
 * 'plan_active' } }`, `'closed'`); `stateOf()` gives its leaf, the `cases.state` column.
 */
export interface PersistedCase {
  status: 'active' | 'done';
  value: string | Record<string, unknown>;
  context: CaseContext;
  historyValue: Record<string, unknown>;
  children: Record<string, unknown>;
}
