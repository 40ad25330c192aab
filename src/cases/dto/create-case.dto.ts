import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { SECTORS, type Sector } from '../../access/policy.types.js';
import { IsInstant, NestedObject } from '../../common/validation.js';
import { CASE_STATES } from '../machine/context.js';

export const AGE_BANDS = ['0-17', '18-24', '25-29', '30-39', '40-49', '50-59', '60-69', '70-79', '80+'] as const;
export const HOUSEHOLDS = ['alone', 'couple', 'couple_with_children', 'single_parent', 'with_family', 'shared', 'institution', 'homeless', 'other'] as const;
export const PROBLEMS = [
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

export class IdentityDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) lastName: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) firstName: string;
  @ApiProperty({ example: '1970-01-31', format: 'date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be a date as YYYY-MM-DD' })
  @IsInstant({ message: 'birthDate must be a real date between 1900 and 2200' })
  birthDate: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[+\d][\d .\-()]{5,24}$/, { message: 'phone must be a phone number' }) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}

export class SummaryDto {
  @ApiProperty({ enum: AGE_BANDS }) @IsIn(AGE_BANDS) ageBand: string;
  @ApiProperty({ description: 'District (quartier), no street address' }) @IsString() @MinLength(1) @MaxLength(100) district: string;
  @ApiProperty({ enum: HOUSEHOLDS }) @IsIn(HOUSEHOLDS) household: string;
  @ApiProperty({ enum: PROBLEMS, isArray: true }) @IsArray() @ArrayUnique() @ArrayMaxSize(PROBLEMS.length) @IsIn(PROBLEMS, { each: true }) problems: string[];
  @ApiProperty({ description: 'The question asked of the commission (pseudonymised)' }) @IsString() @MinLength(1) @MaxLength(2000) question: string;
  @ApiProperty({ description: 'Pseudonymised narrative' }) @IsString() @MaxLength(20000) narrative: string;
  @ApiPropertyOptional({ description: 'What was tried through the usual channels' }) @IsOptional() @IsString() @MaxLength(5000) alreadyTried?: string;
  @ApiPropertyOptional({ enum: SECTORS, isArray: true }) @IsOptional() @IsArray() @ArrayUnique() @IsIn(SECTORS, { each: true }) partnersInvolved?: Sector[];
  @ApiPropertyOptional({ description: 'What the referrer expects from the commission' }) @IsOptional() @IsString() @MaxLength(5000) expectations?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() minorInHousehold?: boolean;
  @ApiPropertyOptional({ description: 'true is refused: a cellule is not an emergency service' }) @IsOptional() @IsBoolean() urgent?: boolean;
}

export class NarrativeDto {
  @ApiProperty() @IsString() @MaxLength(20000) narrative: string;
}

export class CreateCaseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() commissionId: string;
  @ApiProperty({ type: IdentityDto }) @NestedObject(() => IdentityDto) identity: IdentityDto;
  @ApiProperty({ type: SummaryDto }) @NestedObject(() => SummaryDto) summary: SummaryDto;
  @ApiPropertyOptional({ type: NarrativeDto }) @IsOptional() @NestedObject(() => NarrativeDto) social?: NarrativeDto;
  @ApiPropertyOptional({ type: NarrativeDto }) @IsOptional() @NestedObject(() => NarrativeDto) health?: NarrativeDto;
}

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: CASE_STATES }) @IsOptional() @IsIn(CASE_STATES) state?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() commissionId?: string;
  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsIn(Array.from({ length: 200 }, (_, i) => i + 1), { message: 'limit must be between 1 and 200' })
  limit?: number;
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
