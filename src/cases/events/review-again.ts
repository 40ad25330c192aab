/**
 * REVIEW_AGAIN (issue 12) — a running plan, or one at its follow-up, goes back on the agenda of a
 * session of its commission: the commission looks at the situation again. The plan runs on
 * meanwhile; the review ends with a revision (REVISE_PLAN), a new plan (ADOPT_PLAN) or a closure,
 * and a situation taken off the agenda or deferred returns to its plan, not to the queue.
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { addToAgenda, sessionForAgenda } from '../../commissions/agenda.repository.js';
import { AppError } from '../../common/errors.js';
import type { SessionStatus } from '../machine/context.js';
import { defineEvent, EventPayload, EventType, Required } from './event-module.js';

export interface ReviewAgainEvent {
  type: 'REVIEW_AGAIN';
  at: string;
  session: { id: string; status: SessionStatus; sameCommission: boolean };
}

export class ReviewAgainPayload extends EventPayload {
  @EventType('REVIEW_AGAIN') type!: 'REVIEW_AGAIN';
  @ApiProperty({ format: 'uuid', description: 'A planned or open session of the situation’s commission' })
  @Required('REVIEW_AGAIN')
  @IsUUID()
  sessionId!: string;
}

export const reviewAgain = defineEvent<ReviewAgainEvent, ReviewAgainPayload>({
  type: 'REVIEW_AGAIN',
  payload: ReviewAgainPayload,
  probe: ({ at }) => ({ type: 'REVIEW_AGAIN', at, session: { id: 'probe', status: 'planned', sameCommission: true } }),
  async build(payload, { manager, record, at }) {
    const session = await sessionForAgenda(manager, payload.sessionId, record.territoryId);
    if (!session) throw AppError.validation('sessionId', 'no such session in this territory');
    return {
      type: 'REVIEW_AGAIN',
      at: at.toISOString(),
      session: { id: session.id, status: session.status, sameCommission: session.commissionId === record.commissionId },
    };
  },
  async records(_payload, event, ctx) {
    await addToAgenda(ctx.manager, event.session.id, ctx.record.id, ctx.at);
  },
});
