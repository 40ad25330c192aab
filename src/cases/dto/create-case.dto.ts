import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { MaxChars, Chars, MaxItems } from '../../common/limits.js';
import { SECTORS, type Sector } from '../../access/policy.types.js';
import { INSTANT_YEARS, NestedObject, NestedObjects } from '../../common/validation.js';
import { normaliseBirthDate } from '../../vault/normalise.js';
import { CASE_STATES } from '../machine/context.js';

export const AGE_BANDS = ['0-17', '18-24', '25-29', '30-39', '40-49', '50-59', '60-69', '70-79', '80+'] as const;
export const HOUSEHOLDS = ['alone', 'couple', 'couple_with_children', 'single_parent', 'with_family', 'shared', 'institution', 'homeless', 'other'] as const;
/**
 * What cellules see (issue 12): refus de soins, impayés / risque d'expulsion, incurie /
 * syllogomanie, troubles du voisinage, isolement, violences, risque suicidaire, addictions, perte
 * d'autonomie — beside the earlier categories, kept for the referrals that use them.
 */
export const PROBLEMS = [
  'care_refusal',
  'rent_arrears',
  'eviction_risk',
  'self_neglect',
  'violence',
  'suicide_risk',
  'loss_of_autonomy',
  'housing',
  'care_continuity',
  'hoarding',
  'neighbourhood_conflict',
  'isolation',
  'addiction',
  'financial',
  'access_to_rights',
  'family',
  'behaviour',
  'hygiene',
  'ageing',
  'other',
] as const;

/** The protective measures a referral records (and a representative's consent names). */
export const PROTECTION_MEASURES = [
  'tutelle',
  'curatelle',
  'curatelle_renforcee',
  'habilitation_familiale',
  'sauvegarde_de_justice',
  'mandat_protection_future',
] as const;
export type ProtectionMeasure = (typeof PROTECTION_MEASURES)[number];
/** A representative's consent: one of the measures, or the parental authority over a minor. */
export const REPRESENTATIVE_MEASURES = [...PROTECTION_MEASURES, 'autorite_parentale'] as const;
export const PARENT_RELATIONS = ['mother', 'father', 'guardian', 'other'] as const;

/** A birth date when it is known (`YYYY-MM-DD`), or only the year (`YYYY`), between 1900 and 2200. */
export function IsBirthDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBirthDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a real date as YYYY-MM-DD, or a year as YYYY', ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const year = Number(value.slice(0, 4));
          if (!/^\d{4}(-\d{2}-\d{2})?$/.test(value) || year < INSTANT_YEARS.min || year > INSTANT_YEARS.max) return false;
          return value.length === 4 || normaliseBirthDate(value) === value;
        },
      },
    });
}

export class IdentityDto {
  @ApiProperty() @IsString() @Chars(1, 100) lastName: string;
  @ApiProperty() @IsString() @Chars(1, 100) firstName: string;
  @ApiPropertyOptional({ example: '1970-01-31', description: 'Optional: the date (YYYY-MM-DD), or only the year (YYYY) when that is all that is known' })
  @IsOptional()
  @MaxChars(10)
  @IsBirthDate()
  birthDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxChars(300) address?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxChars(25)
  @Matches(/^[+\d][\d .\-()]{5,24}$/, { message: 'phone must be a phone number' })
  phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxChars(254) email?: string;
}

export class SummaryDto {
  @ApiProperty({ enum: AGE_BANDS }) @IsIn(AGE_BANDS) ageBand: string;
  @ApiProperty({ description: 'District (quartier), no street address' }) @IsString() @Chars(1, 100) district: string;
  @ApiProperty({ enum: HOUSEHOLDS }) @IsIn(HOUSEHOLDS) household: string;
  @ApiProperty({ enum: PROBLEMS, isArray: true }) @IsArray() @ArrayUnique() @MaxItems(PROBLEMS.length) @IsIn(PROBLEMS, { each: true }) problems: string[];
  @ApiProperty({ description: 'The question asked of the commission (pseudonymised)' }) @IsString() @Chars(1, 2000) question: string;
  @ApiProperty({ description: 'Pseudonymised narrative' }) @IsString() @MaxChars(20000) narrative: string;
  @ApiPropertyOptional({ description: 'What was tried through the usual channels' }) @IsOptional() @IsString() @MaxChars(5000) alreadyTried?: string;
  @ApiPropertyOptional({ enum: SECTORS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @MaxItems(SECTORS.length)
  @IsIn(SECTORS, { each: true })
  partnersInvolved?: Sector[];
  @ApiPropertyOptional({ description: 'What the referrer expects from the commission' }) @IsOptional() @IsString() @MaxChars(5000) expectations?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() minorInHousehold?: boolean;
  @ApiPropertyOptional({ description: 'Stored; every answer then carries the emergency pointer (a cellule is not an emergency service)' })
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;
}

/** The protective measure the person is under, and the mandataire's organisation (sealed as social data). */
export class ProtectionDto {
  @ApiProperty({ enum: PROTECTION_MEASURES }) @IsIn(PROTECTION_MEASURES) measure: ProtectionMeasure;
  @ApiPropertyOptional({ description: "The mandataire's organisation (an association, a service), not a person" })
  @IsOptional()
  @IsString()
  @Chars(1, 200)
  organisation?: string;
}

/** A holder of parental authority over a minor person (sealed as identity). */
export class ParentDto {
  @ApiProperty({ enum: PARENT_RELATIONS }) @IsIn(PARENT_RELATIONS) relation: string;
  @ApiProperty() @IsString() @Chars(1, 100) lastName: string;
  @ApiProperty() @IsString() @Chars(1, 100) firstName: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxChars(25)
  @Matches(/^[+\d][\d .\-()]{5,24}$/, { message: 'phone must be a phone number' })
  phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxChars(300) address?: string;
}

export class NarrativeDto {
  @ApiProperty() @IsString() @MaxChars(20000) narrative: string;
}

export class CreateCaseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() commissionId: string;
  @ApiProperty({ type: IdentityDto }) @NestedObject(() => IdentityDto) identity: IdentityDto;
  @ApiProperty({ type: SummaryDto }) @NestedObject(() => SummaryDto) summary: SummaryDto;
  @ApiPropertyOptional({ type: NarrativeDto }) @IsOptional() @NestedObject(() => NarrativeDto) social?: NarrativeDto;
  @ApiPropertyOptional({ type: NarrativeDto }) @IsOptional() @NestedObject(() => NarrativeDto) health?: NarrativeDto;
  @ApiPropertyOptional({ type: ProtectionDto }) @IsOptional() @NestedObject(() => ProtectionDto) protection?: ProtectionDto;
  @ApiPropertyOptional({ type: [ParentDto], description: 'For a minor person (age band 0-17): the holders of parental authority' })
  @IsOptional()
  @NestedObjects(() => ParentDto)
  @MaxItems(4)
  parentalAuthority?: ParentDto[];
}

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: CASE_STATES }) @IsOptional() @IsIn(CASE_STATES) state?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() commissionId?: string;
  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsIn(Array.from({ length: 200 }, (_, i) => i + 1), { message: 'limit must be between 1 and 200' })
  limit?: number;
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' }) @IsOptional() @IsString() @MaxChars(200) cursor?: string;
}
