/**
 * SEND_BACK — the coordinator sends a submitted referral back to its referrer for completion, with
 * a reason (pseudonymised, sealed with the summary): the referral is a draft again, not rejected;
 * the referrer completes it and submits it again.
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { MaxChars } from '../../common/limits.js';
import { defineEvent, EventPayload, EventType, NotBlank, Required } from './event-module.js';

export interface SendBackEvent {
  type: 'SEND_BACK';
  at: string;
}

export class SendBackPayload extends EventPayload {
  @EventType('SEND_BACK') type!: 'SEND_BACK';
  @ApiProperty({ description: 'What the referral lacks (pseudonymised)' })
  @Required('SEND_BACK')
  @IsString()
  @NotBlank()
  @MaxChars(2000)
  reason!: string;
}

export const sendBack = defineEvent<SendBackEvent, SendBackPayload>({
  type: 'SEND_BACK',
  payload: SendBackPayload,
  probe: ({ at }) => ({ type: 'SEND_BACK', at }),
  build: (_payload, { at }) => ({ type: 'SEND_BACK', at: at.toISOString() }),
  async records(payload, _event, ctx) {
    await ctx.texts.write('summary', [{ field: 'sendBackReason', label: 'reason', text: payload.reason }]);
  },
});
