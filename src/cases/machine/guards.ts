/**
 * The machine's guards: domain rules only — a consent valid at the event's date, the session's
 * status and commission, the reopening window. The shape of a payload (blank texts, dates,
 * required members) is validated before the machine runs, by each event's payload class
 * (src/cases/events/). Each check returns why it refuses (or null), so that decide() explains a
 * refusal with the very code the machine ran; messages name conditions and fields, never values.
 */
import { consentValidAt } from '../../consent/consent.js';
import type { CaseEvent, CaseEventType } from '../events/registry.js';
import type { CaseContext } from './context.js';

export interface GuardFailure {
  message: string;
  field?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// A time needs an explicit offset: a zone-less local time would make guards depend on the host.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Milliseconds of an ISO-8601 instant, or null when it is not one. */
export function instant(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** The case may go before a session: a consent valid at `at`, or an anonymous practice review. */
function reviewable(context: CaseContext, at: string): boolean {
  return context.anonymous || consentValidAt(context.consent, at);
}

const NO_CONSENT: GuardFailure = {
  message: 'the case has neither a consent valid at this date nor an anonymous-review justification',
};

function wrongEvent(type: CaseEventType): GuardFailure {
  return { message: `this guard does not apply to ${type}` };
}

type GuardCheck = (context: CaseContext, event: CaseEvent) => GuardFailure | null;

export const GUARD_CHECKS = {
  consentGranted: (_context, event) => {
    if (event.type !== 'RECORD_CONSENT') return wrongEvent(event.type);
    if (event.decision !== 'granted') return { field: 'decision', message: "the consent decision is not 'granted'" };
    if (event.expiresAt !== null && !consentValidAt({ status: 'granted', expiresAt: event.expiresAt }, event.at)) {
      return { field: 'expiresAt', message: 'the consent would already be expired' };
    }
    return null;
  },

  consentRefused: (_context, event) => {
    if (event.type !== 'RECORD_CONSENT') return wrongEvent(event.type);
    return event.decision === 'refused' ? null : { field: 'decision', message: "the consent decision is not 'refused'" };
  },

  // Issue 12: a consent recorded before acceptance decides where ACCEPT leads.
  consentValidAtAccept: (context, event) => {
    if (event.type !== 'ACCEPT') return wrongEvent(event.type);
    return consentValidAt(context.consent, event.at) ? null : { message: 'no consent valid at this date was recorded before acceptance' };
  },

  consentRefusedBeforeAccept: (context, event) => {
    if (event.type !== 'ACCEPT') return wrongEvent(event.type);
    return context.consent.status === 'refused' ? null : { message: 'no refusal was recorded before acceptance' };
  },

  canSchedule: (context, event) => {
    if (event.type !== 'SCHEDULE') return wrongEvent(event.type);
    if (event.session.status === 'closed') return { field: 'session', message: 'the session is closed' };
    if (!event.session.sameCommission) return { field: 'session', message: 'the session belongs to another commission' };
    return reviewable(context, event.at) ? null : NO_CONSENT;
  },

  canStartReview: (context, event) => {
    if (event.type !== 'START_REVIEW') return wrongEvent(event.type);
    if (context.sessionId === null) return { message: 'the case is on no session agenda' };
    if (!event.sessionOpen) return { message: 'the session is not open' };
    return reviewable(context, event.at) ? null : NO_CONSENT;
  },

  canReviewAgain: (context, event) => {
    if (event.type !== 'REVIEW_AGAIN') return wrongEvent(event.type);
    if (event.session.status === 'closed') return { field: 'sessionId', message: 'the session is closed' };
    if (!event.session.sameCommission) return { field: 'sessionId', message: 'the session belongs to another commission' };
    return reviewable(context, event.at) ? null : NO_CONSENT;
  },

  planUnderReview: (context) => (context.planUnderReview ? null : { message: 'the case is not a running plan back before the commission (REVIEW_AGAIN)' }),

  resumesToFollowUp: (context, event) => {
    if (event.type !== 'RESUME') return wrongEvent(event.type);
    return context.hold?.resumeTo === 'follow_up' ? null : { message: 'the plan was put on hold while running, not at its follow-up' };
  },

  canReopen: (context, event) => {
    if (event.type !== 'REOPEN') return wrongEvent(event.type);
    if (context.closure === 'withdrawn') return { message: 'a case closed by consent withdrawal cannot be reopened' };
    if (context.closure === 'rejected') return { message: 'a rejected referral cannot be reopened' };
    const closedAt = instant(context.closedAt);
    const now = instant(event.at);
    if (closedAt === null || now === null || closedAt + event.windowDays * DAY_MS < now) {
      return { message: 'the reopening window has elapsed' };
    }
    return reviewable(context, event.at) ? null : NO_CONSENT;
  },
} satisfies Record<string, GuardCheck>;

export type CaseGuardName = keyof typeof GUARD_CHECKS;

export function isGuardName(name: unknown): name is CaseGuardName {
  return typeof name === 'string' && name in GUARD_CHECKS;
}

/** The guard as xstate calls it. */
export function passes(name: CaseGuardName) {
  return ({ context, event }: { context: CaseContext; event: CaseEvent }): boolean => GUARD_CHECKS[name](context, event) === null;
}
