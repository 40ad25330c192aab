import { Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../access/policy.types.js';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { sessionStatus } from '../commissions/agenda.repository.js';
import { asSystem } from '../database/territory-scope.js';
import { Metrics, transitionOutcome } from '../metrics/metrics.js';
import { Notifier } from '../notifications/notifier.js';
import { VaultService } from '../vault/vault.service.js';
import { factsOf, loadCase, writeTransition, type CaseRecord } from './case.repository.js';
import { identityFieldsSeenBy, type Decision } from '../access/access.js';
import { IDENTITY_FIELDS } from '../access/policy.types.js';
import { CaseTexts } from './case-text.js';
import { proposableScope } from '../consent/proposal.js';
import type { EventBuildContext, EventPayload, EventRecordContext, LifecycleRules } from './events/event-module.js';
import { eventModule, HTTP_EVENT_TYPES, probeEvents, type CaseEventPayload, type CaseEventType } from './events/registry.js';
import { allowedEventTypes, decide, type RestoredCase } from './machine/decide.js';
import { columnsOf } from './projection.js';

export interface TransitionResult {
  id: string;
  state: string;
  version: number;
  allowedEvents: string[];
}

/** Test seam: lets a test stop a transition before it commits (to kill its connection). */
export abstract class TransitionHooks {
  abstract beforeCommit(caseId: string, manager: EntityManager): Promise<void>;
}

/** Events the scheduler (or an operator command) sends as `system`. */
/** Events the system sends: the scheduler's, the operator's erasure, and a person's objection applied for her rights request (issue 15). */
export type SystemEventType = 'FOLLOW_UP_DUE' | 'PURGE' | 'WITHDRAW_CONSENT';

export interface SystemSendOptions {
  requestId?: string;
  /** Why, for the audit entry (default: the relation, `system`). */
  purpose?: string;
  /**
   * Checked under the case's row lock before anything else: the scheduler chose the case before
   * this transaction, so a case that moved meanwhile is left (refused with 409).
   */
  stillDue?: (manager: EntityManager) => Promise<boolean>;
}

/** Stands for the scheduler where a viewer is needed to read a case: it matches no user. */
const SYSTEM_VIEWER = { userId: '00000000-0000-0000-0000-000000000000', organisationId: null };

const HTTP_TYPES: ReadonlySet<string> = new Set(HTTP_EVENT_TYPES);

/**
 * Runs one event on one case, in one transaction: lock the row, check the version, ask the policy
 * whether this caller may send the event, build the machine event (the event's module), ask the
 * machine whether the state allows it, write the event's records, then the snapshot, its
 * projected columns, the history row and the audit entry in one statement.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly vault: VaultService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifier: Notifier,
    @Optional() private readonly hooks?: TransitionHooks,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  private get rules(): LifecycleRules {
    return {
      consentValidityMonths: this.access.consentValidityMonths,
      followUpMonths: this.access.followUpMonths,
      reopenWindowDays: this.access.reopenWindowDays,
    };
  }

  /**
   * Event types this viewer could send now: the machine's allowed events ∩ the policy's, HTTP ones
   * only. `restored`: the record's snapshot as `decide()` already restored it (after a transition).
   */
  allowedEvents(record: CaseRecord, relations: readonly Actor[], at = this.clock.now(), restored?: RestoredCase): string[] {
    const probes = probeEvents({
      at: at.toISOString(),
      sessionOpen: record.sessionStatus === 'open',
      sessionStatus: record.sessionStatus,
      reopenWindowDays: this.access.reopenWindowDays,
    });
    return allowedEventTypes(restored ?? record.snapshot, probes).filter((type) => HTTP_TYPES.has(type) && this.access.mayDoEvent(relations, type));
  }

  async send(viewer: RequestViewer, caseId: string, payload: CaseEventPayload, requestId?: string): Promise<TransitionResult> {
    return this.counted(payload.type, () => this.transition(viewer, caseId, payload.type, payload, { requestId }));
  }

  /**
   * PATCH /cases/:id (API.md): a draft is edited (EDIT_DRAFT), a submitted situation rectified
   * (RECTIFY). The payload's `expectedVersion` guards the choice: a transition in between is a 409.
   * A case this viewer cannot read gets RECTIFY, whose transition refuses it as any event is refused.
   */
  async referralChangeType(viewer: RequestViewer, caseId: string): Promise<'EDIT_DRAFT' | 'RECTIFY'> {
    const record = await loadCase(this.dataSource.manager, caseId, viewer, this.clock.now());
    return record?.state === 'draft' ? 'EDIT_DRAFT' : 'RECTIFY';
  }

  /**
   * An event of the scheduler (FOLLOW_UP_DUE when the follow-up date is reached, PURGE at the end
   * of retention) or of an operator command (PURGE on an erasure request): the policy must grant
   * it to `system`, and it applies to the version it reads.
   */
  async sendAsSystem(caseId: string, type: SystemEventType, options: SystemSendOptions = {}): Promise<TransitionResult> {
    // The system's door across territories (row-level security): explicit, and every transition it makes is audited as the system's.
    return asSystem(`system:${type}`, () => this.counted(type, () => this.transition(null, caseId, type, null, options)));
  }

  /** The transition, counted by outcome in the metrics. */
  private async counted(type: string, run: () => Promise<TransitionResult>): Promise<TransitionResult> {
    try {
      const result = await run();
      this.metrics?.transition(type, 'applied');
      return result;
    } catch (error) {
      this.metrics?.transition(type, transitionOutcome(error));
      throw error;
    }
  }

  private async transition(
    viewer: RequestViewer | null,
    caseId: string,
    type: CaseEventType,
    payload: EventPayload | null,
    options: SystemSendOptions,
  ): Promise<TransitionResult> {
    type Outcome = { result: TransitionResult } | { record: CaseRecord; relations: Actor[]; reason: 'no_relation' | 'policy' };
    const { requestId } = options;
    const module = eventModule(type);
    if (!module) throw AppError.validation('type', 'is not an event of the case lifecycle');
    const actor = { userId: viewer?.userId ?? null, organisationId: viewer?.organisationId ?? null };
    const outcome = await this.runTransaction(viewer, caseId, type, requestId, async (manager): Promise<Outcome> => {
      const at = this.clock.now();
      const record = await loadCase(manager, caseId, viewer ?? SYSTEM_VIEWER, at, true);
      if (!record) throw AppError.notFound('Case');
      if (options.stillDue && !(await options.stillDue(manager))) throw new AppError('event_not_allowed', `${type} is no longer due for this case`);
      // The relations that count in the case's current state (as for reads): a former action
      // owner of a closed case gets 404 here too, not a 403 that confirms the case.
      const release = viewer ? this.access.release(viewer, factsOf(record), at) : undefined;
      const relations: Actor[] = release ? release.relations : ['system'];
      if (!relations.length) return { record, relations, reason: 'no_relation' };
      if (!this.access.mayDoEvent(relations, type)) return { record, relations, reason: 'policy' };
      const expectedVersion = payload?.expectedVersion ?? record.version;
      if (record.version !== expectedVersion) {
        throw new AppError('stale_version', `The case is at version ${record.version}, not ${expectedVersion}: read it again`, {
          currentVersion: record.version,
          allowedEvents: this.allowedEvents(record, relations, at),
        });
      }
      const buildContext: EventBuildContext = {
        manager,
        record,
        at,
        rules: this.rules,
        externalReports: this.access.policy.externalReports,
        mayHold: (roles, relation) => this.access.rolesHold(roles, relation),
        proposable: proposableScope(this.access.policy),
      };
      const event = await module.build(payload, buildContext);
      const decision = decide(record.snapshot, event);
      if (!decision.ok) {
        const allowedEvents = this.allowedEvents(record, relations, at);
        if (decision.reason === 'not_allowed') {
          throw new AppError('event_not_allowed', `${type} is not allowed in state ${record.state}`, { state: record.state, allowedEvents });
        }
        if (decision.field) {
          throw new AppError('unprocessable', `${decision.field}: ${decision.message}`, {
            errors: [{ field: decision.field, message: decision.message }],
            state: record.state,
            allowedEvents,
          });
        }
        throw new AppError('event_not_allowed', `${type} is refused in state ${record.state}: ${decision.message}`, {
          state: record.state,
          guard: decision.guard,
          allowedEvents,
        });
      }
      if (module.records) await module.records(payload, event, this.recordContext(buildContext, viewer, release));
      const version = expectedVersion + 1;
      const columns = columnsOf(decision.snapshot);
      const written = await writeTransition(manager, {
        caseId: record.id,
        expectedVersion,
        event: type,
        from: record.state,
        snapshot: decision.snapshot,
        columns,
        at,
        actorUserId: actor.userId,
        actorOrganisationId: actor.organisationId,
        audit: this.audit.rowOf({
          actorId: actor.userId,
          organisationId: actor.organisationId,
          territoryId: record.territoryId,
          action: `case.event.${type}`,
          caseId: record.id,
          classes: [...(module.auditClasses ?? [])],
          decision: 'allow',
          purpose: options.purpose ?? relations.join(','),
          requestId,
          detail: { from: record.state, to: decision.state, version },
        }),
      });
      // The row is locked, so this cannot miss; checked anyway because an UPDATE that matched
      // nothing raises no error.
      if (written !== version) throw new AppError('stale_version', 'The case changed during the transition: read it again');
      // Who is told (src/notifications/notifier.ts), in this transaction: a rolled-back event tells nobody.
      await this.notifier.afterTransition(manager, {
        caseId: record.id,
        territoryId: record.territoryId,
        event: type,
        version,
        from: record.state,
        to: decision.state,
        sessionBefore: record.sessionId,
        sessionAfter: columns.session_id,
        followUpAt: record.followUpAt,
        at,
        actorId: actor.userId,
      });
      await this.hooks?.beforeCommit(record.id, manager);
      const after: CaseRecord = { ...record, state: decision.state, snapshot: decision.snapshot, version, sessionId: columns.session_id };
      if (after.sessionId !== record.sessionId) {
        after.sessionStatus = after.sessionId ? await sessionStatus(manager, after.sessionId) : null;
      }
      return { result: { id: record.id, state: decision.state, version, allowedEvents: this.allowedEvents(after, relations, at, decision.restored) } };
    });
    if ('result' in outcome) return outcome.result;
    const denial = outcome;
    await this.audit.record({
      actorId: actor.userId,
      organisationId: actor.organisationId,
      territoryId: denial.record.territoryId,
      action: `case.event.${type}`,
      caseId: denial.record.id,
      decision: 'deny',
      purpose: denial.reason === 'no_relation' ? 'no_relation' : `policy: ${type} not permitted to ${denial.relations.join(',')}`,
      requestId,
    });
    if (denial.reason === 'no_relation') throw AppError.notFound('Case');
    throw AppError.forbidden(`Your relation to this case (${denial.relations.join(', ')}) does not permit ${type}`);
  }

  /**
   * What the event's records may use: texts are checked against the identity fields the actor
   * may see (all of them for the scheduler), never against the others (no oracle; case-text.ts).
   */
  private recordContext(build: EventBuildContext, viewer: RequestViewer | null, release: Decision | undefined): EventRecordContext {
    const writer = {
      userId: viewer?.userId ?? null,
      organisationId: viewer?.organisationId ?? null,
      seen: release ? identityFieldsSeenBy(release) : IDENTITY_FIELDS,
    };
    return {
      ...build,
      actorId: writer.userId,
      actorOrganisationId: writer.organisationId,
      vault: this.vault,
      audit: this.audit,
      texts: new CaseTexts({ vault: this.vault, audit: this.audit, manager: build.manager }, build.record, writer, build.at),
    };
  }

  /**
   * The transaction, with every refusal it raises (unknown case, stale version, event not allowed,
   * identifying text…) written to the audit log on its own, after the rollback.
   */
  private async runTransaction<T>(
    viewer: RequestViewer | null,
    caseId: string,
    type: CaseEventType,
    requestId: string | undefined,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      let manager: EntityManager | undefined;
      const result = await this.dataSource.transaction((m) => work((manager = m)));
      // Committed: an event that crypto-shredded (PURGE, DELETE_DRAFT…) goes to the erasure journal.
      if (manager) this.vault.erasuresCommitted(manager);
      return result;
    } catch (error) {
      if (error instanceof AppError && viewer) {
        const known = error.code !== 'not_found';
        await this.audit.record({
          actorId: viewer.userId,
          organisationId: viewer.organisationId,
          territoryId: viewer.territoryId,
          action: `case.event.${type}`,
          caseId: known ? caseId : null,
          classes: error.code === 'identifying_text' ? ['identity'] : [],
          decision: 'deny',
          purpose: error.code,
          requestId,
          detail: known ? { status: error.status } : { unknownCase: caseId },
        });
      }
      throw error;
    }
  }
}
