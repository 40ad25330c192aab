/**
 * CLOSE — the commission closes the situation with an outcome (after review, at follow-up, or
 * after a refused consent). The machine, the snapshot and the clear `outcome` column get a
 * category only; a free-text outcome ("soins repris…") may be health content: it is counted as
 * `other` and its text sealed and released like health (returned as health.outcomeText, to whom
 * the health class goes), never as the summary the whole commission reads.
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { MaxChars } from '../../common/limits.js';
import { OUTCOME_CATEGORIES, type OutcomeCategory } from '../machine/context.js';
import { defineEvent, EventPayload, EventType, NotBlank, Required } from './event-module.js';

export interface CloseEvent {
  type: 'CLOSE';
  at: string;
  outcome: OutcomeCategory;
}

export class ClosePayload extends EventPayload {
  @EventType('CLOSE') type!: 'CLOSE';
  @ApiProperty({ description: `One of ${OUTCOME_CATEGORIES.join(', ')}, or a pseudonymised text (sealed; counted as other)` })
  @Required('CLOSE')
  @IsString()
  @NotBlank()
  @MaxChars(300)
  outcome!: string;
}

function categoryOf(text: string): OutcomeCategory {
  return (OUTCOME_CATEGORIES as readonly string[]).includes(text) ? (text as OutcomeCategory) : 'other';
}

export const close = defineEvent<CloseEvent, ClosePayload>({
  type: 'CLOSE',
  payload: ClosePayload,
  probe: ({ at }) => ({ type: 'CLOSE', at, outcome: 'other' }),
  build: (payload, { at }) => ({ type: 'CLOSE', at: at.toISOString(), outcome: categoryOf(payload.outcome.trim()) }),
  async records(payload, event, ctx) {
    const text = payload.outcome.trim();
    await ctx.texts.write('health', [{ field: 'outcomeText', label: 'outcome', text: text === event.outcome ? null : text }]);
  },
});
