import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_STATES, type CaseState } from '../cases/machine/context.js';
import { ACTION_STATUSES, type ActionStatus } from '../action-plans/dto/update-action.dto.js';
import { RIGHTS_KINDS, type RightsKind } from '../rights/rights.types.js';
import { REFERRER_WAITING, TODO_LIST_LIMIT, TODO_SESSIONS, type ReferrerWaiting } from './todo.repository.js';

/** One situation on a list of the to-do: its reference and why it is there, never a name nor a text. */
export class TodoCaseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty({ enum: CASE_STATES, enumName: 'CaseState' }) state: CaseState;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'The date that puts it on the list: waiting since, consent expiry, follow-up date',
  })
  at: string | null;
}

export class TodoCasesDto {
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, description: 'How many there are (the list names the first ones)' }) count: number;
  @ApiProperty({ type: [TodoCaseDto], maxItems: TODO_LIST_LIMIT }) items: TodoCaseDto[];
}

/** An action of a running plan: the reference of its situation, its owner and due date (its title is not repeated here). */
export class TodoActionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19 }) reference: string;
  @ApiProperty({ format: 'uuid' }) ownerOrganisationId: string;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ enum: ACTION_STATUSES, enumName: 'ActionStatus' }) status: ActionStatus;
  @ApiProperty() overdue: boolean;
}

export class TodoActionsDto {
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647 }) count: number;
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, description: 'Of which past their due date' }) overdue: number;
  @ApiProperty({ type: [TodoActionDto], maxItems: TODO_LIST_LIMIT }) items: TodoActionDto[];
}

export class TodoSessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty({ maxLength: 200 }) commissionName: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ enum: ['planned', 'open', 'closed'] }) status: 'planned' | 'open' | 'closed';
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, description: 'Situations on its agenda' }) agendaSize: number;
}

/** What waits on the coordination of the territory. */
export class TodoCoordinationDto {
  @ApiProperty({ type: TodoCasesDto, description: 'Referrals sent, to screen (waiting longest first)' }) toScreen: TodoCasesDto;
  @ApiProperty({ type: TodoCasesDto, description: "Accepted, the person's consent not recorded yet" }) consentMissing: TodoCasesDto;
  @ApiProperty({ type: TodoCasesDto, description: 'A granted consent expired or expiring within 30 days (open situations)' }) consentExpiring: TodoCasesDto;
  @ApiProperty({ type: TodoCasesDto, description: 'Ready for review, on no agenda yet' }) readyForSession: TodoCasesDto;
  @ApiProperty({ type: TodoCasesDto, description: 'Follow-ups due now or within 30 days' }) followUpsDue: TodoCasesDto;
  @ApiProperty({ type: TodoActionsDto, description: 'Actions of running plans past their due date' }) overdueActions: TodoActionsDto;
  @ApiProperty({ type: [TodoSessionDto], maxItems: TODO_SESSIONS, description: 'The sessions not closed yet, soonest first' }) nextSessions: TodoSessionDto[];
}

export class TodoReferralDto extends TodoCaseDto {
  @ApiProperty({
    enum: REFERRER_WAITING,
    description:
      'draft: to complete and send; sent_back: returned for completion; consent_to_record: accepted, consent to ask; consent_refused: anonymous review or closure to ask; consent_expiring: within 30 days or expired; plan_agreement: the person’s agreement to the plan to record',
  })
  waiting: ReferrerWaiting;
}

/** The situations this referrer referred that wait on them. */
export class TodoReferralsDto {
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647 }) count: number;
  @ApiProperty({ type: [TodoReferralDto], maxItems: TODO_LIST_LIMIT }) items: TodoReferralDto[];
}

/** An open rights request on the DPO's to-do: its id, kind and dates (nothing of the person). */
export class TodoRightsRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty({ enum: RIGHTS_KINDS, enumName: 'RightsKind' }) kind: RightsKind;
  @ApiProperty({ format: 'date' }) receivedOn: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ minimum: -100_000, maximum: 100_000, description: 'Days left before the due date (Europe/Paris; 0 on it, negative when late)' })
  daysLeft: number;
}

/** The open rights requests within the DPO's reach, earliest due first. */
export class TodoRightsDto {
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, description: 'Open requests (the list names the first ones, earliest due first)' }) count: number;
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, description: 'Of which past their due date' }) overdue: number;
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, description: 'Of which due today or within 7 days' }) dueSoon: number;
  @ApiProperty({ type: [TodoRightsRequestDto], maxItems: TODO_LIST_LIMIT }) items: TodoRightsRequestDto[];
}

/** GET /me/todo: counts and references only. A section is absent when the caller holds no relation that gives it. */
export class TodoDto {
  @ApiProperty({ format: 'date-time', description: 'The time the lists were computed at' }) at: string;
  @ApiPropertyOptional({ type: TodoCoordinationDto, description: "For the territory's coordinator" }) coordination?: TodoCoordinationDto;
  @ApiPropertyOptional({ type: TodoReferralsDto, description: 'For a referrer: their situations waiting on them' }) referrals?: TodoReferralsDto;
  @ApiPropertyOptional({ type: TodoActionsDto, description: "For a member: their organisation's open actions, soonest due first" }) actions?: TodoActionsDto;
  @ApiPropertyOptional({ type: TodoRightsDto, description: 'For the DPO (auditor): the open rights requests within their reach, earliest due first' })
  rights?: TodoRightsDto;
}
