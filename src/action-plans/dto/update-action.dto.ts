import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, ValidateIf } from 'class-validator';
import { MaxChars } from '../../common/limits.js';

export const ACTION_STATUSES = ['todo', 'in_progress', 'done', 'blocked'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
/** What an action's row may hold: the statuses an update sets, and `cancelled`, which only a plan revision sets. */
export type ActionState = ActionStatus | 'cancelled';

/** Why an unfinished action is carried over into a revised plan (issue 12). */
export const CARRY_REASONS = ['circumstances_changed', 'agency_did_not_act', 'person_declined'] as const;
export type CarryReason = (typeof CARRY_REASONS)[number];
/** Why a revision cancels an action. */
export const CANCEL_REASONS = [...CARRY_REASONS, 'no_longer_needed'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/**
 * Why an action is blocked: what the territory lacks or waits for (the "blocages" table of the
 * CLSM plenary counts them by owner sector). Categories only, never free text.
 */
export const BLOCK_REASONS = ['care_waiting_list', 'no_adapted_housing', 'person_unreachable', 'person_declined', 'awaiting_other_body', 'other'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export class UpdateActionDto {
  @ApiProperty({ enum: ACTION_STATUSES }) @IsIn(ACTION_STATUSES) status: ActionStatus;
  @ApiPropertyOptional({
    enum: BLOCK_REASONS,
    enumName: 'BlockReason',
    description:
      'With `blocked` only (refused with any other status): why the action is blocked (care_waiting_list: a waiting list for care, CMP…; no_adapted_housing; person_unreachable; person_declined; awaiting_other_body: a decision or answer of another body; other). Absent with `blocked`: `other` — the form of API.md, `{ status, note? }`, keeps working; the workspace always asks the reason.',
  })
  @ValidateIf((o: UpdateActionDto) => o.blockReason !== undefined)
  @IsIn(BLOCK_REASONS)
  blockReason?: BlockReason;
  @ApiPropertyOptional({ description: "Pseudonymised note, appended to the action's thread (stored encrypted; never edited)" })
  @IsOptional()
  @IsString()
  @MaxChars(2000)
  note?: string;
}
