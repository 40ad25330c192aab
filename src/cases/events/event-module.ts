/**
 * What one case event is, in one file under src/cases/events/: its payload (validated input,
 * published in OpenAPI), how the machine event is built from it with the facts its guards need,
 * and the records it writes beside the case once the machine accepted it (consent, agenda, plan
 * actions, sealed texts). The machine (src/cases/machine/) decides whether it is allowed; the
 * policy (policies/events.yaml) who may send it; the workflow runs it in one transaction.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, Matches, Max, Min, type ValidationOptions } from 'class-validator';
import type { EntityManager } from 'typeorm';
import type { Policy, Relation, Role } from '../../access/policy.types.js';
import type { AuditService } from '../../audit/audit.service.js';
import type { VaultService } from '../../vault/vault.service.js';
import type { CaseRecord } from '../case.repository.js';
import type { CaseTexts } from '../case-text.js';
import type { Proposable } from '../../consent/proposal.js';
import type { SessionStatus } from '../machine/context.js';

/** Every payload: the event's type (the discriminator) and the version of the case read. */
export abstract class EventPayload {
  abstract type: string;

  @ApiProperty({ description: 'The version read; the event is refused with 409 if the case changed since' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  expectedVersion!: number;
}

/** The `type` member of a payload class: one allowed value, documented as such. */
export function EventType(type: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ enum: [type] }), IsIn([type]));
}

/** A member the event needs; missing, the answer names it: "reason: is required for REJECT". */
export function Required(type: string): PropertyDecorator {
  return IsDefined({ message: `$property is required for ${type}` });
}

/** A text that must say something: blank or whitespace-only is refused. */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return Matches(/\S/, { message: '$property must not be blank', ...options });
}

/** Time rules of the lifecycle, from policies/lifecycle.yaml. */
export interface LifecycleRules {
  consentValidityMonths: number;
  followUpMonths: number;
  reopenWindowDays: number;
}

/** What a module may read to build its machine event (inside the transaction, the case row locked). */
export interface EventBuildContext {
  manager: EntityManager;
  record: CaseRecord;
  /** The clock's time of this transition: the machine event's `at`. */
  at: Date;
  rules: LifecycleRules;
  /** events.yaml: the class each kind of external report is sealed in, and its legal bases. */
  externalReports: Policy['externalReports'];
  /** One of these roles can hold the relation (policies/access.yaml): who may be named on an action. */
  mayHold(roles: readonly Role[], relation: Relation): boolean;
  /** What a consent's scope may name: the sectors and classes the policies release under consent (src/consent/proposal.ts). */
  proposable: Proposable;
}

/** What a module's records may use besides: who acts, the vault, the leak guard. */
export interface EventRecordContext extends EventBuildContext {
  /** The acting user; null for the scheduler or an operator command. */
  actorId: string | null;
  /** The acting user's organisation (null for the scheduler). */
  actorOrganisationId: string | null;
  vault: VaultService;
  /** For an entry beside the transition's own (which fields a rectification changed: issue 12). */
  audit: AuditService;
  /**
   * The pseudonymised texts the event writes, checked against generic identifiers and against the
   * identity fields the actor may see (422 naming the field, never the text), and held when they
   * name the person beyond that (src/cases/case-text.ts): never an oracle of the identity.
   */
  texts: CaseTexts;
}

/** What the workflow knows of a case when it lists the events allowed now (probes). */
export interface ProbeFacts {
  at: string;
  sessionOpen: boolean;
  sessionStatus: SessionStatus | null;
  reopenWindowDays: number;
}

/** The machine event of every module: its type and the instant it happens. */
export interface MachineEventBase {
  type: string;
  at: string;
}

export interface CaseEventModule<E extends MachineEventBase, P extends EventPayload | null> {
  readonly type: E['type'];
  /** The payload class sent over HTTP; null for an event only the scheduler sends (PURGE). */
  readonly payload: P extends EventPayload ? new () => P : null;
  /** Protected classes the event's records touch, named in its audit entry (PURGE: what it erases). */
  readonly auditClasses?: readonly string[];
  /** One well-formed representative event, for the list of events allowed now. */
  probe(facts: ProbeFacts): E;
  /** The machine event for a payload (null for system-only events), with the facts its guards need. */
  build(payload: P, ctx: EventBuildContext): E | Promise<E>;
  /** The rows the accepted event writes beside the case row, in the same transaction. */
  records?(payload: P, event: E, ctx: EventRecordContext): Promise<void>;
}

/** Declares an event module, keeping its exact machine event and payload types. */
export function defineEvent<E extends MachineEventBase, P extends EventPayload | null>(module: CaseEventModule<E, P>): CaseEventModule<E, P> {
  return module;
}

export function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}
