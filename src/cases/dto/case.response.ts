import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CAPS, MAX_DUPLICATE_CANDIDATES, MAX_TEXT_REVIEWS } from '../../common/limits.js';
import { WithheldDto } from '../../access/dto/withheld.dto.js';
import { CLASSES, PROTECTED_CLASSES, RELATIONS, SECTORS, type DataClass, type ProtectedClass, type Relation, type Sector } from '../../access/policy.types.js';
import {
  ACTION_STATUSES,
  BLOCK_REASONS,
  CANCEL_REASONS,
  CARRY_REASONS,
  type ActionState,
  type BlockReason,
  type CancelReason,
  type CarryReason,
} from '../../action-plans/dto/update-action.dto.js';
import { EXTERNAL_REPORT_KINDS, LEGAL_BASES, type ExternalReportKind, type LegalBasis } from '../../access/policy.types.js';
import { HOLD_REASONS, type HoldReason } from '../events/suspend.js';
import { REPORT_AUTHORS, type ReportAuthor } from '../events/record-external-report.js';
import { HOLD_MODES, type HoldMode } from '../machine/context.js';
import { CASE_CLOSURES, CASE_STATES, PLAN_AGREEMENTS, type CaseClosure, type CaseState, type PlanAgreement } from '../machine/context.js';
import { HTTP_EVENT_TYPES, type HttpEventType } from '../events/registry.js';
import { AGE_BANDS, HOUSEHOLDS, PARENT_RELATIONS, PROBLEMS, PROTECTION_MEASURES, REPRESENTATIVE_MEASURES } from './create-case.dto.js';

/** The answers of /cases, declared so the workspace's generated client is typed (web/src/api/). */

const STATE = { enum: CASE_STATES, enumName: 'CaseState' } as const;
const EVENTS = { enum: HTTP_EVENT_TYPES, enumName: 'CaseEventType', isArray: true } as const;

export class CaseListItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty(STATE) state: CaseState;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) followUpAt: string | null;
  @ApiProperty({ description: 'Changed since this account last opened it, or never opened by this account (from its own reads in the access log)' })
  unread: boolean;
}

export class CaseListDto {
  @ApiProperty({ maxItems: 200, type: [CaseListItemDto] }) items: CaseListItemDto[];
  @ApiProperty({ maxLength: 200, nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last one' }) nextCursor:
    string | null;
}

export class CaseNoticeDto {
  @ApiProperty({ maxLength: 50, example: 'child_protection' }) code: string;
  @ApiProperty({ maxLength: 1000 }) message: string;
}

export class CaseMetaDto {
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty({ format: 'uuid' }) commissionId: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: "null when this viewer may not learn which organisation referred the situation (its sector's involvement is not released to them)",
  })
  referrerOrganisationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sessionId: string | null;
  @ApiProperty({ description: 'Reviewed without consent: summary only, no release' }) anonymousReview: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) followUpAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ enum: CASE_CLOSURES, nullable: true, description: 'How the situation was closed; null while open' }) closure: CaseClosure | null;
  @ApiProperty({ maxLength: 300, nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ description: 'The referrer said it is urgent: see the emergency notice' }) urgent: boolean;
  @ApiProperty({ enum: PLAN_AGREEMENTS, nullable: true, description: "The person's agreement to the current plan; null before any plan" })
  planAgreement: PlanAgreement | null;
}

export class CaseSummaryViewDto {
  @ApiProperty({ enum: AGE_BANDS }) ageBand: string;
  @ApiProperty({ maxLength: 100 }) district: string;
  @ApiProperty({ enum: HOUSEHOLDS }) household: string;
  @ApiProperty({ maxItems: PROBLEMS.length, enum: PROBLEMS, isArray: true }) problems: string[];
  @ApiProperty({ maxItems: SECTORS.length, enum: SECTORS, isArray: true, description: 'The partner sectors this viewer may learn of (involvement)' })
  partnersInvolved: Sector[];
  @ApiProperty() minorInHousehold: boolean;
  @ApiProperty({ maxLength: 2000, nullable: true, type: String }) question: string | null;
  @ApiProperty({ maxLength: 20000, nullable: true, type: String }) narrative: string | null;
  @ApiProperty({ maxLength: 5000, nullable: true, type: String }) alreadyTried: string | null;
  @ApiProperty({ maxLength: 5000, nullable: true, type: String }) expectations: string | null;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String, description: 'null when held (it names the person) and not readable by this viewer' })
  rejectReason?: string | null;
  @ApiPropertyOptional({ maxLength: 300, nullable: true, type: String }) suggestedOrientation?: string | null;
  @ApiProperty() urgent: boolean;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String, description: 'Why the coordinator sent the referral back for completion (SEND_BACK)' })
  sendBackReason?: string | null;
}

