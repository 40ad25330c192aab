import { ApiProperty } from '@nestjs/swagger';

/** GET /commissions: the commissions of the viewer's territory. */
export class CommissionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The current charter version; null before one is published' }) charterVersion: number | null;
}
