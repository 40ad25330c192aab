/**
 * What EDIT_DRAFT and RECTIFY share: the members a referrer may change (each one given replaces
 * the stored one; null removes an optional one) and how the change is written — the rules across
 * members, the leak check, the sealed fields, the clear categories, the duplicate indexes, one
 * audit entry naming the fields (never a value). A rectification also keeps every previous value,
 * sealed in its class (src/cases/referral.ts).
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { MaxChars, Chars, MaxItems } from '../../common/limits.js';
import { SECTORS, type Sector } from '../../access/policy.types.js';
import { AppError } from '../../common/errors.js';
import { NestedObject, NestedObjects } from '../../common/validation.js';
import { updateCategories, updateIdentityIndexes } from '../case.repository.js';
import { AGE_BANDS, HOUSEHOLDS, IsBirthDate, NarrativeDto, ParentDto, PROBLEMS, ProtectionDto } from '../dto/create-case.dto.js';
import { applyChanges, changesBetween, checkReferralTexts, currentContent, indexesOf, sealChanges, validateContent } from '../referral.js';
import { EventPayload, type EventRecordContext } from './event-module.js';

export class IdentityChangesDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Chars(1, 100) lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Chars(1, 100) firstName?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'YYYY-MM-DD, or YYYY; null: unknown' })
  @IsOptional()
  @MaxChars(10)
  @IsBirthDate()
  birthDate?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxChars(300) address?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxChars(25)
  @Matches(/^[+\d][\d .\-()]{5,24}$/, { message: 'phone must be a phone number' })
  phone?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsEmail() @MaxChars(254) email?: string | null;
}

export class SummaryChangesDto {
  @ApiPropertyOptional({ enum: AGE_BANDS }) @IsOptional() @IsIn(AGE_BANDS) ageBand?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Chars(1, 100) district?: string;
  @ApiPropertyOptional({ enum: HOUSEHOLDS }) @IsOptional() @IsIn(HOUSEHOLDS) household?: string;
  @ApiPropertyOptional({ enum: PROBLEMS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @MaxItems(PROBLEMS.length)
  @IsIn(PROBLEMS, { each: true })
  problems?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Chars(1, 2000) question?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxChars(20000) narrative?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxChars(5000) alreadyTried?: string | null;
  @ApiPropertyOptional({ enum: SECTORS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @MaxItems(SECTORS.length)
  @IsIn(SECTORS, { each: true })
  partnersInvolved?: Sector[];
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxChars(5000) expectations?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() minorInHousehold?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() urgent?: boolean;
}

/** The members of EDIT_DRAFT and RECTIFY (at least one). */
export abstract class ReferralChangesPayload extends EventPayload {
  @ApiPropertyOptional({ type: IdentityChangesDto }) @IsOptional() @NestedObject(() => IdentityChangesDto) identity?: IdentityChangesDto;
  @ApiPropertyOptional({ type: SummaryChangesDto }) @IsOptional() @NestedObject(() => SummaryChangesDto) summary?: SummaryChangesDto;
  @ApiPropertyOptional({ type: NarrativeDto, nullable: true }) @IsOptional() @NestedObject(() => NarrativeDto) social?: NarrativeDto | null;
  @ApiPropertyOptional({ type: NarrativeDto, nullable: true }) @IsOptional() @NestedObject(() => NarrativeDto) health?: NarrativeDto | null;
  @ApiPropertyOptional({ type: ProtectionDto, nullable: true }) @IsOptional() @NestedObject(() => ProtectionDto) protection?: ProtectionDto | null;
  @ApiPropertyOptional({ type: [ParentDto], nullable: true })
  @IsOptional()
  @NestedObjects(() => ParentDto)
  @MaxItems(4)
  parentalAuthority?: ParentDto[] | null;
}

/**
 * PATCH /cases/:id (API.md): the same members as EDIT_DRAFT and RECTIFY without `type` — the
 * server sends EDIT_DRAFT to a draft and RECTIFY to a submitted situation.
 */
export class CaseChangesDto extends ReferralChangesPayload {
  declare type: 'EDIT_DRAFT' | 'RECTIFY';
}

/**
 * Writes the changes of an edit (`keepPrevious` false: a draft is the referrer's work in progress)
 * or of a rectification (true: the previous values are kept, sealed, for the record's history).
 */
export async function writeReferralChanges(payload: ReferralChangesPayload, ctx: EventRecordContext, mode: 'edit' | 'rectify'): Promise<void> {
  const { record } = ctx;
  const current = await currentContent(ctx.vault, ctx.manager, {
    id: record.id,
    territoryId: record.territoryId,
    ageBand: record.ageBand ?? '',
    district: record.district ?? '',
    household: record.household ?? '',
    problems: record.problems,
    partnersInvolved: record.partnersInvolved,
    minorInHousehold: record.minorInHousehold,
    urgent: record.urgent,
  });
  const next = applyChanges(current, payload);
  const changes = changesBetween(current, next);
  if (!changes.length) throw AppError.validation('body', 'changes nothing: send the members to change');
  validateContent(next, ctx.at);
  checkReferralTexts(next);
  const ref = { territoryId: record.territoryId, caseId: record.id };
  await sealChanges(ctx.vault, ctx.manager, ref, changes, mode === 'rectify' ? record.version + 1 : null);
  if (changes.some((c) => c.category)) await updateCategories(ctx.manager, record.id, next.categories);
  if (changes.some((c) => c.cls === 'identity' && (c.field === 'lastName' || c.field === 'firstName' || c.field === 'birthDate'))) {
    const indexes = indexesOf(ctx.vault.indexer, next.sealed.identity);
    await updateIdentityIndexes(ctx.manager, record.id, indexes.full, indexes.names);
  }
  const classes = [...new Set(changes.map((c) => c.cls))];
  await ctx.audit.record(
    {
      actorId: ctx.actorId,
      organisationId: ctx.actorOrganisationId,
      territoryId: record.territoryId,
      action: mode === 'rectify' ? 'case.referral.rectify' : 'case.referral.edit',
      caseId: record.id,
      classes,
      decision: 'allow',
      purpose: mode === 'rectify' ? 'rectification by the referrer (GDPR art. 16); previous values kept sealed' : 'draft edited by its referrer',
      detail: { fields: changes.map((c) => `${c.category ? 'summary' : c.cls}.${c.field}`), version: record.version + 1 },
    },
    ctx.manager,
  );
}
