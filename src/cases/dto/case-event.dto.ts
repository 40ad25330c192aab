import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CASE_EVENT_TYPES, type CaseEventType } from '../case.machine.js';
import { PROTECTED_CLASSES, SECTORS, type ProtectedClass, type Sector } from '../../access/policy.types.js';

/** Events a person may send over HTTP (PURGE belongs to the retention job). */
export type HttpEventType = Exclude<CaseEventType, 'PURGE'>;
export const HTTP_EVENT_TYPES = CASE_EVENT_TYPES.filter((t): t is HttpEventType => t !== 'PURGE');

export class ConsentScopeDto {
  @ApiProperty({ enum: SECTORS }) @IsIn(SECTORS) sector: Sector;
  @ApiProperty({ enum: PROTECTED_CLASSES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PROTECTED_CLASSES, { each: true })
  classes: ProtectedClass[];
}

export class PlannedActionDto {
  @ApiProperty({ description: 'Pseudonymised action title' }) @IsString() @MinLength(1) @MaxLength(300) title: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() ownerOrganisationId: string;
  @ApiProperty({ format: 'date-time' }) @IsDateString({ strict: true }) dueAt: string;
}

/**
 * One body for every event; which members belong to which event is checked by the workflow
 * (a member of another event is refused, naming the field).
 */
export class CaseEventDto {
  @ApiProperty({ enum: HTTP_EVENT_TYPES }) @IsIn(HTTP_EVENT_TYPES) type: HttpEventType;
  @ApiProperty({ description: 'The version read; the event is refused with 409 if the case changed since' }) @IsInt() @Min(1) expectedVersion: number;

  // RECORD_CONSENT
  @ApiPropertyOptional({ enum: ['granted', 'refused'] }) @IsOptional() @IsIn(['granted', 'refused']) decision?: 'granted' | 'refused';
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString({ strict: true }) informedAt?: string;
  @ApiPropertyOptional({ enum: ['written', 'oral', 'representative'] }) @IsOptional() @IsIn(['written', 'oral', 'representative']) method?:
    'written' | 'oral' | 'representative';
  @ApiPropertyOptional({ type: [ConsentScopeDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SECTORS.length)
  @ValidateNested({ each: true })
  @Type(() => ConsentScopeDto)
  scope?: ConsentScopeDto[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: the policy validity (12 months)' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
  @ApiPropertyOptional({ description: 'Evidence of the consent (stored encrypted)' }) @IsOptional() @IsString() @MaxLength(2000) evidence?: string;

  // REVIEW_WITHOUT_CONSENT
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) justification?: string;
  // SCHEDULE
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() sessionId?: string;
  // ADOPT_PLAN
  @ApiPropertyOptional({ type: [PlannedActionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlannedActionDto)
  actions?: PlannedActionDto[];
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString({ strict: true }) followUpAt?: string;
  // CLOSE
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) outcome?: string;
  // REJECT
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @ApiPropertyOptional({ description: 'Where the situation should go instead' }) @IsOptional() @IsString() @MaxLength(300) suggestedOrientation?: string;
}

/** Members each event accepts besides type and expectedVersion; anything else is refused. */
export const EVENT_FIELDS: Record<HttpEventType, { required: (keyof CaseEventDto)[]; optional: (keyof CaseEventDto)[] }> = {
  SUBMIT: { required: [], optional: [] },
  ACCEPT: { required: [], optional: [] },
  REJECT: { required: ['reason'], optional: ['suggestedOrientation'] },
  RECORD_CONSENT: { required: ['decision', 'informedAt', 'method'], optional: ['scope', 'expiresAt', 'evidence'] },
  REVIEW_WITHOUT_CONSENT: { required: ['justification'], optional: [] },
  SCHEDULE: { required: ['sessionId'], optional: [] },
  UNSCHEDULE: { required: [], optional: [] },
  START_REVIEW: { required: [], optional: [] },
  ADOPT_PLAN: { required: ['actions'], optional: ['followUpAt'] },
  DEFER: { required: [], optional: [] },
  FOLLOW_UP_DUE: { required: [], optional: [] },
  CONTINUE: { required: [], optional: ['followUpAt'] },
  CLOSE: { required: ['outcome'], optional: [] },
  REOPEN: { required: [], optional: [] },
  WITHDRAW_CONSENT: { required: [], optional: [] },
};