export class ParentViewDto {
  @ApiProperty({ enum: PARENT_RELATIONS }) relation: string;
  @ApiProperty({ maxLength: 100 }) lastName: string;
  @ApiProperty({ maxLength: 100 }) firstName: string;
  @ApiPropertyOptional({ maxLength: 25 }) phone?: string;
  @ApiPropertyOptional({ maxLength: 300 }) address?: string;
}

/** Only the fields released to this viewer are present. */
export class CaseIdentityViewDto {
  @ApiPropertyOptional({
    maxItems: 4,
    type: [ParentViewDto],
    description: 'A minor person: the holders of parental authority (to whom the whole identity goes)',
  })
  parentalAuthority?: ParentViewDto[];
  @ApiPropertyOptional({ maxLength: 100 }) lastName?: string;
  @ApiPropertyOptional({ maxLength: 100 }) firstName?: string;
  @ApiPropertyOptional({ format: 'date' }) birthDate?: string;
  @ApiPropertyOptional({ maxLength: 300 }) address?: string;
  @ApiPropertyOptional({ maxLength: 25 }) phone?: string;
  @ApiPropertyOptional({ maxLength: 254 }) email?: string;
}

export class CaseNarrativeViewDto {
  @ApiPropertyOptional({ maxLength: 20000 }) narrative?: string;
}

/** The social class: its narrative, and the protective measure the person is under (issue 12). */
export class CaseSocialViewDto extends CaseNarrativeViewDto {
  @ApiPropertyOptional({ enum: PROTECTION_MEASURES }) protectionMeasure?: string;
  @ApiPropertyOptional({ maxLength: 200, description: "The mandataire's organisation" }) protectionOrganisation?: string;
}

/** One member a rectification changed, with its previous value (to whom its class goes). */
export class RectifiedFieldDto {
  @ApiProperty({ enum: ['identity', 'summary', 'social', 'health'] }) class: string;
  @ApiProperty({ maxLength: 50, example: 'lastName' }) field: string;
  @ApiProperty({ nullable: true, description: 'The value before the rectification; null: it was absent' }) previous: unknown;
}

/** A rectification (RECTIFY, GDPR art. 16): when, by whom, and the previous values this viewer may read. */
export class RectificationDto {
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) byUserId: string | null;
  @ApiProperty({ maxItems: 50, type: [RectifiedFieldDto] }) changes: RectifiedFieldDto[];
}

/** The health class: its narrative, and a closing outcome written in free text (released like health). */
export class CaseHealthViewDto extends CaseNarrativeViewDto {
  @ApiPropertyOptional({ maxLength: 300, description: 'The closing outcome in free text (CLOSE), released as health content' }) outcomeText?: string;
}

/** A text held because it names the person, listed for the referrer to have it rewritten. */
export class TextReviewDto {
  @ApiProperty({
    maxLength: 100,
    example: 'actions.6f1c…/title',
    description: 'Where the text is (`outcome`, `reason`, `actions.<id>.title`, `actions.<id>.notes.<n>`, `reports.<id>.note`…)',
  })
  field: string;
  @ApiProperty({ format: 'date-time' }) heldAt: string;
  @ApiProperty({ maxLength: 20000, nullable: true, type: String }) text: string | null;
}

export class PlanActionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 300 }) title: string;
  @ApiProperty({ format: 'uuid' }) ownerOrganisationId: string;
  @ApiProperty({ maxLength: 200 }) ownerOrganisationName: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The professional the coordinator entrusted the action to, if named' })
  assigneeUserId: string | null;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ enum: [...ACTION_STATUSES, 'cancelled'], enumName: 'ActionState', description: '`cancelled` only by a plan revision (REVISE_PLAN)' })
  status: ActionState;
  @ApiProperty({
    enum: BLOCK_REASONS,
    enumName: 'BlockReason',
    nullable: true,
    description: 'Why it is blocked (null: not blocked, or blocked before reasons were asked)',
  })
  blockReason: BlockReason | null;
  @ApiProperty() planVersion: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ enum: CARRY_REASONS, nullable: true, description: 'Why a revision carried it over unfinished (overdue) into a later plan version' })
  carryReason: CarryReason | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) carriedAt: string | null;
  @ApiProperty({ enum: CANCEL_REASONS, nullable: true, description: 'Why a revision cancelled it' }) cancelReason: CancelReason | null;
  @ApiProperty({ maxItems: CAPS.actionNotes, type: () => [ActionNoteDto], description: 'The thread of notes, oldest first (append-only)' })
  notes: ActionNoteDto[];
}

