/** SCHEDULE — the coordinator puts the situation on the agenda of a session of its commission. */
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { addToAgenda, sessionForAgenda } from '../../commissions/agenda.repository.js';
import { AppError } from '../../common/errors.js';
import type { SessionStatus } from '../machine/context.js';
import { defineEvent, EventPayload, EventType, Required } from './event-module.js';

export interface ScheduleEvent {
  type: 'SCHEDULE';
  at: string;
  session: { id: string; status: SessionStatus; sameCommission: boolean };
}

export class SchedulePayload extends EventPayload {
  @EventType('SCHEDULE') type!: 'SCHEDULE';
  @ApiProperty({ format: 'uuid' }) @Required('SCHEDULE') @IsUUID() sessionId!: string;
}

export const schedule = defineEvent<ScheduleEvent, SchedulePayload>({
  type: 'SCHEDULE',
  payload: SchedulePayload,
  // The session a SCHEDULE would name is not known yet: one of the same commission, in the status
  // of the case's current session if it has one, else planned.
  probe: ({ at, sessionStatus }) => ({ type: 'SCHEDULE', at, session: { id: 'probe', status: sessionStatus ?? 'planned', sameCommission: true } }),
  async build(payload, { manager, record, at }) {
    const session = await sessionForAgenda(manager, payload.sessionId, record.territoryId);
    if (!session) throw AppError.validation('sessionId', 'no such session in this territory');
    return {
      type: 'SCHEDULE',
      at: at.toISOString(),
      session: { id: session.id, status: session.status, sameCommission: session.commissionId === record.commissionId },
    };
  },
  async records(_payload, event, ctx) {
    await addToAgenda(ctx.manager, event.session.id, ctx.record.id, ctx.at);
  },
});
