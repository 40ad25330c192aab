/** START_REVIEW — the coordinator opens the examination of the situation in its (open) session. */
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface StartReviewEvent {
  type: 'START_REVIEW';
  at: string;
  /** Whether the session whose agenda holds the case is open now. */
  sessionOpen: boolean;
}

export class StartReviewPayload extends EventPayload {
  @EventType('START_REVIEW') type!: 'START_REVIEW';
}

export const startReview = defineEvent<StartReviewEvent, StartReviewPayload>({
  type: 'START_REVIEW',
  payload: StartReviewPayload,
  probe: ({ at, sessionOpen }) => ({ type: 'START_REVIEW', at, sessionOpen }),
  build: (_payload, { at, record }) => ({ type: 'START_REVIEW', at: at.toISOString(), sessionOpen: record.sessionStatus === 'open' }),
});