/** One note of an action's thread. */
export class ActionNoteDto {
  @ApiProperty({ description: 'Its number in the thread, from 1' }) n: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorUserId: string | null;
  @ApiProperty({ maxLength: 2000, nullable: true, type: String, description: 'null when held (it names the person) and not readable by this viewer' }) text:
    string | null;
  @ApiProperty({ description: 'Held for the referrer because it names the person' }) held: boolean;
}

/** A running plan on watch or suspended (state `suspended`). */
export class PlanHoldDto {
  @ApiProperty({ enum: HOLD_MODES }) mode: HoldMode;
  @ApiProperty({ format: 'date-time', description: 'Since when the follow-up clock is stopped' }) since: string;
  @ApiProperty({ enum: HOLD_REASONS, nullable: true }) reason: HoldReason | null;
}

export class CasePlanDto {
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null while the plan is on hold (the clock is stopped)' })
  followUpAt: string | null;
  @ApiProperty({ maxItems: CAPS.planActions, type: [PlanActionDto], description: 'The actions of every plan version' }) actions: PlanActionDto[];
  @ApiPropertyOptional({ type: PlanHoldDto }) hold?: PlanHoldDto;
}

/** A report made, or a measure taken, outside the cellule (RECORD_EXTERNAL_REPORT), released with the class of its kind. */
export class ExternalReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: EXTERNAL_REPORT_KINDS }) kind: ExternalReportKind;
  @ApiProperty({ format: 'date-time' }) madeAt: string;
  @ApiProperty({ enum: REPORT_AUTHORS }) madeBy: ReportAuthor;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) madeByOrganisationId: string | null;
  @ApiProperty({ enum: LEGAL_BASES }) legalBasis: LegalBasis;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recordedByUserId: string | null;
  @ApiProperty({ maxLength: 1000, nullable: true, type: String }) note: string | null;
}

export class ConsentScopeViewDto {
  @ApiProperty({ enum: SECTORS }) sector: Sector;
  @ApiProperty({ maxItems: 3, enum: ['identity', 'health', 'social'], isArray: true }) classes: string[];
}

export class CaseConsentDto {
  @ApiProperty({ enum: ['granted', 'refused'], nullable: true, description: 'null: no consent recorded yet' }) decision: 'granted' | 'refused' | null;
  @ApiPropertyOptional({ enum: ['written', 'oral', 'representative'] }) method?: 'written' | 'oral' | 'representative';
  @ApiPropertyOptional({ format: 'date-time' }) informedAt?: string;
  @ApiPropertyOptional({ maxItems: SECTORS.length, type: [ConsentScopeViewDto] }) scope?: ConsentScopeViewDto[];
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) expiresAt?: string | null;
  @ApiPropertyOptional({ format: 'date-time' }) recordedAt?: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) withdrawnAt?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Who recorded the withdrawal' }) withdrawnByUserId?: string | null;
  @ApiPropertyOptional({ enum: ['written', 'oral', 'representative'], nullable: true, description: 'How the person said they withdraw' })
  withdrawalMethod?: 'written' | 'oral' | 'representative' | null;
  @ApiPropertyOptional({ enum: REPRESENTATIVE_MEASURES, nullable: true, description: 'Given by a representative: under which measure' })
  representativeMeasure?: string | null;
  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String, description: "Given by a representative: the representative's organisation" })
  representativeOrganisation?: string | null;
  @ApiProperty({ description: 'Granted, not withdrawn and not expired' }) valid: boolean;
}

/** What the information letter may propose and a consent may cover: src/consent/proposal.ts. */
export class ProposableScopeDto {
  @ApiProperty({ enum: SECTORS, enumName: 'Sector', isArray: true, maxItems: SECTORS.length, description: "In the policies' order; never the coordination" })
  sectors: Sector[];
  @ApiProperty({
    enum: PROTECTED_CLASSES,
    enumName: 'ProtectedClass',
    isArray: true,
    maxItems: PROTECTED_CLASSES.length,
    description: 'The classes released under consent, in order',
  })
  classes: ProtectedClass[];
}

