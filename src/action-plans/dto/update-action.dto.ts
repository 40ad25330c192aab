import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const ACTION_STATUSES = ['todo', 'in_progress', 'done', 'blocked'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export class UpdateActionDto {
  @ApiProperty({ enum: ACTION_STATUSES }) @IsIn(ACTION_STATUSES) status: ActionStatus;
  @ApiPropertyOptional({ description: 'Pseudonymised note (stored encrypted)' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}
