import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_STATES } from '../../cases/machine/context.js';
import {
  CLASSES,
  FLOWS,
  type Flow,
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
import type { DataFlow, RecipientTie, Register, RegisterDocuments, RegisterSignIn } from '../register.js';
import { PROVIDER_KINDS } from '../../auth/oidc/oidc.config.js';

const text = (description: string) => ApiProperty({ maxLength: REGISTER_TEXT_MAX, description });

/** controller.yaml: the body carrying the CLSM, which decides the purposes and means. */
export class RegisterControllerDto {
  @text('The controller (the body carrying the CLSM)') name: string;
  @text('Its postal address') address: string;
}

/** Where the person writes to exercise their rights. */
export class RegisterDpoDto {
  @text('The data protection officer') name: string;
  @text('How to reach them (email or postal address)') contact: string;
}

export class RegisterHostDto {
  @text('Who hosts the data') name: string;
  @text('Its certification (HDS: CSP L1111-8)') certification: string;
}

/** The legal bases of one flow of the processing. */
export class RegisterLegalBasisDto {
  @ApiProperty({ enum: FLOWS, enumName: 'Flow' }) flow: Flow;
  @text('What the flow is') purpose: string;
  @text('Its lawfulness (GDPR art. 6)') article6: string;
  @text('Its exception for health and social data (GDPR art. 9)') article9: string;
  @text('The French texts that allow it') french: string;
}

/** The documents filed on a situation. */
export class RegisterDocumentsDto implements RegisterDocuments {
  @ApiProperty({ enum: PROTECTED_CLASSES, isArray: true, maxItems: PROTECTED_CLASSES.length }) classes: string[];
  @ApiProperty({ type: [String], maxItems: 10, maxLength: 100 }) mediaTypes: string[];
  @ApiProperty() maxBytes: number;
  @text('How they are kept and who reads them') description: string;
}

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

export class RegisterProviderDto {
  @ApiProperty({ description: 'The name in the routes (/auth/oidc/{name}/login)', pattern: '^[a-z0-9_]{1,40}$', maxLength: 40 }) name: string;
  @ApiProperty({ enum: PROVIDER_KINDS }) kind: string;
}

/** How the professionals sign in (issue 16), and what a proven profession changes. */
export class RegisterSignInDto implements RegisterSignIn {
  @ApiProperty({ type: [RegisterProviderDto], maxItems: 50, description: 'The OpenID Connect providers configured (none: local accounts only)' })
  providers: RegisterProviderDto[];
  @ApiProperty({
    description: 'sectors.yaml healthRequiresProvenProfession: health content only to a profession proven by a Pro Santé Connect sign-in',
  })
  healthRequiresProvenProfession: boolean;
}

/** GET /register (JSON) */
export class RegisterDto implements Register {
  @ApiProperty({ type: RegisterControllerDto }) controller: RegisterControllerDto;
  @ApiProperty({ type: RegisterDpoDto }) dpo: RegisterDpoDto;
  @ApiProperty({ type: RegisterHostDto }) host: RegisterHostDto;
  @ApiProperty({ type: [RegisterLegalBasisDto], maxItems: FLOWS.length }) legalBases: RegisterLegalBasisDto[];
  @ApiProperty({ type: RegisterDocumentsDto }) documents: RegisterDocumentsDto;
  @ApiProperty({ maxItems: RELATIONS.length * CLASSES.length, type: [DataFlowDto] }) flows: DataFlowDto[];
  @ApiProperty({ type: NeverReleasedDto }) never: NeverReleasedDto;
  @ApiProperty({ maxItems: RELATIONS.length, type: [RecipientTieDto] }) recipients: RecipientTieDto[];
  @ApiProperty({ maxItems: SECTORS.length, type: [RegisterSectorDto] }) sectors: RegisterSectorDto[];
  @ApiProperty({ type: RegisterRetentionDto }) retention: RegisterRetentionDto;
  @ApiProperty() consentValidityMonths: number;
  @ApiProperty({ type: RegisterSignInDto }) signIn: RegisterSignInDto;
}
