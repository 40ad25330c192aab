/**
 * DEFER — the review is postponed to a later session: the case goes back to ready_for_review and
 * leaves this session's agenda (as UNSCHEDULE), so its attendees stop reaching it once it is
 * scheduled elsewhere.
 */
import { removeFromAgenda } from '../../commissions/agenda.repository.js';
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface DeferEvent {
  type: 'DEFER';
  at: string;
}

export class DeferPayload extends EventPayload {
  @EventType('DEFER') type!: 'DEFER';
}

export const defer = defineEvent<DeferEvent, DeferPayload>({
  type: 'DEFER',
  payload: DeferPayload,
  probe: ({ at }) => ({ type: 'DEFER', at }),
  build: (_payload, { at }) => ({ type: 'DEFER', at: at.toISOString() }),
  async records(_payload, _event, ctx) {
    if (ctx.record.sessionId) await removeFromAgenda(ctx.manager, ctx.record.sessionId, ctx.record.id, ctx.at);
  },
});
