/**
 * The one list of case events. The machine's event type, the probes of allowedEvents, the event
 * names of policies/events.yaml, the HTTP payload union (OpenAPI `oneOf`) are all derived from it
 * or checked against it (src/cases/events/registry.spec.ts).
 *
 * Adding an event: one module here (payload, build, records), its transitions in
 * src/cases/machine/case.machine.ts, and one line in policies/events.yaml (README "Architecture").
 */
import { accept } from './accept.js';
import { adoptPlan } from './adopt-plan.js';
import { close } from './close.js';
import { continuePlan } from './continue.js';
import { defer } from './defer.js';
import type { CaseEventModule, EventBuildContext, EventPayload, EventRecordContext, ProbeFacts } from './event-module.js';
import { followUpDue } from './follow-up-due.js';
import { purge } from './purge.js';
import { recordConsent } from './record-consent.js';
import { recordExternalReport } from './record-external-report.js';
import { reject } from './reject.js';
import { reopen } from './reopen.js';
import { resume } from './resume.js';
import { reviewAgain } from './review-again.js';
import { revisePlan } from './revise-plan.js';
import { reviewWithoutConsent } from './review-without-consent.js';
import { schedule } from './schedule.js';
import { startReview } from './start-review.js';
import { submit } from './submit.js';
import { suspend } from './suspend.js';
import { unschedule } from './unschedule.js';
import { withdrawConsent } from './withdraw-consent.js';
// Issue 12, part A: the referral lives.
import { deleteDraft } from './delete-draft.js';
import { editDraft } from './edit-draft.js';
import { handOver } from './hand-over.js';
import { recordPlanAgreement } from './record-plan-agreement.js';
import { rectify } from './rectify.js';
import { sendBack } from './send-back.js';

export const CASE_EVENTS = [
  submit,
  accept,
  reject,
  recordConsent,
  reviewWithoutConsent,
  schedule,
  unschedule,
  startReview,
  adoptPlan,
  defer,
  followUpDue,
  continuePlan,
  close,
  withdrawConsent,
  reopen,
  purge,
  // Issue 12, after the plan
  reviewAgain,
  revisePlan,
  suspend,
  resume,
  recordExternalReport,
  // Issue 12, part A: the referral lives.
  editDraft,
  deleteDraft,
  rectify,
  sendBack,
  handOver,
  recordPlanAgreement,
] as const;

type AnyModule = (typeof CASE_EVENTS)[number];
type EventOf<M> = M extends CaseEventModule<infer E, infer _P> ? E : never;
type PayloadOf<M> = M extends CaseEventModule<infer _E, infer P> ? P : never;

/** A machine event: the union of every module's event. */
export type CaseEvent = EventOf<AnyModule>;
export type CaseEventType = CaseEvent['type'];
/** A request body of `POST /cases/:id/events`: the union of every HTTP payload. */
export type CaseEventPayload = Exclude<PayloadOf<AnyModule>, null>;
export type HttpEventType = CaseEventPayload['type'];

export const CASE_EVENT_TYPES: readonly CaseEventType[] = CASE_EVENTS.map((m) => m.type);

/** A module seen without its exact types, as the workflow runs any of them. */
export interface RunnableEvent {
  readonly type: CaseEventType;
  readonly payload: (new () => EventPayload) | null;
  readonly auditClasses?: readonly string[];
  probe(facts: ProbeFacts): CaseEvent;
  build(payload: EventPayload | null, ctx: EventBuildContext): CaseEvent | Promise<CaseEvent>;
  records?(payload: EventPayload | null, event: CaseEvent, ctx: EventRecordContext): Promise<void>;
}

const BY_TYPE: ReadonlyMap<string, RunnableEvent> = new Map(CASE_EVENTS.map((m) => [m.type, m as unknown as RunnableEvent]));

export function eventModule(type: string): RunnableEvent | undefined {
  return BY_TYPE.get(type);
}

/** The events a person may send over HTTP (all but the scheduler's own). */
export const HTTP_EVENTS: readonly (RunnableEvent & { payload: new () => EventPayload })[] = [...BY_TYPE.values()].filter(
  (m): m is RunnableEvent & { payload: new () => EventPayload } => m.payload !== null,
);
export const HTTP_EVENT_TYPES = HTTP_EVENTS.map((m) => m.type) as readonly HttpEventType[];

/** One well-formed representative event per type, in registry order. */
export function probeEvents(facts: ProbeFacts): CaseEvent[] {
  return CASE_EVENTS.map((m) => (m as unknown as RunnableEvent).probe(facts));
}
