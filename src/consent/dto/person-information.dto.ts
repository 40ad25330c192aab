import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CLASSES, FLOWS, PROTECTED_CLASSES, REGISTER_TEXT_MAX, SECTORS, type ProtectedClass, type Sector } from '../../access/policy.types.js';
import { Chars, Items } from '../../common/limits.js';
import { NestedObjects } from '../../common/validation.js';
import { ConsentScopeDto } from '../../cases/events/record-consent.js';
import type { ConsentRecord, ConsentState, PartyRole } from '../consent-record.js';
import type { TransparencyAnswer } from '../person-information.service.js';

const CONSENT_STATES = ['given', 'refused', 'withdrawn', 'expired'] as const;

/** POST /transparency: the situation's reference and the code printed on the person's latest receipt. */
export class TransparencyRequestDto {
  @ApiProperty({ description: 'The situation reference printed on the receipt (CAS-2026-0001)', example: 'CAS-2026-0001' })
  @IsString()
  @Chars(1, 40)
  reference!: string;
  @ApiProperty({ description: 'The code printed on the latest receipt (case, spaces and dashes do not matter)', example: 'K7PM-2XQA-…' })
  @IsString()
  @Chars(1, 64)
  code!: string;
}

/**
 * POST /cases/:id/consent/letter: the scope the referrer proposes to the person (sectors ×
 * classes, as RECORD_CONSENT's), a part of what the policies allow; absent: all they allow.
 */
export class InformationLetterRequestDto {
  @ApiPropertyOptional({
    type: [ConsentScopeDto],
    description:
      'The sectors × classes proposed to the person, printed on the letter: each a sector and class the policies release under consent (400 naming the field otherwise). Absent: everything they allow',
  })
  @IsOptional()
  @NestedObjects(() => ConsentScopeDto)
  @Items(1, SECTORS.length)
  scope?: ConsentScopeDto[];
}

export class ConsentScopeItemDto {
  @ApiProperty({ enum: SECTORS, enumName: 'Sector' }) sector: Sector;
  @ApiProperty({ enum: PROTECTED_CLASSES, isArray: true, maxItems: PROTECTED_CLASSES.length }) classes: ProtectedClass[];
}

export class TransparencyConsentDto {
  @ApiProperty({ enum: [...CONSENT_STATES, 'none'], description: 'none: no consent recorded yet' }) state: ConsentState | 'none';
  @ApiProperty({ type: [ConsentScopeItemDto], maxItems: SECTORS.length, description: 'What the consent in force releases (empty unless given)' })
  scope: ConsentScopeItemDto[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) informedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) withdrawnAt: string | null;
}

export class TransparencyClassDto {
  @ApiProperty({ enum: CLASSES, enumName: 'DataClass' }) class: string;
  @ApiProperty({ format: 'date-time' }) first: string;
  @ApiProperty({ format: 'date-time' }) last: string;
  @ApiProperty() count: number;
}

export class TransparencyAccessDto {
  @ApiProperty({ type: String, nullable: true, maxLength: 200, description: "The organisation's name; null: the service itself (scheduled work)" })
  organisation: string | null;
  @ApiProperty({ enum: SECTORS, enumName: 'Sector', nullable: true }) sector: string | null;
  @ApiProperty({ format: 'date-time' }) first: string;
  @ApiProperty({ format: 'date-time' }) last: string;
  @ApiProperty({ format: 'date-time', description: 'When, as API.md names it: the latest access (the same instant as `last`)' }) at: string;
  @ApiProperty({ type: [TransparencyClassDto], maxItems: CLASSES.length }) classes: TransparencyClassDto[];
}

export class TransparencyDpoDto {
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX }) name: string;
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX }) contact: string;
}

/** The transparency page: organisations, kinds of information and dates; the consent; how to withdraw. Never a name, never content. */
export class TransparencyAnswerDto implements TransparencyAnswer {
  @ApiProperty({ maxLength: 40 }) reference: string;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: TransparencyConsentDto }) consent: TransparencyConsentDto;
  @ApiProperty({
    type: [TransparencyAccessDto],
    maxItems: 1000,
    description: 'Which organisations read which kinds of information, first and last time (the first 1000)',
  })
  accesses: TransparencyAccessDto[];
  @ApiProperty({ maxLength: 1000, description: 'How to withdraw the consent, in plain French' }) withdrawal: string;
  @ApiProperty({ type: TransparencyDpoDto }) dpo: TransparencyDpoDto;
}

class ConsentPurposeDto {
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX }) purpose: string;
  @ApiProperty({ enum: FLOWS }) purpose_type: string;
}

