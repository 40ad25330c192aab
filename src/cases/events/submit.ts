/** SUBMIT — the referrer sends the referral to the coordinator for screening (draft → submitted). */
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface SubmitEvent {
  type: 'SUBMIT';
  at: string;
}

export class SubmitPayload extends EventPayload {
  @EventType('SUBMIT') type!: 'SUBMIT';
}

export const submit = defineEvent<SubmitEvent, SubmitPayload>({
  type: 'SUBMIT',
  payload: SubmitPayload,
  probe: ({ at }) => ({ type: 'SUBMIT', at }),
  build: (_payload, { at }) => ({ type: 'SUBMIT', at: at.toISOString() }),
});
