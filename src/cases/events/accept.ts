/**
 * ACCEPT — the coordinator accepts the referral after screening; the person's consent is asked
 * next, unless the referrer recorded it already (issue 12): a consent valid now leads straight to
 * review, a refusal to the choice between an anonymous review and a closure.
 */
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface AcceptEvent {
  type: 'ACCEPT';
  at: string;
}

export class AcceptPayload extends EventPayload {
  @EventType('ACCEPT') type!: 'ACCEPT';
}

export const accept = defineEvent<AcceptEvent, AcceptPayload>({
  type: 'ACCEPT',
  payload: AcceptPayload,
  probe: ({ at }) => ({ type: 'ACCEPT', at }),
  build: (_payload, { at }) => ({ type: 'ACCEPT', at: at.toISOString() }),
});