class PiiInformationDto {
  @ApiProperty({ enum: PROTECTED_CLASSES, description: 'A class of the record' }) pii_type: ProtectedClass;
  @ApiProperty({ description: 'A special category of GDPR art. 9 (health, social)' }) special_pii_category: boolean;
}

/** One processing of the record (ISO/IEC TS 27560 6.3.4): what one sector receives under the consent. */
class ConsentProcessingDto {
  @ApiProperty({ maxLength: 40, description: 'The notice the consent answers: the information letter' }) privacy_notice: string;
  @ApiProperty({ maxLength: 8, example: 'fr' }) language: string;
  @ApiProperty({ type: [ConsentPurposeDto], maxItems: 1 }) purposes: ConsentPurposeDto[];
  @ApiProperty({ type: [String], maxItems: 3, maxLength: REGISTER_TEXT_MAX }) lawful_basis: string[];
  @ApiProperty({ type: [PiiInformationDto], maxItems: PROTECTED_CLASSES.length }) pii_information: PiiInformationDto[];
  @ApiProperty({ type: [String], maxItems: 1, maxLength: 40, description: 'party_id of the controller' }) pii_controllers: string[];
  @ApiProperty({ enum: ['written', 'oral', 'representative'] }) collection_method: string;
  @ApiProperty({ type: [String], maxItems: 1, maxLength: 2 * REGISTER_TEXT_MAX + 3, description: 'The host (policies/controller.yaml)' })
  storage_locations: string[];
  @ApiProperty({ maxLength: 60, example: 'P730D after the situation is closed' }) retention_period: string;
  @ApiProperty({ type: [String], maxItems: 2, maxLength: 2, example: ['FR', 'EU'] }) jurisdiction: string[];
  @ApiProperty({ type: [String], maxItems: 1, maxLength: 40, description: 'party_id of the recipient sector' }) recipient_third_parties: string[];
  @ApiProperty({ maxLength: 1000 }) withdrawal_method: string;
  @ApiProperty({ type: [String], maxItems: 6, maxLength: 100 }) privacy_rights: string[];
  @ApiProperty({ maxLength: 100 }) authority_party: string;
}

/** A party of the record (6.3.6): the person (by reference), their representative, the controller, the recipient sectors. */
class ConsentPartyDto {
  @ApiProperty({ maxLength: 40 }) party_id: string;
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX }) party_name: string;
  @ApiProperty({ enum: ['pii_controller', 'recipient', 'pii_principal', 'pii_principal_representative'] }) party_role: PartyRole;
  @ApiProperty({ enum: ['organisation', 'sector', 'person'] }) party_type: 'organisation' | 'sector' | 'person';
  @ApiProperty({ type: String, nullable: true, maxLength: REGISTER_TEXT_MAX }) party_address: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: REGISTER_TEXT_MAX }) party_contact: string | null;
}

/** A consent event (6.3.7). */
class ConsentEventDto {
  @ApiProperty({ format: 'date-time' }) event_time: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 60, description: 'ISO 8601 interval <event>/<end of the consent>; null: none' })
  validity_duration: string | null;
  @ApiProperty({ maxLength: 40, description: 'party_id of who expressed it' }) entity_id: string;
  @ApiProperty({ enum: ['explicit'], description: 'The type of consent: explicit (GDPR art. 9(2)(a))' }) event_type: 'explicit';
  @ApiProperty({ enum: CONSENT_STATES }) event_state: ConsentState;
}

/**
 * GET /cases/:id/consent/record: the latest consent as an ISO/IEC TS 27560:2023 record, with the
 * field names the W3C DPVCG guide to it quotes (src/consent/consent-record.ts).
 */
export class ConsentRecordDto implements ConsentRecord {
  @ApiProperty({ maxLength: 40, example: 'ISO/IEC TS 27560:2023' }) schema_version: string;
  @ApiProperty({ format: 'uuid' }) record_id: string;
  @ApiProperty({ maxLength: 40, description: "The PII principal, pseudonymous: the situation's reference" }) pii_principal_id: string;
  @ApiProperty({ type: [ConsentProcessingDto], maxItems: SECTORS.length, description: 'One per sector the consent releases classes to' })
  processing: ConsentProcessingDto[];
  @ApiProperty({ type: [ConsentPartyDto], maxItems: SECTORS.length + 3 }) parties: ConsentPartyDto[];
  @ApiProperty({ type: [ConsentEventDto], maxItems: 2 }) events: ConsentEventDto[];
}
