/**
 * REJECT — the coordinator turns the referral down at screening, with a reason and a suggested
 * orientation (both pseudonymised, sealed with the summary). Closes the case for good.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { MaxChars } from '../../common/limits.js';
import { defineEvent, EventPayload, EventType, NotBlank, Required } from './event-module.js';

export interface RejectEvent {
  type: 'REJECT';
  at: string;
}

export class RejectPayload extends EventPayload {
  @EventType('REJECT') type!: 'REJECT';
  @ApiProperty({ description: 'Why the referral is not taken (pseudonymised)' })
  @Required('REJECT')
  @IsString()
  @NotBlank()
  @MaxChars(2000)
  reason!: string;
  @ApiPropertyOptional({ description: 'Where the situation should go instead' }) @IsOptional() @IsString() @MaxChars(300) suggestedOrientation?: string;
}

export const reject = defineEvent<RejectEvent, RejectPayload>({
  type: 'REJECT',
  payload: RejectPayload,
  probe: ({ at }) => ({ type: 'REJECT', at }),
  build: (_payload, { at }) => ({ type: 'REJECT', at: at.toISOString() }),
  async records(payload, _event, ctx) {
    await ctx.texts.write('summary', [
      { field: 'rejectReason', label: 'reason', text: payload.reason },
      { field: 'suggestedOrientation', label: 'suggestedOrientation', text: payload.suggestedOrientation ?? null },
    ]);
  },
});
