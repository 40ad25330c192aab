import { ApiProperty } from '@nestjs/swagger';
import { PROFESSIONS, ROLES, SECTORS, type Profession, type Role, type Sector } from '../../access/policy.types.js';

/** GET /me: the signed-in account as the server knows it on this request. */
export class MeResponseDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ maxLength: 254 }) email: string;
  @ApiProperty({ maxLength: 200 }) displayName: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organisationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) territoryId: string | null;
  @ApiProperty({ enum: SECTORS, nullable: true, description: "The sector of the account's organisation" }) sector: Sector | null;
  @ApiProperty({ maxItems: ROLES.length, enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ enum: PROFESSIONS }) profession: Profession;
  @ApiProperty({
    description:
      'The profession was proven by a Pro Santé Connect sign-in (the RPPS and profession it carries), not only declared by an administrator (issue 16)',
  })
  professionProven: boolean;
}
