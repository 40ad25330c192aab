import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CLASSES, FLOWS, PROTECTED_CLASSES, REGISTER_TEXT_MAX, SECTORS, type ProtectedClass, type Sector } from '../../access/policy.types.js';
import { Chars, Items } from '../../common/limits.js';
import { NestedObjects } from '../../common/validation.js';
import { ConsentScopeDto } from '../../cases/events/record-consent.js';
import type { ConsentRecord, ConsentState } from '../consent-record.js';
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
 * POST /cases/:id/information-letter: the scope the referrer proposes to the person (sectors ×
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

class ConsentNoticeDto {
  @ApiProperty({ maxLength: 100 }) notice_id: string;
  @ApiProperty({ maxLength: 10 }) notice_language: string;
  @ApiProperty({ format: 'date-time' }) presented_at: string;
  @ApiProperty({ enum: ['pii_controller'] }) presented_by: 'pii_controller';
}

class PiiControllerDto {
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX }) name: string;
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX }) address: string;
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX }) dpo_contact: string;
}

class ConsentPurposeDto {
  @ApiProperty({ enum: FLOWS }) purpose_id: string;
  @ApiProperty({ maxLength: REGISTER_TEXT_MAX }) purpose: string;
  @ApiProperty({ type: [String], maxItems: 3, maxLength: REGISTER_TEXT_MAX }) lawful_basis: string[];
}

class ConsentRecipientDto {
  @ApiProperty({ enum: SECTORS, enumName: 'Sector' }) sector: Sector;
  @ApiProperty({ enum: PROTECTED_CLASSES, isArray: true, maxItems: PROTECTED_CLASSES.length }) data_categories: ProtectedClass[];
}

class ConsentEventDto {
  @ApiProperty({ enum: ['consent_given', 'consent_refused', 'consent_withdrawn', 'consent_expired'] })
  event_type: 'consent_given' | 'consent_refused' | 'consent_withdrawn' | 'consent_expired';
  @ApiProperty({ format: 'date-time' }) event_time: string;
  @ApiProperty({ enum: ['pii_principal', 'pii_principal_representative', 'pii_controller'] }) event_by: string;
}

/** GET /cases/:id/consent-record: the latest consent as an ISO/IEC TS 27560 record (field names as the specification's). */
export class ConsentRecordDto implements ConsentRecord {
  @ApiProperty({ maxLength: 40, example: 'ISO/IEC TS 27560:2023' }) schema_version: string;
  @ApiProperty({ format: 'uuid' }) record_id: string;
  @ApiProperty({ maxLength: 40, description: "The PII principal, pseudonymous: the situation's reference" }) pii_principal_id: string;
  @ApiProperty({ format: 'date-time' }) record_created_at: string;
  @ApiProperty({ format: 'date-time' }) last_updated_at: string;
  @ApiProperty({ type: ConsentNoticeDto }) notice: ConsentNoticeDto;
  @ApiProperty({ type: [PiiControllerDto], maxItems: 1 }) pii_controllers: PiiControllerDto[];
  @ApiProperty({ type: [ConsentPurposeDto], maxItems: FLOWS.length }) purposes: ConsentPurposeDto[];
  @ApiProperty({ enum: PROTECTED_CLASSES, isArray: true, maxItems: PROTECTED_CLASSES.length, description: 'The data categories: classes of the record' })
  data_categories: ProtectedClass[];
  @ApiProperty({ type: [ConsentRecipientDto], maxItems: SECTORS.length, description: 'The recipients: sectors, each with its classes' })
  recipients: ConsentRecipientDto[];
  @ApiProperty({ enum: ['written', 'oral', 'representative'] }) collection_method: string;
  @ApiProperty({ enum: CONSENT_STATES }) consent_state: ConsentState;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) consent_expiry: string | null;
  @ApiProperty({ maxLength: 1000 }) withdrawal_method: string;
  @ApiProperty({ type: [ConsentEventDto], maxItems: 2 }) events: ConsentEventDto[];
}
