import { CAPS, MAX_CASE_SESSION_RECORDS, SHEET_PEOPLE } from '../../common/limits.js';
import { ApiProperty } from '@nestjs/swagger';
import { OUTCOME_CATEGORIES } from '../../cases/machine/context.js';
import { DECISIONS, DEFERRAL_REASONS } from '../record.repository.js';

/**
 * The answers of the attendance sheet, contributions and record routes. Professionals' names and
 * organisations appear here; nothing about a person concerned by a situation does: references,
 * categories, and pseudonymised texts (a text that names the person is held: `held`, no text).
 */

const SESSION_STATUS = { enum: ['planned', 'open', 'closed'], enumName: 'SessionStatus' } as const;

export class SheetPersonDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ maxLength: 200 }) displayName: string;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ enum: ['member', 'deputy', 'invited'], enumName: 'SheetRole' }) as: 'member' | 'deputy' | 'invited';
  @ApiProperty({ maxLength: 200, nullable: true, type: String, description: 'For a deputy: the member they stand in for' }) deputyOf: string | null;
  @ApiProperty({ maxLength: 19, nullable: true, type: String, description: 'For an invitee: the situation they are invited for' }) caseReference: string | null;
  @ApiProperty() present: boolean;
  @ApiProperty({ description: 'Ticked by the coordinator (false: recorded by themself)' }) tickedByCoordinator: boolean;
  @ApiProperty() acceptedCurrentCharter: boolean;
}

export class GuestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organisationId: string | null;
  @ApiProperty({ maxLength: 200 }) organisationName: string;
  @ApiProperty({ maxLength: 80, nullable: true, type: String }) functionLabel: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ maxLength: 19, nullable: true, type: String }) caseReference: string | null;
}

/** GET /sessions/:id/attendance */
export class AttendanceSheetDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty(SESSION_STATUS) status: string;
  @ApiProperty() recordClosed: boolean;
  @ApiProperty({ maxItems: SHEET_PEOPLE, type: [SheetPersonDto] }) people: SheetPersonDto[];
  @ApiProperty({ maxItems: CAPS.guests, type: [GuestDto] }) guests: GuestDto[];
}

export class AttendanceMarkedDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() present: boolean;
}

export class ContributionWrittenDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'date-time' }) writtenAt: string;
}

export class RecordTextDto {
  @ApiProperty({ maxLength: 4000, nullable: true, type: String }) text: string | null;
  @ApiProperty({ description: 'The text names the person: held for the referrer, shown to its author and the referrer only' }) held: boolean;
}

export class RecordContributionDto extends RecordTextDto {
  @ApiProperty({ maxLength: 200 }) authorName: string;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ format: 'date-time' }) writtenAt: string;
}

export class RecordItemDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty({ enum: DECISIONS, enumName: 'RecordDecision', nullable: true }) decision: string | null;
  @ApiProperty({ enum: ['event', 'record'], nullable: true, type: String, description: "`event`: the situation's events of the session say it" })
  decisionSource: 'event' | 'record' | null;
  @ApiProperty({ enum: DEFERRAL_REASONS, enumName: 'DeferralReason', nullable: true }) deferralReason: string | null;
  @ApiProperty({ enum: OUTCOME_CATEGORIES, nullable: true }) outcome: string | null;
  @ApiProperty({ type: RecordTextDto, nullable: true }) analysis: RecordTextDto | null;
  @ApiProperty({ type: RecordTextDto, nullable: true }) recommendations: RecordTextDto | null;
  @ApiProperty({ maxItems: CAPS.contributions, type: [RecordContributionDto] }) contributions: RecordContributionDto[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) updatedAt: string | null;
}

export class RecordAttendeeDto {
  @ApiProperty({ maxLength: 200 }) displayName: string;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ enum: ['member', 'deputy', 'invited'], enumName: 'SheetRole' }) as: string;
  @ApiProperty({ maxLength: 19, nullable: true, type: String }) caseReference: string | null;
}

export class RecordGuestDto {
  @ApiProperty({ maxLength: 200 }) organisationName: string;
  @ApiProperty({ maxLength: 80, nullable: true, type: String }) functionLabel: string | null;
  @ApiProperty({ maxLength: 19, nullable: true, type: String }) caseReference: string | null;
}

/** GET /sessions/:id/record */
export class SessionRecordDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty({ maxLength: 200 }) commissionName: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty(SESSION_STATUS) status: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Set once the coordinator closes the record: it is then frozen' })
  closedAt: string | null;
  @ApiProperty({ maxItems: SHEET_PEOPLE, type: [RecordAttendeeDto] }) attendees: RecordAttendeeDto[];
  @ApiProperty({ maxItems: CAPS.guests, type: [RecordGuestDto] }) guests: RecordGuestDto[];
  @ApiProperty({ maxItems: CAPS.agendaItems, type: [RecordItemDto] }) items: RecordItemDto[];
}

/** A closed session record that holds the situation and that this viewer may read. */
export class CaseSessionRecordDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) closedAt: string;
}

export class CaseSessionRecordsDto {
  @ApiProperty({ type: [CaseSessionRecordDto], maxItems: MAX_CASE_SESSION_RECORDS }) items: CaseSessionRecordDto[];
}

export class RecordClosedDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'date-time' }) closedAt: string;
}
