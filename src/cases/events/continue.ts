/** CONTINUE — at follow-up, the plan goes on until a new follow-up date (policy default: 3 months). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../../common/validation.js';
import { AppError } from '../../common/errors.js';
import { addMonths, defineEvent, EventPayload, EventType } from './event-module.js';

export interface ContinueEvent {
  type: 'CONTINUE';
  at: string;
  followUpAt: string;
}

export class ContinuePayload extends EventPayload {
  @EventType('CONTINUE') type!: 'CONTINUE';
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: the policy follow-up delay (3 months)' })
  @IsOptional()
  @IsInstant()
  followUpAt?: string;
}

export const continuePlan = defineEvent<ContinueEvent, ContinuePayload>({
  type: 'CONTINUE',
  payload: ContinuePayload,
  probe: ({ at }) => ({ type: 'CONTINUE', at, followUpAt: at }),
  build(payload, { at, rules }) {
    const followUpAt = payload.followUpAt ? new Date(payload.followUpAt) : addMonths(at, rules.followUpMonths);
    if (followUpAt.getTime() <= at.getTime()) throw AppError.validation('followUpAt', 'must be in the future');
    return { type: 'CONTINUE', at: at.toISOString(), followUpAt: followUpAt.toISOString() };
  },
});