/** GET /cases/:id, POST /cases: each class is present only when released to this viewer. */
export class CaseViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty(STATE) state: CaseState;
  @ApiProperty() version: number;
  @ApiProperty({
    maxItems: HTTP_EVENT_TYPES.length,
    ...EVENTS,
    description: "The events this viewer may send now: the machine's, intersected with the policy's",
  })
  allowedEvents: HttpEventType[];
  @ApiProperty({ maxItems: CLASSES.length, enum: CLASSES, enumName: 'DataClass', isArray: true, description: 'The classes present in this answer' })
  released: DataClass[];
  @ApiPropertyOptional({
    maxItems: CLASSES.length,
    enum: CLASSES,
    enumName: 'DataClass',
    isArray: true,
    description: 'Classes whose content was erased (crypto-shredding)',
  })
  erased?: DataClass[];
  @ApiProperty({ maxItems: RELATIONS.length, enum: RELATIONS, enumName: 'Relation', isArray: true, description: "The viewer's relations to the situation" })
  relations: Relation[];
  @ApiProperty({ description: 'Whether this viewer may read who accessed the situation (GET /cases/{id}/access-report)' }) mayReadAccesses: boolean;
  @ApiProperty({
    description: 'Whether this viewer gives the person their documents (GET /cases/{id}/consent/letter, POST /cases/{id}/consent/receipt)',
  })
  mayInformPerson: boolean;
  @ApiPropertyOptional({
    type: ProposableScopeDto,
    description:
      'For a viewer who prints the information letter or records the consent: the sectors and classes a proposal or a consent may name (the policies), the boxes to offer',
  })
  proposable?: ProposableScopeDto;
  @ApiProperty({ maxItems: 2, type: [CaseNoticeDto] }) notices: CaseNoticeDto[];
  @ApiProperty({ type: WithheldDto, description: 'For each class not in this answer, why (a code, never a value)' }) withheld: WithheldDto;
  @ApiPropertyOptional({ type: CaseMetaDto }) meta?: CaseMetaDto;
  @ApiPropertyOptional({ type: CaseSummaryViewDto }) summary?: CaseSummaryViewDto;
  @ApiPropertyOptional({ type: CaseIdentityViewDto }) identity?: CaseIdentityViewDto;
  @ApiPropertyOptional({ type: CaseSocialViewDto }) social?: CaseSocialViewDto;
  @ApiPropertyOptional({ type: CaseHealthViewDto }) health?: CaseHealthViewDto;
  @ApiPropertyOptional({ type: CasePlanDto }) plan?: CasePlanDto;
  @ApiPropertyOptional({ type: CaseConsentDto }) consent?: CaseConsentDto;
  @ApiPropertyOptional({
    maxItems: CAPS.externalReports,
    type: [ExternalReportDto],
    description: 'Reports made elsewhere, of the kinds whose class (policies/events.yaml externalReports) is released to this viewer',
  })
  externalReports?: ExternalReportDto[];
  @ApiPropertyOptional({
    maxItems: MAX_TEXT_REVIEWS,
    type: [TextReviewDto],
    description:
      'For whoever receives the whole identity (the referrer): texts written by someone who may not see it that name the person, held until rewritten ' +
      `(the oldest ${MAX_TEXT_REVIEWS}; each rewritten brings the next)`,
  })
  textReviews?: TextReviewDto[];
  @ApiPropertyOptional({
    maxItems: CAPS.rectifications,
    type: [RectificationDto],
    description: 'The rectifications of the referral, each with the previous values of the classes (and fields) this viewer receives',
  })
  rectifications?: RectificationDto[];
}

/** POST /cases/:id/events */
export class CaseEventResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(STATE) state: CaseState;
  @ApiProperty() version: number;
  @ApiProperty({ ...EVENTS, maxItems: HTTP_EVENT_TYPES.length }) allowedEvents: HttpEventType[];
}

/** GET /cases/:id/history: who did what when, by organisation; never identifying data. */
export class CaseHistoryEntryDto {
  @ApiProperty({ maxLength: 40, example: 'SUBMIT', description: 'An event type, or CREATE' }) event: string;
  @ApiProperty({ ...STATE, nullable: true }) from: CaseState | null;
  @ApiProperty(STATE) to: CaseState;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorOrganisationId: string | null;
  @ApiProperty({ maxLength: 200, nullable: true, type: String }) actorOrganisationName: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** GET /cases/:id/duplicates: references of confirmed duplicates, never a name. */
export class DuplicateDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty(STATE) state: CaseState;
}

export class DuplicatesDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty({
    maxItems: MAX_DUPLICATE_CANDIDATES,
    type: [DuplicateDto],
    description: `Confirmed among the first ${MAX_DUPLICATE_CANDIDATES} situations of the territory sharing the identity's index (oldest first)`,
  })
  duplicates: DuplicateDto[];
}

/** A referrer of the referring organisation who may take a situation over (HAND_OVER). */
export class HandoverCandidateDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ maxLength: 200, description: 'The professional’s name as the directory holds it' }) displayName!: string;
}
