import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { CLASSES } from '../../access/policy.types.js';
import { MaxChars } from '../../common/limits.js';
import { PageQuery } from '../../common/pagination.js';

/** A date (YYYY-MM-DD) or a date-time with an optional offset (none: UTC). */
const INSTANT = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i;
const INSTANT_MESSAGE = 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time';

/** Filters shared by the list and the export. */
export class AuditFiltersQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The acting user' }) @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "The acting user's organisation" }) @IsOptional() @IsUUID() organisationId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() territoryId?: string;
  @ApiPropertyOptional({ description: 'ISO-8601, inclusive (a date alone: from the start of that day, UTC)' })
  @IsOptional()
  @MaxChars(35)
  @Matches(INSTANT, { message: `from ${INSTANT_MESSAGE}` })
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'ISO-8601, inclusive (a date alone: that whole day included, UTC)' })
  @IsOptional()
  @MaxChars(35)
  @Matches(INSTANT, { message: `to ${INSTANT_MESSAGE}` })
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({ enum: ['allow', 'deny'] }) @IsOptional() @IsIn(['allow', 'deny']) decision?: 'allow' | 'deny';
  @ApiPropertyOptional({ description: 'Exact action (`case.read`), or a prefix ending with `*` (`case.event.*`)' })
  @IsOptional()
  @IsString()
  @MaxChars(120)
  @Matches(/^[A-Za-z0-9_.:/ -]+\*?$/, { message: 'action may hold letters, digits, _ . : / - and space, and end with *' })
  action?: string;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'By entry id; default: newest first for the list, oldest first for the export' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export class AuditEventsQuery extends AuditFiltersQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' }) @IsOptional() @IsString() @MaxChars(100) cursor?: string;
}

export class AuditExportQuery extends AuditFiltersQuery {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'json' }) @IsOptional() @IsIn(['csv', 'json']) format?: 'csv' | 'json';
}

export class AccessReportQuery extends PageQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() caseId: string;
}

export class AuditEventDto {
  @ApiProperty({ maxLength: 20, description: 'Entry id (a number, as a string)' }) id: string;
  @ApiProperty({ maxLength: 35, description: 'ISO-8601 UTC with microseconds' }) at: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organisationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) territoryId: string | null;
  @ApiProperty({ maxLength: 120 }) action: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ maxItems: CLASSES.length, maxLength: 20, type: [String] }) classes: string[];
  @ApiProperty({ enum: ['allow', 'deny'] }) decision: 'allow' | 'deny';
  @ApiProperty({ maxLength: 1000, nullable: true, type: String }) purpose: string | null;
  @ApiProperty({ maxLength: 36, nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ maxLength: 20, description: 'Position in the hash chain; null until sealed', nullable: true, type: String }) seq: string | null;
  @ApiProperty({ description: 'Non-identifying details (ids, states, counts)', type: Object }) detail: Record<string, unknown>;
}

export class AuditEventsPageDto {
  @ApiProperty({ maxItems: 1000, type: [AuditEventDto] }) items: AuditEventDto[];
  @ApiProperty({ maxLength: 100, nullable: true, type: String }) nextCursor: string | null;
}
