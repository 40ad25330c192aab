import { ApiProperty } from '@nestjs/swagger';
import { SECTORS, type Sector } from '../../access/policy.types.js';

/** GET /organisations */
export class OrganisationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200 }) name: string;
  @ApiProperty({ enum: SECTORS, enumName: 'Sector' }) sector: Sector;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
}
