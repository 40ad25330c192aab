/**
 * FOLLOW_UP_DUE — the plan's follow-up date is reached: sent by the scheduler
 * (src/jobs/lifecycle-jobs.ts), or by the coordinator to bring it forward.
 */
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface FollowUpDueEvent {
  type: 'FOLLOW_UP_DUE';
  at: string;
}

export class FollowUpDuePayload extends EventPayload {
  @EventType('FOLLOW_UP_DUE') type!: 'FOLLOW_UP_DUE';
}

export const followUpDue = defineEvent<FollowUpDueEvent, FollowUpDuePayload>({
  type: 'FOLLOW_UP_DUE',
  payload: FollowUpDuePayload,
  probe: ({ at }) => ({ type: 'FOLLOW_UP_DUE', at }),
  build: (_payload, { at }) => ({ type: 'FOLLOW_UP_DUE', at: at.toISOString() }),
});
