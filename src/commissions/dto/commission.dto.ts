import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { Chars } from '../../common/limits.js';
import { IsInstant } from '../../common/validation.js';

export class CreateCommissionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() territoryId: string;
  @ApiProperty({ example: 'Cellule de cas complexes — secteur Nord' }) @IsString() @Chars(2, 200) name: string;
}

export class AddMemberDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId: string;
  @ApiPropertyOptional({ format: 'uuid', description: "A deputy who may attend in the member's place" }) @IsOptional() @IsUUID() deputyUserId?: string;
}

export class CharterDto {
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100_000) version: number;
  @ApiProperty() @IsString() @Chars(1, 50000) text: string;
}

export class AcceptCharterDto {
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100_000) version: number;
}

export class CreateSessionDto {
  @ApiProperty({ format: 'date-time' }) @IsInstant() startsAt: string;
  @ApiProperty({ format: 'date-time' }) @IsInstant() endsAt: string;
}

export class InviteDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId: string;
  @ApiProperty({ format: 'uuid', description: 'The one case the invitation is limited to' }) @IsUUID() caseId: string;
}
