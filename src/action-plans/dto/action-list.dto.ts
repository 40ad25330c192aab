import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CASE_STATES, type CaseState } from '../../cases/machine/context.js';
import { ACTION_STATUSES, BLOCK_REASONS, type ActionStatus, type BlockReason } from './update-action.dto.js';

const BLOCK_REASON = {
  enum: BLOCK_REASONS,
  enumName: 'BlockReason',
  nullable: true,
  description: 'Why it is blocked (null: not blocked, or blocked before reasons were asked)',
} as const;

/** GET /actions: which of the visible actions (query flags are the strings true/false). */
/** The most actions GET /actions lists. */
export const ACTION_LIST_LIMIT = 500;

export class ListActionsQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: "Only the actions owned by the caller's organisation" })
  @IsOptional()
  @IsIn(['true', 'false'])
  mine?: 'true' | 'false';
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only the actions past their due date and not done' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}

/** One action of a running plan, with the reference of its situation (never a name). */
export class ActionListItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty({ enum: CASE_STATES, enumName: 'CaseState' }) caseState: CaseState;
  @ApiProperty({ maxLength: 300, description: 'Pseudonymised action title' }) title: string;
  @ApiProperty({ format: 'uuid' }) ownerOrganisationId: string;
  @ApiProperty({ maxLength: 200 }) ownerOrganisationName: string;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ enum: ACTION_STATUSES, enumName: 'ActionStatus' }) status: ActionStatus;
  @ApiProperty(BLOCK_REASON) blockReason: BlockReason | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'Past its due date and not done' }) overdue: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: "The situation's next follow-up" }) followUpAt: string | null;
}

export class ActionListDto {
  @ApiProperty({ maxItems: ACTION_LIST_LIMIT, type: [ActionListItemDto] }) items: ActionListItemDto[];
}

/** PATCH /cases/:id/actions/:actionId */
export class UpdatedActionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 300 }) title: string;
  @ApiProperty({ format: 'uuid' }) ownerOrganisationId: string;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ enum: ACTION_STATUSES, enumName: 'ActionStatus' }) status: ActionStatus;
  @ApiProperty(BLOCK_REASON) blockReason: BlockReason | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() overdue: boolean;
}
