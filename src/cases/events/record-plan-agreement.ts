/**
 * RECORD_PLAN_AGREEMENT — the person's agreement to the adopted plan, as the referrer (or the
 * coordinator) heard it: agreed, partly, refused, not yet asked. Kept in the case's context (a
 * category, never a text); a new plan starts again at `not_asked`.
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PLAN_AGREEMENTS, type PlanAgreement } from '../machine/context.js';
import { defineEvent, EventPayload, EventType, Required } from './event-module.js';

export interface RecordPlanAgreementEvent {
  type: 'RECORD_PLAN_AGREEMENT';
  at: string;
  agreement: PlanAgreement;
}

export class RecordPlanAgreementPayload extends EventPayload {
  @EventType('RECORD_PLAN_AGREEMENT') type!: 'RECORD_PLAN_AGREEMENT';
  @ApiProperty({ enum: PLAN_AGREEMENTS }) @Required('RECORD_PLAN_AGREEMENT') @IsIn(PLAN_AGREEMENTS) agreement!: PlanAgreement;
}

export const recordPlanAgreement = defineEvent<RecordPlanAgreementEvent, RecordPlanAgreementPayload>({
  type: 'RECORD_PLAN_AGREEMENT',
  payload: RecordPlanAgreementPayload,
  probe: ({ at }) => ({ type: 'RECORD_PLAN_AGREEMENT', at, agreement: 'agreed' }),
  build: (payload, { at }) => ({ type: 'RECORD_PLAN_AGREEMENT', at: at.toISOString(), agreement: payload.agreement }),
});
