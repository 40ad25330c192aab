/**
 * REVIEW_WITHOUT_CONSENT — without consent (refused, person unreachable) the situation is reviewed
 * as an anonymous practice review: summary only, the justification recorded (sealed, consent class).
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { MaxChars } from '../../common/limits.js';
import { defineEvent, EventPayload, EventType, NotBlank, Required } from './event-module.js';

export interface ReviewWithoutConsentEvent {
  type: 'REVIEW_WITHOUT_CONSENT';
  at: string;
}

export class ReviewWithoutConsentPayload extends EventPayload {
  @EventType('REVIEW_WITHOUT_CONSENT') type!: 'REVIEW_WITHOUT_CONSENT';
  @ApiProperty({ description: 'Why the situation is reviewed without consent (pseudonymised)' })
  @Required('REVIEW_WITHOUT_CONSENT')
  @IsString()
  @NotBlank()
  @MaxChars(2000)
  justification!: string;
}

export const reviewWithoutConsent = defineEvent<ReviewWithoutConsentEvent, ReviewWithoutConsentPayload>({
  type: 'REVIEW_WITHOUT_CONSENT',
  payload: ReviewWithoutConsentPayload,
  probe: ({ at }) => ({ type: 'REVIEW_WITHOUT_CONSENT', at }),
  build: (_payload, { at }) => ({ type: 'REVIEW_WITHOUT_CONSENT', at: at.toISOString() }),
  async records(payload, _event, ctx) {
    await ctx.texts.write('consent', [{ field: 'anonymousJustification', label: 'justification', text: payload.justification }]);
  },
});
