/**
 * Case lifecycle (DESIGN.md, "Case lifecycle"): one pure XState v5 machine per case.
 *
 * It does no I/O and never reads the clock: every event carries its instant `at` and the facts
 * its guards need (session status, reopening window…), built by the event's module
 * (src/cases/events/) in the transaction. What holds in every open state is written once, on the
 * parent states:
 *
 *   open ............ WITHDRAW_CONSENT → closed, PURGE → purged (end of retention of an idle case),
 *   │                 RECORD_EXTERNAL_REPORT, HAND_OVER (another referrer of the organisation): the case
 *   │                 stays where it is
 *   ├─ draft · submitted · awaiting_consent · consent_refused
 *   └─ taken_up ..... RECORD_CONSENT renews an expired consent (the case stays where it is)
 *      └─ ready_for_review · scheduled · in_review · plan_active · follow_up · suspended
 *
 * After the plan (issue 12): REVIEW_AGAIN brings a running plan back to a session (`planUnderReview`:
 * taken off the agenda or deferred, it returns to its plan); REVISE_PLAN revises it while it runs
 * or in that review; SUSPEND puts it on watch or suspends it (the follow-up clock stops), RESUME
 * goes back to where it was with the follow-up date moved by the time the hold lasted.
 *   closed .......... REOPEN within the window, PURGE at the end of retention, RECTIFY, HAND_OVER
 *   purged .......... final
 *
 * Leaf state names are unique (each is also the node's id), and are what `cases.state` holds.
 */
