import { ApiProperty } from '@nestjs/swagger';
import { PROFESSIONS, ROLES, type Profession, type Role } from '../../access/policy.types.js';
import type { TerritoryRow } from '../organisations.repository.js';
import type { UserView } from '../users.repository.js';

/** GET /territories, POST /territories */
export class TerritoryDto implements TerritoryRow {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200 }) name: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

/** GET /users, POST /users, PATCH /users/:id: an account as the directory shows it (never a password). */
export class UserDto implements UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 254 }) email: string;
  @ApiProperty({ maxLength: 200 }) displayName: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organisationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: "The organisation's territory, or the account's own" })
  territoryId: string | null;
  @ApiProperty({ maxItems: ROLES.length, enum: ROLES, enumName: 'Role', isArray: true }) roles: Role[];
  @ApiProperty({ enum: PROFESSIONS, enumName: 'Profession', description: 'Professional category after CSP R1110-2, or none' }) profession: Profession;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
