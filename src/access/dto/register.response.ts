import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLASSES, PROTECTED_CLASSES, RELATIONS, SECTORS, type DataClass, type Involvement, type Relation, type Sector } from '../policy.types.js';
import type { DataFlow, RecipientTie, Register } from '../register.js';

const ALL_OR_LIST = (what: string) => ({
  description: `"all", or the list of ${what}`,
  oneOf: [
    { type: 'string', enum: ['all'] },
    { type: 'array', items: { type: 'string' } },
  ],
});

/** One line of the data-flow table: what one relation receives of one class. */
export class DataFlowDto implements DataFlow {
  @ApiProperty({ enum: RELATIONS, enumName: 'Relation' }) relation: Relation;
  @ApiProperty({ enum: CLASSES, enumName: 'DataClass' }) cls: DataClass;
  @ApiProperty(ALL_OR_LIST('situation states in which the relation holds')) states: 'all' | string[];
  @ApiProperty({ enum: ['always', 'consent'], description: "consent: only under a valid consent naming the recipient's sector for the class" })
  condition: 'always' | 'consent';
  @ApiProperty(ALL_OR_LIST('identity fields received')) fields: 'all' | string[];
  @ApiProperty({ type: [String], nullable: true, description: 'The professions health or social content is limited to; null: any' })
  professions: string[] | null;
}

const never = () => ApiPropertyOptional({ enum: CLASSES, enumName: 'DataClass', isArray: true });

/** Classes each relation never receives, whatever else holds. */
export class NeverReleasedDto implements Partial<Record<Relation, DataClass[]>> {
  @never() referrer?: DataClass[];
  @never() coordinator?: DataClass[];
  @never() attending_member?: DataClass[];
  @never() action_owner?: DataClass[];
}

export class RegisterSectorDto {
  @ApiProperty({ enum: SECTORS, enumName: 'Sector' }) sector: Sector;
  @ApiProperty({ description: 'The confidentiality regime that binds the sector' }) regime: string;
  @ApiProperty({ description: 'Its legal basis' }) basis: string;
  @ApiProperty({
    enum: [...PROTECTED_CLASSES, 'nothing'],
    description: 'The class that learning of this sector working with the person reveals (nothing: it reveals no protected class)',
  })
  involvement: Involvement;
}

/** What ties one relation to a situation, and which organisations working with the person it learns of. */
export class RecipientTieDto implements RecipientTie {
  @ApiProperty({ enum: RELATIONS, enumName: 'Relation' }) relation: Relation;
  @ApiProperty({ description: 'What ties the recipient to the situation, and what ends the tie' }) tie: string;
  @ApiProperty({
    enum: ['all', 'consented'],
    description: 'all; or consented: its own organisation, and those whose involvement the consent releases to its sector',
  })
  involvement: 'all' | 'consented';
}

export class RegisterRetentionDto {
  @ApiProperty() protectedClassesDays: number;
  @ApiProperty() auditLogDays: number;
}

/** GET /register (JSON) */
export class RegisterDto implements Register {
  @ApiProperty({ type: [DataFlowDto] }) flows: DataFlowDto[];
  @ApiProperty({ type: NeverReleasedDto }) never: NeverReleasedDto;
  @ApiProperty({ type: [RecipientTieDto] }) recipients: RecipientTieDto[];
  @ApiProperty({ type: [RegisterSectorDto] }) sectors: RegisterSectorDto[];
  @ApiProperty({ type: RegisterRetentionDto }) retention: RegisterRetentionDto;
  @ApiProperty() consentValidityMonths: number;
}