import { assertEvent, assign, setup, type SnapshotFrom } from 'xstate';
import type { CaseEvent } from '../events/registry.js';
import { INITIAL_CONTEXT, type CaseClosure, type CaseContext } from './context.js';
import { passes } from './guards.js';

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
  },
  guards: {
    consentGranted: passes('consentGranted'),
    consentRefused: passes('consentRefused'),
    canSchedule: passes('canSchedule'),
    canStartReview: passes('canStartReview'),
    canReopen: passes('canReopen'),
    canReviewAgain: passes('canReviewAgain'),
    planUnderReview: passes('planUnderReview'),
    resumesToFollowUp: passes('resumesToFollowUp'),
    consentValidAtAccept: passes('consentValidAtAccept'),
    consentRefusedBeforeAccept: passes('consentRefusedBeforeAccept'),
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
    // A transition that changes neither state nor context (an edit, a rectification, a handover:
    // what they change lies beside the case) is still taken: xstate would otherwise answer the same
    // snapshot, which decide() reads as a refusal.
    keep: assign({}),
    recordPlanAgreement: assign(({ event }) => {
      assertEvent(event, 'RECORD_PLAN_AGREEMENT');
      return { planAgreement: event.agreement };
    }),
    setSession: assign(({ event }) => {
      assertEvent(event, 'SCHEDULE');
      return { sessionId: event.session.id };
    }),
    clearSession: assign({ sessionId: null }),
    storePlan: assign(({ event }) => {
      assertEvent(event, 'ADOPT_PLAN');
      return {
        plan: { actionCount: event.actions.length, followUpAt: event.followUpAt },
        sessionId: null,
        planUnderReview: false,
        planAgreement: 'not_asked' as const,
      };
    }),
    reviewAgain: assign(({ event }) => {
      assertEvent(event, 'REVIEW_AGAIN');
      return { sessionId: event.session.id, planUnderReview: true };
    }),
    // Off the agenda (unscheduled, deferred, revised in review): the plan runs on.
    backToPlan: assign({ sessionId: null, planUnderReview: false }),
    revisePlan: assign(({ context, event }) => {
      assertEvent(event, 'REVISE_PLAN');
      return {
        plan: { actionCount: event.actionCount, followUpAt: event.followUpAt ?? context.plan?.followUpAt ?? event.at },
        sessionId: null,
        planUnderReview: false,
        // A revised plan is a new plan: the person is asked again.
        planAgreement: 'not_asked' as const,
      };
    }),
    hold: assign(({ event }, params: { resumeTo: 'plan_active' | 'follow_up' }) => {
      assertEvent(event, 'SUSPEND');
      return { hold: { mode: event.mode, since: event.at, resumeTo: params.resumeTo } };
    }),
    // The follow-up clock stood still while on hold: the date moves by the time it lasted.
    resume: assign(({ context, event }) => {
      assertEvent(event, 'RESUME');
      const held = context.hold ? Math.max(0, Date.parse(event.at) - Date.parse(context.hold.since)) : 0;
      const plan = context.plan ? { ...context.plan, followUpAt: new Date(Date.parse(context.plan.followUpAt) + held).toISOString() } : null;
      return { plan, hold: null };
    }),
    renewFollowUp: assign(({ context, event }) => {
      assertEvent(event, 'CONTINUE');
      return { plan: { actionCount: context.plan?.actionCount ?? 0, followUpAt: event.followUpAt } };
    }),
    setClosure: assign((_, params: { closure: CaseClosure }) => ({ closure: params.closure })),
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
    stampClosed: assign(({ event }) => ({ closedAt: event.at, sessionId: null, planUnderReview: false, hold: null })),
    clearClosure: assign({ closure: null, closedAt: null, outcome: null, planUnderReview: false, hold: null }),
    // Purged while open: off any agenda, and counted as expired in the statistics.
    expire: assign({ sessionId: null, closure: 'expired' as const }),
  },
}).createMachine({
  id: 'case',
  initial: 'open',
  context: INITIAL_CONTEXT,
  states: {
    open: {
      initial: 'draft',
      on: {
        WITHDRAW_CONSENT: { target: '#closed', actions: 'withdrawConsent' },
        PURGE: { target: '#purged', actions: 'expire' },
        // Recorded beside the case (sealed, or a handover's new referrer); the state stays.
        RECORD_EXTERNAL_REPORT: { actions: 'keep' },
        HAND_OVER: { actions: 'keep' },
      },
      states: {
        draft: {
          id: 'draft',
          on: {
            SUBMIT: { target: '#submitted' },
            // Issue 12: the draft is edited or deleted; the consent may be recorded as soon as the
            // referral is written (the referrer usually asks the person first).
            EDIT_DRAFT: { actions: 'keep' },
            DELETE_DRAFT: { target: '#purged', actions: { type: 'setClosure', params: { closure: 'deleted' } } },
            RECORD_CONSENT: { actions: 'recordConsent' },
          },
        },
        submitted: {
          id: 'submitted',
          on: {
            // A consent recorded before acceptance decides where acceptance leads.
            ACCEPT: [
              { guard: 'consentValidAtAccept', target: '#ready_for_review' },
              { guard: 'consentRefusedBeforeAccept', target: '#consent_refused' },
              { target: '#awaiting_consent' },
            ],
            REJECT: { target: '#closed', actions: { type: 'setClosure', params: { closure: 'rejected' } } },
            SEND_BACK: { target: '#draft' },
            RECORD_CONSENT: { actions: 'recordConsent' },
            RECTIFY: { actions: 'keep' },
          },
        },
        awaiting_consent: {
          id: 'awaiting_consent',
          on: {
            RECTIFY: { actions: 'keep' },
            RECORD_CONSENT: [
              { guard: 'consentGranted', target: '#ready_for_review', actions: 'recordConsent' },
              { guard: 'consentRefused', target: '#consent_refused', actions: 'recordConsent' },
            ],
            REVIEW_WITHOUT_CONSENT: { target: '#ready_for_review', actions: 'markAnonymous' },
          },
        },
        consent_refused: {
          id: 'consent_refused',
          on: {
            RECTIFY: { actions: 'keep' },
            RECORD_CONSENT: { guard: 'consentGranted', target: '#ready_for_review', actions: 'recordConsent' },
            REVIEW_WITHOUT_CONSENT: { target: '#ready_for_review', actions: 'markAnonymous' },
            CLOSE: { target: '#closed', actions: [{ type: 'setClosure', params: { closure: 'refused' } }, 'recordOutcome'] },
          },
        },
        taken_up: {
          initial: 'ready_for_review',
          on: {
            // Renewal: an expired consent counts as none until a new one is recorded.
            RECORD_CONSENT: { guard: 'consentGranted', actions: 'recordConsent' },
            RECTIFY: { actions: 'keep' },
          },
          states: {
            ready_for_review: {
              id: 'ready_for_review',
              on: { SCHEDULE: { guard: 'canSchedule', target: '#scheduled', actions: 'setSession' } },
            },
            scheduled: {
              id: 'scheduled',
              on: {
                UNSCHEDULE: [
                  { guard: 'planUnderReview', target: '#plan_active', actions: 'backToPlan' },
                  { target: '#ready_for_review', actions: 'clearSession' },
                ],
                START_REVIEW: { guard: 'canStartReview', target: '#in_review' },
              },
            },
            in_review: {
              id: 'in_review',
              on: {
                ADOPT_PLAN: { target: '#plan_active', actions: 'storePlan' },
                REVISE_PLAN: { guard: 'planUnderReview', target: '#plan_active', actions: 'revisePlan' },
                DEFER: [
                  { guard: 'planUnderReview', target: '#plan_active', actions: 'backToPlan' },
                  { target: '#ready_for_review', actions: 'clearSession' },
                ],
                CLOSE: { target: '#closed', actions: [{ type: 'setClosure', params: { closure: 'outcome' } }, 'recordOutcome'] },
              },
            },
            plan_active: {
              id: 'plan_active',
              on: {
                FOLLOW_UP_DUE: { target: '#follow_up' },
                REVIEW_AGAIN: { guard: 'canReviewAgain', target: '#scheduled', actions: 'reviewAgain' },
                REVISE_PLAN: { actions: 'revisePlan' },
                SUSPEND: { target: '#suspended', actions: { type: 'hold', params: { resumeTo: 'plan_active' } } },
                RECORD_PLAN_AGREEMENT: { actions: 'recordPlanAgreement' },
              },
            },
            follow_up: {
              id: 'follow_up',
              on: {
                RECORD_PLAN_AGREEMENT: { actions: 'recordPlanAgreement' },
                CONTINUE: { target: '#plan_active', actions: 'renewFollowUp' },
                CLOSE: { target: '#closed', actions: [{ type: 'setClosure', params: { closure: 'outcome' } }, 'recordOutcome'] },
                REVIEW_AGAIN: { guard: 'canReviewAgain', target: '#scheduled', actions: 'reviewAgain' },
                REVISE_PLAN: { actions: 'revisePlan' },
                SUSPEND: { target: '#suspended', actions: { type: 'hold', params: { resumeTo: 'follow_up' } } },
              },
            },
            // On watch or suspended: no follow-up falls due (the scheduler looks at plan_active only).
            suspended: {
              id: 'suspended',
              on: {
                RESUME: [
                  { guard: 'resumesToFollowUp', target: '#follow_up', actions: 'resume' },
                  { target: '#plan_active', actions: 'resume' },
                ],
              },
            },
          },
        },
      },
    },
    closed: {
      id: 'closed',
      entry: 'stampClosed',
      on: {
        REOPEN: { guard: 'canReopen', target: '#ready_for_review', actions: 'clearClosure' },
        // End of retention, 2 years after closure (src/jobs/lifecycle-jobs.ts; only `system` may).
        PURGE: { target: '#purged' },
        // Issue 12: the data are held until purged, so they may be rectified and handed over.
        RECTIFY: { actions: 'keep' },
        HAND_OVER: { actions: 'keep' },
      },
    },
    // Protected classes are crypto-shredded by the PURGE event's records; the row and statistics remain.
    purged: { id: 'purged', type: 'final' },
  },
});

export type CaseSnapshot = SnapshotFrom<typeof caseMachine>;
