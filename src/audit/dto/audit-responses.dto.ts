import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { CAPS, MAX_ACCESS_REPORT_ACTIONS, MAX_SITUATION_REFERENCES, MaxChars, MaxItems, PAGE_SIZE } from '../../common/limits.js';
import { CLASSES, SECTORS, type DataClass, type Sector } from '../../access/policy.types.js';
import type { AccessReport } from '../audit-query.service.js';
import type { BreakReason, VerifyReport } from '../audit-verify.js';

/**
 * The answers of the auditor's routes, declared for the OpenAPI document (the workspace's client is
 * generated from it), and the situation lookup: an auditor finds a situation by its reference, or
 * names the situations of a page of the log, without any of their content.
 */

export const BREAK_REASONS = [
  'hash_mismatch',
  'missing_entry',
  'missing_prefix',
  'checkpoint_mismatch',
  'bad_signature',
  'unknown_key',
  'missing_checkpoint',
  'anchor_signature',
  'truncated',
  'verified_mismatch',
] as const satisfies readonly BreakReason[];
// Every reason of the verifier is in the list: a new one fails to compile here until it is added.
type Unlisted = Exclude<BreakReason, (typeof BREAK_REASONS)[number]>;
export const EVERY_BREAK_REASON_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;

export class CheckpointSummaryDto {
  @ApiProperty({ maxLength: 20 }) id: string;
  @ApiProperty({ maxLength: 20 }) seq: string;
  @ApiProperty({ maxLength: 35 }) createdAt: string;
  @ApiProperty({ maxLength: 24 }) keyId: string;
}

/** GET /audit/verify */
export class VerifyReportDto implements Omit<VerifyReport, 'verified'> {
  @ApiProperty({ description: 'The whole sealed chain and every checkpoint verified' }) ok: boolean;
  @ApiProperty({ description: 'Sealed entries whose hash was recomputed' }) checked: number;
  @ApiProperty({ maxLength: 20, nullable: true, type: String, description: 'The first entry (in chain order) that cannot be trusted; null when ok' })
  firstBrokenId: string | null;
  @ApiProperty({ description: 'Checkpoints whose signature and hash were both verified' }) checkpoints: number;
  @ApiProperty({ enum: BREAK_REASONS, enumName: 'AuditBreakReason', nullable: true }) reason: BreakReason | null;
  @ApiProperty({ maxLength: 20, nullable: true, type: String }) brokenSeq: string | null;
  @ApiProperty({ maxLength: 20, nullable: true, type: String }) firstSeq: string | null;
  @ApiProperty({ maxLength: 20, nullable: true, type: String }) lastSeq: string | null;
  @ApiProperty({ description: 'Entries written but not sealed yet (not covered by this verification)' }) unsealed: number;
  @ApiProperty({ maxLength: 20, nullable: true, type: String, description: 'Entries purged by retention, covered by signed purge checkpoints' })
  purgedThroughSeq: string | null;
  @ApiProperty({ type: CheckpointSummaryDto, nullable: true }) lastCheckpoint: CheckpointSummaryDto | null;
  @ApiProperty({ maxLength: 24, maxItems: CAPS.auditKeys, type: [String], description: 'Keys trusted for this verification' }) keyIds: string[];
  @ApiProperty({
    enum: ['full', 'incremental'],
    description: 'full: the whole chain recomputed; incremental: what was sealed since the last verification (?full=true for a full one)',
  })
  mode: 'full' | 'incremental';
  @ApiProperty({
    maxLength: 20,
    nullable: true,
    type: String,
    description: 'Incremental: where the last verification ended (entries after it were recomputed)',
  })
  fromSeq: string | null;
  @ApiProperty({ maxLength: 44, nullable: true, type: String, description: "The sealer's current public key (base64)" }) publicKey: string | null;
}

export class AccessReportClassDto {
  @ApiProperty({ enum: CLASSES, enumName: 'DataClass' }) class: DataClass;
  @ApiProperty({ maxLength: 35 }) first: string;
  @ApiProperty({ maxLength: 35 }) last: string;
  @ApiProperty() count: number;
  @ApiProperty({
    maxLength: 120,
    maxItems: MAX_ACCESS_REPORT_ACTIONS,
    type: [String],
    description: `The kinds of access recorded (audit actions), by name: the first ${MAX_ACCESS_REPORT_ACTIONS}`,
  })
  actions: string[];
}

export class AccessReportOrganisationDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: accesses by the system or by accounts of no organisation' })
  id: string | null;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: SECTORS, enumName: 'Sector', nullable: true }) sector: Sector | null;
  @ApiProperty({ maxLength: 35 }) first: string;
  @ApiProperty({ maxLength: 35 }) last: string;
  @ApiProperty({ maxItems: CLASSES.length, type: [AccessReportClassDto] }) classes: AccessReportClassDto[];
}

/** GET /audit/access-report */
export class AccessReportDto implements AccessReport {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 35 }) generatedAt: string;
  @ApiProperty({
    maxItems: PAGE_SIZE,
    type: [AccessReportOrganisationDto],
    description: 'One page of the organisations (limit, offset), by their first access: a page shorter than limit is the last',
  })
  organisations: AccessReportOrganisationDto[];
}

/** A situation as an auditor may know it: its reference, never its content. */
export class AuditSituationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
}

/** GET /audit/situations */
export class AuditSituationsDto {
  @ApiProperty({
    maxItems: MAX_SITUATION_REFERENCES,
    type: [AuditSituationDto],
    description: `At most ${MAX_SITUATION_REFERENCES}, as many ids as may be asked`,
  })
  items: AuditSituationDto[];
}

/** `ids=a,b,c` (or repeated) → a list of strings. */
const commaList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : Array.isArray(value) ? value.flatMap((v) => String(v).split(',')).filter(Boolean) : value;

/** GET /audit/verify */
export class AuditVerifyQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Recompute the whole chain, not only what was sealed since the last verification' })
  @IsOptional()
  @IsIn(['true', 'false'])
  full?: 'true' | 'false';
}

export class AuditSituationsQuery {
  @ApiPropertyOptional({ description: 'A situation reference (CAS-2026-0042), any case', example: 'CAS-2026-0042' })
  @IsOptional()
  @IsString()
  @MaxChars(40)
  @Matches(/^\s*[A-Za-z]{1,10}-\d{4}-\d{1,10}\s*$/, { message: 'reference must look like CAS-2026-0042' })
  reference?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: `Situation ids, comma-separated (at most ${MAX_SITUATION_REFERENCES}): the references of a page of the log`,
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @MaxItems(MAX_SITUATION_REFERENCES)
  @IsUUID('all', { each: true })
  ids?: string[];
}
