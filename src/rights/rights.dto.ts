import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';
import { Chars, MaxChars } from '../common/limits.js';
import { IsBirthDate } from '../cases/dto/create-case.dto.js';
import { AccessReportDto } from '../audit/dto/audit-responses.dto.js';
import { CASE_STATES, type CaseState } from '../cases/machine/context.js';
import {
  MAX_COPY_DOWNLOADS,
  MAX_RIGHTS_CASES,
  RIGHTS_KINDS,
  RIGHTS_MEASURES,
  RIGHTS_OUTCOMES,
  RIGHTS_REASONS,
  RIGHTS_STATUSES,
  RIGHTS_WAITING,
  type RightsKind,
  type RightsMeasure,
  type RightsOutcome,
  type RightsReason,
  type RightsStatus,
  type RightsWaiting,
} from './rights.types.js';
import { ROLES, type Role } from '../access/policy.types.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const STATE = { enum: CASE_STATES, enumName: 'CaseState' } as const;

/** POST /rights-requests/:id/lookup: the identity the person gave, validated like the referral's. Never stored, never logged. */
export class RightsLookupDto {
  @ApiProperty({ maxLength: 100 }) @IsString() @Chars(1, 100) lastName: string;
  @ApiProperty({ maxLength: 100, description: 'The first name(s)' }) @IsString() @Chars(1, 100) firstName: string;
  @ApiProperty({ example: '1970-01-31', maxLength: 10, description: 'The date (YYYY-MM-DD), or only the year (YYYY) when that is all the person gave' })
  @MaxChars(10)
  @IsBirthDate()
  birthDate: string;
}

/**
 * POST /rights-requests: what the DPO received, and (API.md) the identity the person gave, looked up
 * at once and kept nowhere; without it, the lookup is a later POST /rights-requests/:id/lookup.
 */
export class OpenRightsRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: "The territory; by default the auditor's own (required for an auditor attached to none)" })
  @IsOptional()
  @IsUUID()
  territoryId?: string;
  @ApiProperty({ enum: RIGHTS_KINDS, enumName: 'RightsKind' }) @IsIn(RIGHTS_KINDS) kind: RightsKind;
  @ApiPropertyOptional({
    example: '2026-11-30',
    maxLength: 35,
    description: 'The day the request was received (YYYY-MM-DD, or a date-time: its day in Paris); not in the future. One of receivedAt and receivedOn',
  })
  @IsOptional()
  @IsString()
  @MaxChars(35)
  @Matches(DAY_OR_INSTANT, { message: 'receivedAt must be a date as YYYY-MM-DD or a date-time' })
  receivedAt?: string;
  @ApiPropertyOptional({ example: '2026-11-30', maxLength: 10, description: 'The day the request was received (YYYY-MM-DD), as receivedAt' })
  @IsOptional()
  @IsString()
  @MaxChars(10)
  @Matches(DAY, { message: 'receivedOn must be a date as YYYY-MM-DD' })
  receivedOn?: string;
  @ApiPropertyOptional({
    type: () => RightsLookupDto,
    description:
      'The identity the person gave: the situations are looked up at once (as POST /rights-requests/:id/lookup) in the same transaction; kept nowhere',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RightsLookupDto)
  identity?: RightsLookupDto;
}

export class RightsListQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this territory (an auditor attached to none sees every territory)' })
  @IsOptional()
  @IsUUID()
  territoryId?: string;
  @ApiPropertyOptional({ enum: RIGHTS_STATUSES }) @IsOptional() @IsIn(RIGHTS_STATUSES) status?: RightsStatus;
}

export class RightsHandlerDto {
  @ApiProperty({ format: 'uuid', description: 'A referrer or member of the territory, who may already see the person’s identity' }) @IsUUID() userId: string;
}

export class CloseRightsRequestDto {
  @ApiProperty({
    enum: RIGHTS_OUTCOMES,
    enumName: 'RightsOutcome',
    description: 'What was done, as a category (the measures on each situation are recorded with them)',
  })
  @IsIn(RIGHTS_OUTCOMES)
  outcome: RightsOutcome;
}

export class RightsCaseDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty(STATE) state: CaseState;
  @ApiProperty({ maxLength: 35 }) linkedAt: string;
  @ApiProperty({ enum: RIGHTS_MEASURES, enumName: 'RightsMeasure', nullable: true }) measure: RightsMeasure | null;
  @ApiProperty({ enum: RIGHTS_REASONS, enumName: 'RightsReason', nullable: true }) reason: RightsReason | null;
  @ApiProperty({ maxLength: 35, nullable: true, type: String }) measuredAt: string | null;
}

