import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { Chars, MaxChars } from '../../common/limits.js';
import { OUTCOME_CATEGORIES } from '../../cases/machine/context.js';
import { DECISIONS, DEFERRAL_REASONS, type DeferralReason, type RecordDecision } from '../record.repository.js';

/** PUT /sessions/:id/attendance/:userId — the coordinator's tick on the attendance sheet. */
export class MarkAttendanceDto {
  @ApiProperty({ description: 'Present (ticked) or not' }) @IsBoolean() present: boolean;
}

/**
 * POST /sessions/:id/guests — a partner present without an account: an organisation of the
 * directory (`organisationId`) or its name (`organisationLabel`), and a function; never a
 * person's name.
 */
export class GuestInputDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An organisation of the directory' }) @IsOptional() @IsUUID() organisationId?: string;
  @ApiPropertyOptional({ description: "The organisation's name, when it is not in the directory", maxLength: 120, example: 'Association Logis Solidaire' })
  @IsOptional()
  @IsString()
  @Chars(2, 120)
  organisationLabel?: string;
  @ApiPropertyOptional({ description: 'A function, never a name', maxLength: 80, example: 'conseillère en économie sociale et familiale' })
  @IsOptional()
  @IsString()
  @MaxChars(80)
  functionLabel?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The situation the partner came for' }) @IsOptional() @IsUUID() caseId?: string;
}

/** PUT /sessions/:id/contributions/:caseId — a member's written contribution, pseudonymised. */
export class ContributionDto {
  @ApiProperty({ maxLength: 2000, description: 'Pseudonymised: the leak guard refuses what identifies the person' })
  @IsString()
  @Chars(1, 2000)
  text: string;
}

/** PUT /sessions/:id/record/items/:caseId — the record of one situation examined. */
export class RecordItemInputDto {
  @ApiPropertyOptional({
    enum: DECISIONS,
    enumName: 'RecordDecision',
    description: "Only when the situation's events of the session do not say it (ADOPT_PLAN, DEFER, CLOSE): advice to the referrer, typically",
  })
  @IsOptional()
  @IsIn(DECISIONS)
  decision?: RecordDecision;
  @ApiPropertyOptional({
    enum: DEFERRAL_REASONS,
    enumName: 'DeferralReason',
    description: 'Required for a deferred situation, on its first write (kept on later ones); refused for any other decision',
  })
  @IsOptional()
  @IsIn(DEFERRAL_REASONS)
  deferralReason?: DeferralReason;
  @ApiPropertyOptional({ enum: OUTCOME_CATEGORIES, description: 'For a closed situation whose closing was not sent as an event' })
  @IsOptional()
  @IsIn(OUTCOME_CATEGORIES)
  outcome?: string;
  @ApiPropertyOptional({ maxLength: 4000, nullable: true, type: String, description: "The commission's analysis, pseudonymised (null or empty: removed)" })
  @IsOptional()
  @IsString()
  @MaxChars(4000)
  analysis?: string | null;
  @ApiPropertyOptional({ maxLength: 4000, nullable: true, type: String, description: 'Its recommendations, pseudonymised (null or empty: removed)' })
  @IsOptional()
  @IsString()
  @MaxChars(4000)
  recommendations?: string | null;
}

export class RecordQuery {
  @ApiPropertyOptional({ enum: ['json', 'pdf'], description: '`pdf`: the closed record as a PDF (409 while it is open)' })
  @IsOptional()
  @IsIn(['json', 'pdf'])
  format?: 'json' | 'pdf';
}
