import { CAPS, PAGE_SIZE } from '../../common/limits.js';
import { ApiProperty } from '@nestjs/swagger';
import { SECTORS, type Sector } from '../../access/policy.types.js';
import { CaseViewDto } from '../../cases/dto/case.response.js';
import { CASE_STATES, type CaseState } from '../../cases/machine/context.js';
import { RecordContributionDto } from './record.response.js';

/**
 * The answers of the commission and session routes, declared so that the workspace's generated
 * client is typed by them (web/src/api/). Names of professionals appear here (members, invitees);
 * nothing about a person concerned by a situation ever does: references and states only.
 */

const SESSION_STATUSES = ['planned', 'open', 'closed'] as const;
const STATUS = { enum: SESSION_STATUSES, enumName: 'SessionStatus' } as const;
const STATE = { enum: CASE_STATES, enumName: 'CaseState' } as const;

/** GET /commissions: the commissions of the viewer's territory, and the viewer's ties to each. */
export class CommissionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty({ maxLength: 200 }) name: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The current charter version; null before one is published' }) charterVersion: number | null;
  @ApiProperty({ description: 'The caller is a member of the commission, or the deputy of one' }) member: boolean;
  @ApiProperty({ description: 'The caller is invited to one of its sessions (for one situation)' }) invited: boolean;
  @ApiProperty({ description: "The caller accepted the commission's current charter version" }) acceptedCurrentCharter: boolean;
}

/** POST /commissions */
export class CreatedCommissionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty({ maxLength: 200 }) name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** GET /commissions/:id/members */
export class MemberDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ maxLength: 200 }) displayName: string;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ enum: SECTORS, enumName: 'Sector', nullable: true }) sector: Sector | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deputyUserId: string | null;
  @ApiProperty() acceptedCurrentCharter: boolean;
}

/** POST /commissions/:id/members */
export class MembershipDto {
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deputyUserId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** GET /commissions/:id/charter: the current version, and when the caller accepted it. */
export class CharterViewDto {
  @ApiProperty() version: number;
  @ApiProperty({ maxLength: 50000 }) text: string;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the caller accepted this version; null if not' })
  acceptedAt: string | null;
}

/** PUT /commissions/:id/charter */
export class CharterPublishedDto {
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty() version: number;
}

/** POST /commissions/:id/charter/accept */
export class CharterAcceptedDto {
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'uuid' }) userId: string;
}

/** POST /commissions/:id/sessions */
export class CreatedSessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty(STATUS) status: (typeof SESSION_STATUSES)[number];
}

/** GET /commissions/:id/sessions: the sessions, newest first, with the caller's ties to each. */
export class SessionDto extends CreatedSessionDto {
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) openedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ description: 'How many situations its agenda holds' }) agendaCount: number;
  @ApiProperty({ description: 'The caller is invited to this session (for one situation)' }) invited: boolean;
  @ApiProperty({ description: "The caller recorded attendance at this session under the commission's current charter" }) attendanceRecorded: boolean;
  @ApiProperty({ description: 'The caller may read its dossier now (to prepare it, or as an attendee until the record is closed)' }) dossierOpen: boolean;
  @ApiProperty({ format: 'date-time', description: 'When its dossier opens to the members who accepted the charter (lifecycle.yaml)' }) dossierOpensAt: string;
  @ApiProperty({ description: "The session's record is closed (frozen)" }) recordClosed: boolean;
}

/** POST /sessions/:id/open and /close */
export class SessionStatusDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(STATUS) status: (typeof SESSION_STATUSES)[number];
}

/** POST /sessions/:id/attendance */
export class AttendanceDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() charterVersion: number;
}

/** POST /sessions/:id/invitations */
export class InvitationCreatedDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ maxLength: 200 }) displayName: string;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty({ description: "Recorded attendance at the session under the commission's current charter" }) attendanceRecorded: boolean;
}

export class InvitableDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ maxLength: 200 }) displayName: string;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ enum: SECTORS, enumName: 'Sector', nullable: true }) sector: Sector | null;
}

/** GET /sessions/:id/invitations: who is invited, for which situation, and who could be. */
export class InvitationsDto {
  @ApiProperty({ maxItems: CAPS.invitations, type: [InvitationDto] }) items: InvitationDto[];
  @ApiProperty({
    maxItems: PAGE_SIZE,
    type: [InvitableDto],
    description: `Enabled accounts of the territory that may be invited (access.yaml, session_invitee), members of the commission excepted: the first ${PAGE_SIZE} by name`,
  })
  candidates: InvitableDto[];
}

export class AgendaSessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty(STATUS) status: (typeof SESSION_STATUSES)[number];
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
}

export class AgendaItemDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty(STATE) state: CaseState;
  @ApiProperty() position: number;
  @ApiProperty({ format: 'date-time' }) scheduledAt: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When its plan was adopted in this session: it has then left the open agenda (attendees no longer see it)',
  })
  concludedAt: string | null;
}

/** GET /sessions/:id/agenda: references and states only. */
export class AgendaDto {
  @ApiProperty({ type: AgendaSessionDto }) session: AgendaSessionDto;
  @ApiProperty({ maxItems: CAPS.agendaItems, type: [AgendaItemDto] }) items: AgendaItemDto[];
}

/** A member's written contribution on one situation of the dossier (pseudonymised; `held`: it names the person, no text). */
export class DossierContributionDto extends RecordContributionDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
}

/** GET /sessions/:id/dossier: each situation of the agenda as the caller may see it. */
export class DossierDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty(STATUS) status: (typeof SESSION_STATUSES)[number];
  @ApiProperty({ maxItems: CAPS.agendaItems, type: [CaseViewDto] }) items: CaseViewDto[];
  @ApiProperty({
    maxItems: CAPS.agendaItems * CAPS.contributions,
    type: [DossierContributionDto],
    description: 'Written contributions on the situations whose plan the caller receives',
  })
  contributions: DossierContributionDto[];
}