export class RightsRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty({ enum: RIGHTS_KINDS, enumName: 'RightsKind' }) kind: RightsKind;
  @ApiProperty({ maxLength: 10 }) receivedOn: string;
  @ApiProperty({ maxLength: 10, description: 'One month after receipt (GDPR art. 12)' }) dueOn: string;
  @ApiProperty({ format: 'date-time', description: 'The end of the due day in Paris: the answer is late from this instant' }) dueAt: string;
  @ApiProperty({ enum: RIGHTS_STATUSES }) status: RightsStatus;
  @ApiProperty({ format: 'uuid' }) openedBy: string;
  @ApiProperty({ maxLength: 35 }) openedAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) handlerUserId: string | null;
  @ApiProperty({ enum: RIGHTS_OUTCOMES, enumName: 'RightsOutcome', nullable: true }) outcome: RightsOutcome | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) closedBy: string | null;
  @ApiProperty({ maxLength: 35, nullable: true, type: String }) closedAt: string | null;
}

/** POST /rights-requests: the request opened, and the references of the situations found when the identity came with it. */
export class OpenedRightsRequestDto extends RightsRequestDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: 19 },
    maxItems: MAX_RIGHTS_CASES,
    description: 'References of the situations confirmed as the person’s (empty without `identity`)',
    example: ['CAS-2026-0042'],
  })
  situations: string[];
}

export class RightsRequestListDto {
  @ApiProperty({ type: [RightsRequestDto], maxItems: 1000 }) items: RightsRequestDto[];
}

/** A professional of the territory, as the DPO sees them in the access log too: name, organisation, roles (never the person's identity). */
export class RightsProfessionalDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ maxLength: 200, description: 'Empty when the account is out of the caller’s reach' }) displayName: string;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ maxItems: ROLES.length, enum: ROLES, enumName: 'Role', isArray: true }) roles: Role[];
}

export class RightsHandlerViewDto extends RightsProfessionalDto {
  @ApiProperty({ maxLength: 35, description: 'When the coordinator named them' }) namedAt: string;
}

export class RightsCopyDownloadDto {
  @ApiProperty({ maxLength: 35 }) at: string;
  @ApiProperty({ type: RightsProfessionalDto }) by: RightsProfessionalDto;
}

export class RightsCopiesDto {
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, description: 'How many times the copy of this situation was downloaded (0: not produced yet)' })
  count: number;
  @ApiProperty({ type: [RightsCopyDownloadDto], maxItems: MAX_COPY_DOWNLOADS, description: 'The latest downloads, newest first' })
  downloads: RightsCopyDownloadDto[];
}

export class RightsCaseDetailDto extends RightsCaseDto {
  @ApiProperty({ type: RightsCopiesDto, nullable: true, description: 'An access request: the downloads of the copy of the data; the other kinds: null' })
  copies: RightsCopiesDto | null;
}

export class RightsRequestDetailDto extends RightsRequestDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: -100_000,
    maximum: 100_000,
    description: 'Open: the days left before the due date (Europe/Paris; 0 on it, negative when late). Closed: null',
  })
  daysLeft: number | null;
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, description: 'The lookups by identity made for this request' }) lookups: number;
  @ApiProperty({ type: RightsHandlerViewDto, nullable: true, description: 'The professional the coordinator named to hand over the copy (access)' })
  handler: RightsHandlerViewDto | null;
  @ApiProperty({
    enum: RIGHTS_WAITING,
    enumName: 'RightsWaiting',
    isArray: true,
    maxItems: RIGHTS_WAITING.length,
    description:
      'What the open request still waits for: lookup (no lookup made), copy (a situation whose copy was never downloaded), measure (a situation without its measure). Empty: it may be closed',
  })
  waitingFor: RightsWaiting[];
  @ApiProperty({ type: [RightsCaseDetailDto], maxItems: MAX_RIGHTS_CASES, description: 'The situations a lookup confirmed: references only' })
  situations: RightsCaseDetailDto[];
}

export class RightsLookupResultDto {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ minimum: 0 }) candidates: number;
  @ApiProperty({ type: [RightsCaseDto], maxItems: MAX_RIGHTS_CASES, description: 'The situations confirmed as the person’s: references only' })
  situations: RightsCaseDto[];
}

export class RightsAccessReportsDto {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ type: [AccessReportDto], maxItems: MAX_RIGHTS_CASES }) reports: AccessReportDto[];
}

export class RightsLookupEntryDto {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ enum: RIGHTS_KINDS, enumName: 'RightsKind' }) kind: RightsKind;
  @ApiProperty({ format: 'uuid' }) auditorId: string;
  @ApiProperty({ maxLength: 200 }) auditorName: string;
  @ApiProperty({ maxLength: 35 }) at: string;
  @ApiProperty({ minimum: 0 }) candidates: number;
  @ApiProperty({ minimum: 0 }) confirmed: number;
}

export class RightsLookupReportDto {
  @ApiProperty({ type: [RightsLookupEntryDto], maxItems: 1000 }) items: RightsLookupEntryDto[];
}

export class RightsCopyDto {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ format: 'date' }) receivedOn: string;
  @ApiProperty({ format: 'date', description: 'The answer is due to the person by this date' }) dueOn: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty({
    enum: ['referrer', 'handler'],
    description: 'Why this account may download it: the referrer of the situation, or the handler the coordinator named',
  })
  as: 'referrer' | 'handler';
}

export class RightsCopyListDto {
  @ApiProperty({ type: [RightsCopyDto], maxItems: 1000 }) items: RightsCopyDto[];
}
