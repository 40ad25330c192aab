import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { Chars, Items, MaxChars } from '../../common/limits.js';
import { PageQuery } from '../../common/pagination.js';
import { PROFESSIONS, ROLES, SECTORS, type Profession, type Role, type Sector } from '../../access/policy.types.js';
import { REMOVAL_REASONS, type RemovalReason } from '../second-factor.repository.js';

export class CreateTerritoryDto {
  @ApiProperty({ example: 'CLSM de Villeneuve' })
  @IsString()
  @Chars(2, 200)
  name: string;
}

export class CreateOrganisationDto {
  @ApiProperty({ example: 'CMP Villeneuve Nord' })
  @IsString()
  @Chars(2, 200)
  name: string;

  @ApiProperty({ enum: SECTORS })
  @IsIn(SECTORS)
  sector: Sector;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  territoryId: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'a.martin@cmp-exemple.fr' })
  @IsEmail()
  @MaxChars(254)
  email: string;

  @ApiProperty({
    format: 'password',
    minLength: 12,
    description: 'Temporary: the user replaces it at the first login. At least 12 characters, not a common or breached password',
  })
  @IsString()
  @Chars(12, 1024)
  password: string;

  @ApiProperty({ example: 'A. Martin' })
  @IsString()
  @Chars(1, 200)
  displayName: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for every role but admin and auditor' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @Items(1, ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiProperty({ enum: PROFESSIONS, description: 'Professional category after CSP R1110-2, or none' })
  @IsIn(PROFESSIONS)
  profession: Profession;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @Items(1, ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional({ enum: PROFESSIONS }) @IsOptional() @IsIn(PROFESSIONS) profession?: Profession;
  @ApiPropertyOptional() @IsOptional() @IsString() @Chars(1, 200) displayName?: string;
  @ApiPropertyOptional({ format: 'password', minLength: 12, description: 'A reset: temporary, the second factor stays' })
  @IsOptional()
  @IsString()
  @Chars(12, 1024)
  password?: string;
}

export class RemoveSecondFactorDto {
  @ApiProperty({ enum: REMOVAL_REASONS })
  @IsIn(REMOVAL_REASONS)
  reason: RemovalReason;
}

/** GET /organisations: one page, of one territory when given. */
export class OrganisationsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the organisations of this territory' }) @IsOptional() @IsUUID() territoryId?: string;
}
