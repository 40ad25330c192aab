/**
 * SUSPEND (issue 12) — a running plan (plan_active, follow_up) is put on watch (`watch`: the
 * situation is calm, the cellule keeps an eye on it) or suspended (`suspended`: the person is
 * hospitalised, incarcerated, cannot be reached). The follow-up clock stops: no follow-up falls
 * due while the situation is `suspended`, and RESUME moves the date by the time it lasted (read
 * from the event instants, i.e. the injected Clock). The snapshot keeps the mode only; the reason
 * — a hospitalisation, an incarceration is sensitive — is sealed with the plan (class plan, field
 * `hold_reason`), released to whom the plan goes.
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { HOLD_MODES, type HoldMode } from '../machine/context.js';
import { defineEvent, EventPayload, EventType, Required } from './event-module.js';

export const HOLD_REASONS = ['hospitalisation', 'incarceration', 'unreachable', 'stabilised', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** The sealed field (class plan) holding why the plan is on hold. */
export const HOLD_REASON_FIELD = 'hold_reason';

export interface SuspendEvent {
  type: 'SUSPEND';
  at: string;
  mode: HoldMode;
}

export class SuspendPayload extends EventPayload {
  @EventType('SUSPEND') type!: 'SUSPEND';
  @ApiProperty({ enum: HOLD_MODES, description: '`watch`: on watch (veille); `suspended`: the plan cannot go on for now' })
  @Required('SUSPEND')
  @IsIn(HOLD_MODES)
  mode!: HoldMode;
  @ApiProperty({ enum: HOLD_REASONS, description: 'Sealed with the plan, never kept in clear' })
  @Required('SUSPEND')
  @IsIn(HOLD_REASONS)
  reason!: HoldReason;
}

export const suspend = defineEvent<SuspendEvent, SuspendPayload>({
  type: 'SUSPEND',
  payload: SuspendPayload,
  auditClasses: ['plan'],
  probe: ({ at }) => ({ type: 'SUSPEND', at, mode: 'suspended' }),
  build: (payload, { at }) => ({ type: 'SUSPEND', at: at.toISOString(), mode: payload.mode }),
  async records(payload, _event, ctx) {
    await ctx.vault.sealFields(ctx.manager, { territoryId: ctx.record.territoryId, caseId: ctx.record.id }, 'plan', { [HOLD_REASON_FIELD]: payload.reason });
  },
});
