import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_STATES } from '../../cases/machine/context.js';
import {
  CLASSES,
  IDENTITY_FIELDS,
  PROFESSIONS,
  PROTECTED_CLASSES,
  REGISTER_TEXT_MAX,
  RELATIONS,
  SECTORS,
  type DataClass,
  type Involvement,
  type Relation,
  type Sector,
} from '../policy.types.js';
import type { DataFlow, RecipientTie, Register } from '../register.js';

const ALL_OR_LIST = (what: string, values: readonly string[]) => ({
  description: `"all", or the list of ${what}`,
  oneOf: [
    { type: 'string', enum: ['all'] },
    { type: 'array', maxItems: values.length, items: { type: 'string', enum: [...values] } },
  ],
});

/** One line of the data-flow table: what one relation receives of one class. */
export class DataFlowDto implements DataFlow {
  @ApiProperty({ enum: RELATIONS, enumName: 'Relation' }) relation: Relation;
  @ApiProperty({ enum: CLASSES, enumName: 'DataClass' }) cls: DataClass;
  @ApiProperty(ALL_OR_LIST('situation states in which the relation holds', CASE_STATES)) states: 'all' | string[];
  @ApiProperty({ enum: ['always', 'consent'], description: "consent: only under a valid consent naming the recipient's sector for the class" })
  condition: 'always' | 'consent';
  @ApiProperty(ALL_OR_LIST('identity fields received', IDENTITY_FIELDS)) fields: 'all' | string[];
  @ApiProperty({
    maxItems: PROFESSIONS.length,
    maxLength: 50,
    type: [String],
    nullable: true,
    description: 'The professions health or social content is limited to; null: any',
  })
  professions: string[] | null;
}

const never = () => ApiPropertyOptional({ enum: CLASSES, enumName: 'DataClass', isArray: true, maxItems: CLASSES.length });

/** Classes each relation never receives, whatever else holds. */
export class NeverReleasedDto implements Partial<Record<Relation, DataClass[]>> {
  @never() referrer?: DataClass[];
  @never() coordinator?: DataClass[];
  @never() attending_member?: DataClass[];
  @never() action_owner?: DataClass[];
}

export class RegisterSectorDto {
  @ApiProperty({ enum: SECTORS, enumName: 'Sector' }) sector: Sector;
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX, description: 'The confidentiality regime that binds the sector' }) regime: string;
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX, description: 'Its legal basis' }) basis: string;
  @ApiProperty({
    enum: [...PROTECTED_CLASSES, 'nothing'],
    description: 'The class that learning of this sector working with the person reveals (nothing: it reveals no protected class)',
  })
  involvement: Involvement;
}

/** What ties one relation to a situation, and which organisations working with the person it learns of. */
export class RecipientTieDto implements RecipientTie {
  @ApiProperty({ enum: RELATIONS, enumName: 'Relation' }) relation: Relation;
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX, description: 'What ties the recipient to the situation, and what ends the tie' }) tie: string;
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
  @ApiProperty({ maxItems: RELATIONS.length * CLASSES.length, type: [DataFlowDto] }) flows: DataFlowDto[];
  @ApiProperty({ type: NeverReleasedDto }) never: NeverReleasedDto;
  @ApiProperty({ maxItems: RELATIONS.length, type: [RecipientTieDto] }) recipients: RecipientTieDto[];
  @ApiProperty({ maxItems: SECTORS.length, type: [RegisterSectorDto] }) sectors: RegisterSectorDto[];
  @ApiProperty({ type: RegisterRetentionDto }) retention: RegisterRetentionDto;
  @ApiProperty() consentValidityMonths: number;
}
