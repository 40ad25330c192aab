/** UNSCHEDULE — the coordinator takes the situation off the session's agenda before its review. */
import { removeFromAgenda } from '../../commissions/agenda.repository.js';
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface UnscheduleEvent {
  type: 'UNSCHEDULE';
  at: string;
}

export class UnschedulePayload extends EventPayload {
  @EventType('UNSCHEDULE') type!: 'UNSCHEDULE';
}

export const unschedule = defineEvent<UnscheduleEvent, UnschedulePayload>({
  type: 'UNSCHEDULE',
  payload: UnschedulePayload,
  probe: ({ at }) => ({ type: 'UNSCHEDULE', at }),
  build: (_payload, { at }) => ({ type: 'UNSCHEDULE', at: at.toISOString() }),
  async records(_payload, _event, ctx) {
    if (ctx.record.sessionId) await removeFromAgenda(ctx.manager, ctx.record.sessionId, ctx.record.id, ctx.at);
  },
});
