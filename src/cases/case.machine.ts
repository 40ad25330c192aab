/**
 * Case lifecycle (DESIGN.md, "Case lifecycle"): one pure XState v5 machine per case.
 *
 * The machine is the single source of truth for which event is allowed in which state. It does no
 * I/O and never reads the clock: every event carries its instant `at` (ISO-8601) and the facts its
 * guards need (session status, reopening window…), which the case service loads and validates
 * beforehand. The context never holds identifying data, only workflow facts, so the persisted
 * snapshot can be stored in clear (jsonb) next to the `state` column.
 *
 * `decide()` is the only entry point the service needs: snapshot + event → new snapshot, or a
 * refusal saying whether the event does not exist in this state (not_allowed) or a guard refused it.
 */
import { assertEvent, assign, getNextTransitions, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';

// ---------------------------------------------------------------------------------------------
// States, events, context
// ---------------------------------------------------------------------------------------------

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
  'closed',
  'purged',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States from which the case is still being worked on (and consent can be withdrawn). */
export const OPEN_STATES = CASE_STATES.filter((s): s is Exclude<CaseState, 'closed' | 'purged'> => s !== 'closed' && s !== 'purged');
export type OpenCaseState = (typeof OPEN_STATES)[number];

export type ConsentStatus = 'none' | 'granted' | 'refused' | 'withdrawn';
/** How a case ended; `expired`: purged while still open, idle for the retention period. */
export type CaseClosure = 'rejected' | 'refused' | 'outcome' | 'withdrawn' | 'expired';
export type SessionStatus = 'planned' | 'open' | 'closed';

export interface CaseContext {
  consent: { status: ConsentStatus; expiresAt: string | null };
  /** True once the case goes to review as an anonymous practice review (no consent). */
  anonymous: boolean;
  /** The session whose agenda holds the case, while scheduled or in review. */
  sessionId: string | null;
  plan: { actionCount: number; followUpAt: string } | null;
  closedAt: string | null;
  closure: CaseClosure | null;
  outcome: string | null;
}

export interface PlanActionInput {
  title: string;
  ownerOrganisationId: string;
  dueAt: string;
}

export type CaseEvent =
  | { type: 'SUBMIT'; at: string }
  | { type: 'ACCEPT'; at: string }
  | { type: 'REJECT'; at: string }
  | {
      type: 'RECORD_CONSENT';
      at: string;
      decision: 'granted' | 'refused';
      expiresAt: string | null;
    }
  | { type: 'REVIEW_WITHOUT_CONSENT'; at: string; justification: string }
  | {
      type: 'SCHEDULE';
      at: string;
      session: { id: string; status: SessionStatus; sameCommission: boolean };
    }
  | { type: 'UNSCHEDULE'; at: string }
  | { type: 'START_REVIEW'; at: string; sessionOpen: boolean }
  | {
      type: 'ADOPT_PLAN';
      at: string;
      actions: PlanActionInput[];
      followUpAt: string;
    }
  | { type: 'DEFER'; at: string }
  | { type: 'FOLLOW_UP_DUE'; at: string }
  | { type: 'CONTINUE'; at: string; followUpAt: string }
  | { type: 'CLOSE'; at: string; outcome: string }
  | { type: 'WITHDRAW_CONSENT'; at: string }
  | { type: 'REOPEN'; at: string; windowDays: number }
  | { type: 'PURGE'; at: string };
export type CaseEventType = CaseEvent['type'];

export const CASE_EVENT_TYPES = [
  'SUBMIT',
  'ACCEPT',
  'REJECT',
  'RECORD_CONSENT',
  'REVIEW_WITHOUT_CONSENT',
  'SCHEDULE',
  'UNSCHEDULE',
  'START_REVIEW',
  'ADOPT_PLAN',
  'DEFER',
  'FOLLOW_UP_DUE',
  'CONTINUE',
  'CLOSE',
  'WITHDRAW_CONSENT',
  'REOPEN',
  'PURGE',
] as const satisfies readonly CaseEventType[];
// Compile-time check that the list above names every event of the union.
type MissingEventTypes = Exclude<CaseEventType, (typeof CASE_EVENT_TYPES)[number]>;
const everyEventTypeListed: [MissingEventTypes] extends [never] ? true : MissingEventTypes = true;
void everyEventTypeListed;

/** The persisted snapshot as stored (jsonb): plain JSON, as produced by `getPersistedSnapshot`. */
export interface PersistedCase {
  status: 'active' | 'done';
  value: CaseState;
  context: CaseContext;
  historyValue: Record<string, unknown>;
  children: Record<string, unknown>;
}

const INITIAL_CONTEXT: CaseContext = {
  consent: { status: 'none', expiresAt: null },
  anonymous: false,
  sessionId: null,
  plan: null,
  closedAt: null,
  closure: null,
  outcome: null,
};

// ---------------------------------------------------------------------------------------------
// Guards. Each check returns why it refuses (or null), so that decide() can explain a refusal
// with the very code the machine ran. Messages name conditions and fields, never payload values.
// ---------------------------------------------------------------------------------------------

export interface GuardFailure {
  message: string;
  field?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// A time needs an explicit offset: a zone-less local time would make guards depend on the host.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function instant(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

/** An expired consent counts as none (DESIGN.md, Consent). Expiry is exclusive: at `expiresAt` it is over. */
function consentValidAt(context: CaseContext, at: string): boolean {
  if (context.consent.status !== 'granted') return false;
  if (context.consent.expiresAt === null) return true;
  const now = instant(at);
  const expires = instant(context.consent.expiresAt);
  return now !== null && expires !== null && expires > now;
}

const NO_CONSENT: GuardFailure = {
  message: 'the case has neither a consent valid at this date nor an anonymous-review justification',
};

function wrongEvent(type: CaseEventType): GuardFailure {
  return { message: `this guard does not apply to ${type}` };
}

type GuardCheck = (context: CaseContext, event: CaseEvent) => GuardFailure | null;

const GUARD_CHECKS = {
  consentGranted: (_context, event) => {
    if (event.type !== 'RECORD_CONSENT') return wrongEvent(event.type);
    if (event.decision !== 'granted') {
      return {
        field: 'decision',
        message: "the consent decision is not 'granted'",
      };
    }
    if (event.expiresAt === null) return null;
    const expires = instant(event.expiresAt);
    if (expires === null) {
      return {
        field: 'expiresAt',
        message: 'expiresAt must be an ISO-8601 date or null',
      };
    }
    const now = instant(event.at);
    if (now !== null && expires <= now) {
      return {
        field: 'expiresAt',
        message: 'the consent would already be expired',
      };
    }
    return null;
  },

  consentRefused: (_context, event) => {
    if (event.type !== 'RECORD_CONSENT') return wrongEvent(event.type);
    return event.decision === 'refused' ? null : { field: 'decision', message: "the consent decision is not 'refused'" };
  },

  justificationGiven: (_context, event) => {
    if (event.type !== 'REVIEW_WITHOUT_CONSENT') return wrongEvent(event.type);
    return isBlank(event.justification)
      ? {
          field: 'justification',
          message: 'an anonymous review needs a justification',
        }
      : null;
  },

  canSchedule: (context, event) => {
    if (event.type !== 'SCHEDULE') return wrongEvent(event.type);
    const session = event.session as Partial<typeof event.session> | null | undefined;
    if (!session || isBlank(session.id)) {
      return { field: 'session', message: 'a session is required' };
    }
    if (session.status === 'closed') {
      return { field: 'session', message: 'the session is closed' };
    }
    if (session.status !== 'planned' && session.status !== 'open') {
      return { field: 'session', message: 'the session status is unknown' };
    }
    if (session.sameCommission !== true) {
      return {
        field: 'session',
        message: 'the session belongs to another commission',
      };
    }
    return consentValidAt(context, event.at) || context.anonymous ? null : NO_CONSENT;
  },

  canStartReview: (context, event) => {
    if (event.type !== 'START_REVIEW') return wrongEvent(event.type);
    if (context.sessionId === null) return { message: 'the case is on no session agenda' };
    if (event.sessionOpen !== true) return { message: 'the session is not open' };
    return consentValidAt(context, event.at) || context.anonymous ? null : NO_CONSENT;
  },

  planComplete: (_context, event) => {
    if (event.type !== 'ADOPT_PLAN') return wrongEvent(event.type);
    if (!Array.isArray(event.actions) || event.actions.length === 0) {
      return { field: 'actions', message: 'a plan needs at least one action' };
    }
    for (const [index, action] of event.actions.entries()) {
      const missing = (['title', 'ownerOrganisationId', 'dueAt'] as const).find((key) => isBlank((action as Partial<PlanActionInput> | null)?.[key]));
      if (missing) {
        return {
          field: 'actions',
          message: `action ${index + 1} has no ${missing}`,
        };
      }
    }
    return instant(event.followUpAt) === null ? { field: 'followUpAt', message: 'followUpAt must be an ISO-8601 date' } : null;
  },

  followUpDateGiven: (_context, event) => {
    if (event.type !== 'CONTINUE') return wrongEvent(event.type);
    return instant(event.followUpAt) === null ? { field: 'followUpAt', message: 'followUpAt must be an ISO-8601 date' } : null;
  },

  outcomeGiven: (_context, event) => {
    if (event.type !== 'CLOSE') return wrongEvent(event.type);
    return isBlank(event.outcome) ? { field: 'outcome', message: 'closing needs an outcome' } : null;
  },

  canReopen: (context, event) => {
    if (event.type !== 'REOPEN') return wrongEvent(event.type);
    if (context.closure === 'withdrawn') {
      return {
        message: 'a case closed by consent withdrawal cannot be reopened',
      };
    }
    if (context.closure === 'rejected') {
      return { message: 'a rejected referral cannot be reopened' };
    }
    if (typeof event.windowDays !== 'number' || !(event.windowDays >= 0)) {
      return {
        field: 'windowDays',
        message: 'the reopening window must be a number of days',
      };
    }
    const closedAt = instant(context.closedAt);
    const now = instant(event.at);
    if (closedAt === null || now === null || closedAt + event.windowDays * DAY_MS < now) {
      return { message: 'the reopening window has elapsed' };
    }
    return consentValidAt(context, event.at) || context.anonymous ? null : NO_CONSENT;
  },
} satisfies Record<string, GuardCheck>;

export type CaseGuardName = keyof typeof GUARD_CHECKS;

function passes(name: CaseGuardName) {
  return ({ context, event }: { context: CaseContext; event: CaseEvent }): boolean => GUARD_CHECKS[name](context, event) === null;
}

// ---------------------------------------------------------------------------------------------
// The machine
// ---------------------------------------------------------------------------------------------

/**
 * End of retention (DESIGN.md: protected classes erased 2 years after closure or last activity),
 * from every state but `purged`: the scheduler sends it to closed cases that long after closure and
 * to open ones without activity for as long (src/jobs/lifecycle-jobs.ts); only `system` may.
 */
const PURGE_AT_END_OF_RETENTION = { PURGE: { target: 'purged', actions: 'expireIfOpen' } } as const;

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
  },
  guards: {
    consentGranted: passes('consentGranted'),
    consentRefused: passes('consentRefused'),
    justificationGiven: passes('justificationGiven'),
    canSchedule: passes('canSchedule'),
    canStartReview: passes('canStartReview'),
    planComplete: passes('planComplete'),
    followUpDateGiven: passes('followUpDateGiven'),
    outcomeGiven: passes('outcomeGiven'),
    canReopen: passes('canReopen'),
  },
  actions: {
    recordConsent: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_CONSENT');
      return {
        consent: { status: event.decision, expiresAt: event.expiresAt },
        // A granted consent turns an anonymous practice review back into a named case.
        anonymous: event.decision === 'granted' ? false : context.anonymous,
      };
    }),
    markAnonymous: assign({ anonymous: true }),
    setSession: assign(({ event }) => {
      assertEvent(event, 'SCHEDULE');
      return { sessionId: event.session.id };
    }),
    clearSession: assign({ sessionId: null }),
    storePlan: assign(({ event }) => {
      assertEvent(event, 'ADOPT_PLAN');
      return {
        plan: {
          actionCount: event.actions.length,
          followUpAt: event.followUpAt,
        },
        sessionId: null,
      };
    }),
    renewFollowUp: assign(({ context, event }) => {
      assertEvent(event, 'CONTINUE');
      return {
        plan: {
          actionCount: context.plan?.actionCount ?? 0,
          followUpAt: event.followUpAt,
        },
      };
    }),
    setClosure: assign((_, params: { closure: CaseClosure }) => ({
      closure: params.closure,
    })),
    recordOutcome: assign(({ event }) => {
      assertEvent(event, 'CLOSE');
      return { outcome: event.outcome };
    }),
    withdrawConsent: assign({
      consent: { status: 'withdrawn' as const, expiresAt: null },
      closure: 'withdrawn' as const,
    }),
    // Every way into `closed` stamps the date (the reopening window and retention run from it)
    // and takes the case off any agenda.
    stampClosed: assign(({ event }) => ({
      closedAt: event.at,
      sessionId: null,
    })),
    clearClosure: assign({ closure: null, closedAt: null, outcome: null }),
    // Purged while open: off any agenda, and counted as expired in the statistics.
    expireIfOpen: assign(({ context }) => ({ sessionId: null, closure: context.closure ?? ('expired' as const) })),
  },
}).createMachine({
  id: 'case',
  initial: 'draft',
  context: INITIAL_CONTEXT,
  states: {
    draft: {
      on: {
        SUBMIT: { target: 'submitted' },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    submitted: {
      on: {
        ACCEPT: { target: 'awaiting_consent' },
        REJECT: {
          target: 'closed',
          actions: { type: 'setClosure', params: { closure: 'rejected' } },
        },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    awaiting_consent: {
      on: {
        RECORD_CONSENT: [
          {
            guard: 'consentGranted',
            target: 'ready_for_review',
            actions: 'recordConsent',
          },
          {
            guard: 'consentRefused',
            target: 'consent_refused',
            actions: 'recordConsent',
          },
        ],
        REVIEW_WITHOUT_CONSENT: {
          guard: 'justificationGiven',
          target: 'ready_for_review',
          actions: 'markAnonymous',
        },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    consent_refused: {
      on: {
        RECORD_CONSENT: {
          guard: 'consentGranted',
          target: 'ready_for_review',
          actions: 'recordConsent',
        },
        REVIEW_WITHOUT_CONSENT: {
          guard: 'justificationGiven',
          target: 'ready_for_review',
          actions: 'markAnonymous',
        },
        CLOSE: {
          guard: 'outcomeGiven',
          target: 'closed',
          actions: [{ type: 'setClosure', params: { closure: 'refused' } }, 'recordOutcome'],
        },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    ready_for_review: {
      on: {
        // Renewal: an expired consent counts as none until a new one is recorded.
        RECORD_CONSENT: { guard: 'consentGranted', actions: 'recordConsent' },
        SCHEDULE: {
          guard: 'canSchedule',
          target: 'scheduled',
          actions: 'setSession',
        },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    scheduled: {
      on: {
        // Renewal: an expired consent counts as none until a new one is recorded.
        RECORD_CONSENT: { guard: 'consentGranted', actions: 'recordConsent' },
        UNSCHEDULE: { target: 'ready_for_review', actions: 'clearSession' },
        START_REVIEW: { guard: 'canStartReview', target: 'in_review' },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    in_review: {
      on: {
        // Renewal: an expired consent counts as none until a new one is recorded.
        RECORD_CONSENT: { guard: 'consentGranted', actions: 'recordConsent' },
        ADOPT_PLAN: {
          guard: 'planComplete',
          target: 'plan_active',
          actions: 'storePlan',
        },
        DEFER: { target: 'ready_for_review', actions: 'clearSession' },
        CLOSE: {
          guard: 'outcomeGiven',
          target: 'closed',
          actions: [{ type: 'setClosure', params: { closure: 'outcome' } }, 'recordOutcome'],
        },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    plan_active: {
      on: {
        // Renewal: an expired consent counts as none until a new one is recorded.
        RECORD_CONSENT: { guard: 'consentGranted', actions: 'recordConsent' },
        FOLLOW_UP_DUE: { target: 'follow_up' },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    follow_up: {
      on: {
        // Renewal: an expired consent counts as none until a new one is recorded.
        RECORD_CONSENT: { guard: 'consentGranted', actions: 'recordConsent' },
        CONTINUE: {
          guard: 'followUpDateGiven',
          target: 'plan_active',
          actions: 'renewFollowUp',
        },
        CLOSE: {
          guard: 'outcomeGiven',
          target: 'closed',
          actions: [{ type: 'setClosure', params: { closure: 'outcome' } }, 'recordOutcome'],
        },
        WITHDRAW_CONSENT: { target: 'closed', actions: 'withdrawConsent' },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    closed: {
      entry: 'stampClosed',
      on: {
        REOPEN: {
          guard: 'canReopen',
          target: 'ready_for_review',
          actions: 'clearClosure',
        },
        ...PURGE_AT_END_OF_RETENTION,
      },
    },
    // Protected classes are crypto-shredded by the service; the row and statistics remain.
    purged: { type: 'final' },
  },
});

export type CaseSnapshot = SnapshotFrom<typeof caseMachine>;

// ---------------------------------------------------------------------------------------------
// Pure helpers for the service
// ---------------------------------------------------------------------------------------------

export type CaseDecision =
  | {
      ok: true;
      state: CaseState;
      snapshot: PersistedCase;
      context: CaseContext;
    }
  | { ok: false; reason: 'not_allowed' }
  | {
      ok: false;
      reason: 'guard';
      guard: string;
      message: string;
      field?: string;
    };

const KNOWN_STATES: ReadonlySet<string> = new Set(CASE_STATES);
const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);

/** The state of a persisted snapshot; throws on a snapshot this machine never produced. */
export function stateOf(snapshot: PersistedCase): CaseState {
  const value: unknown = snapshot?.value;
  if (typeof value !== 'string' || !KNOWN_STATES.has(value)) {
    throw new Error('Corrupt case snapshot: unknown state');
  }
  return value as CaseState;
}

export function contextOf(snapshot: PersistedCase): CaseContext {
  return snapshot.context;
}

// The JSON round trip makes the value returned identical to what jsonb will give back later.
function persist(snapshot: CaseSnapshot): PersistedCase {
  return JSON.parse(JSON.stringify(caseMachine.getPersistedSnapshot(snapshot))) as PersistedCase;
}

function restore(snapshot: PersistedCase): CaseSnapshot {
  // Copy so that nothing the machine builds shares objects with the caller's snapshot.
  return caseMachine.resolveState({
    value: stateOf(snapshot),
    context: structuredClone(snapshot.context),
  });
}

export function initialCase(): { state: CaseState; snapshot: PersistedCase } {
  const [snapshot] = initialTransition(caseMachine);
  const persisted = persist(snapshot);
  return { state: stateOf(persisted), snapshot: persisted };
}

/**
 * Applies `event` to `snapshot` with xstate's pure `transition()`: no actor, no side effect.
 * Refusals: `not_allowed` when the state has no transition for this event type at all, `guard`
 * when it has some but every candidate's guard refused (the first candidate's reason is given).
 */
export function decide(snapshot: PersistedCase, event: CaseEvent): CaseDecision {
  const current = restore(snapshot);
  const eventType: unknown = event?.type;
  if (typeof eventType !== 'string' || !KNOWN_EVENT_TYPES.has(eventType)) {
    return { ok: false, reason: 'not_allowed' };
  }
  const candidates = getNextTransitions(current).filter((t) => t.eventType === eventType);
  if (candidates.length === 0) return { ok: false, reason: 'not_allowed' };

  // Every closure, expiry and window is computed from `at`; an unreadable one would poison them.
  if (instant(event.at) === null) {
    return {
      ok: false,
      reason: 'guard',
      guard: 'validInstant',
      message: 'at must be an ISO-8601 date-time with an offset',
      field: 'at',
    };
  }

  const [next] = transition(caseMachine, current, event);
  // No transition taken: xstate hands back the very same snapshot object.
  if (next !== current) {
    const persisted = persist(next);
    return {
      ok: true,
      state: stateOf(persisted),
      snapshot: persisted,
      context: persisted.context,
    };
  }

  for (const candidate of candidates) {
    const name = candidate.guard;
    if (typeof name === 'string' && name in GUARD_CHECKS) {
      const failure = GUARD_CHECKS[name as CaseGuardName](current.context, event);
      if (failure) return { ok: false, reason: 'guard', guard: name, ...failure };
    }
  }
  // Unreachable with this machine's definition (every guard is a named check above).
  return {
    ok: false,
    reason: 'guard',
    guard: 'unknown',
    message: 'the transition was refused',
  };
}

export interface AllowedEventFacts {
  at: string;
  /** Whether the session on the case's agenda is open now (START_REVIEW). */
  sessionOpen: boolean;
  /** Status of the session a SCHEDULE would target; 'planned' when unknown. */
  sessionStatus?: SessionStatus;
  reopenWindowDays: number;
}

/** One well-formed representative event per type, built from the facts the service knows. */
export function probeEvents(facts: AllowedEventFacts): CaseEvent[] {
  const at = facts.at;
  return [
    { type: 'SUBMIT', at },
    { type: 'ACCEPT', at },
    { type: 'REJECT', at },
    { type: 'RECORD_CONSENT', at, decision: 'granted', expiresAt: null },
    { type: 'REVIEW_WITHOUT_CONSENT', at, justification: 'probe' },
    {
      type: 'SCHEDULE',
      at,
      session: {
        id: 'probe',
        status: facts.sessionStatus ?? 'planned',
        sameCommission: true,
      },
    },
    { type: 'UNSCHEDULE', at },
    { type: 'START_REVIEW', at, sessionOpen: facts.sessionOpen },
    {
      type: 'ADOPT_PLAN',
      at,
      actions: [{ title: 'probe', ownerOrganisationId: 'probe', dueAt: at }],
      followUpAt: at,
    },
    { type: 'DEFER', at },
    { type: 'FOLLOW_UP_DUE', at },
    { type: 'CONTINUE', at, followUpAt: at },
    { type: 'CLOSE', at, outcome: 'probe' },
    { type: 'WITHDRAW_CONSENT', at },
    { type: 'REOPEN', at, windowDays: facts.reopenWindowDays },
    { type: 'PURGE', at },
  ];
}

/**
 * Event types the machine would accept now with a well-formed payload (in CASE_EVENT_TYPES
 * order). Callers intersect this with what the policy lets the user do (PURGE is system-only).
 */
export function allowedEventTypes(snapshot: PersistedCase, facts: AllowedEventFacts): CaseEventType[] {
  // The same answer as `decide(snapshot, probe).ok` for each probe, at a fraction of the cost
  // (this runs on every read and every transition; sixteen decide() calls cost ~0.3 ms, see
  // `npm run bench`): the snapshot is restored and its transitions listed once, and a probe is
  // allowed when one of its candidate transitions is enabled — no guard, or its named guard
  // passes, which is exactly when xstate takes it. Any other kind of guard asks xstate itself.
  if (instant(facts.at) === null) return [];
  const current = restore(snapshot);
  const candidates = getNextTransitions(current);
  const enabled = (event: CaseEvent) =>
    candidates.some((t) => {
      if (t.eventType !== event.type) return false;
      if (t.guard === undefined) return true;
      if (typeof t.guard === 'string' && t.guard in GUARD_CHECKS) {
        return GUARD_CHECKS[t.guard as CaseGuardName](current.context, event) === null;
      }
      return transition(caseMachine, current, event)[0] !== current;
    });
  return probeEvents(facts)
    .filter(enabled)
    .map((event) => event.type);
}
