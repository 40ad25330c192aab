import { Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../access/policy.types.js';
import { PolicyService } from '../access/policy.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import type { IdentityHints } from '../vault/leak-guard.js';
import { VaultService } from '../vault/vault.service.js';
import { allowedEventTypes, decide, type CaseEvent } from './case.machine.js';
import { factsOf, loadCase, writeTransition, type CaseColumnChanges, type CaseRecord } from './case.repository.js';
import { assertPseudonymised, identityForLeakCheck } from './case-text.js';
import { EVENT_FIELDS, HTTP_EVENT_TYPES, type CaseEventDto, type HttpEventType } from './dto/case-event.dto.js';

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

/** Outcomes of a closure kept in clear for statistics; any other text is sealed and counted as `other`. */
export const OUTCOME_CATEGORIES = ['resolved', 'improved', 'oriented', 'advice_given', 'no_change', 'person_declined', 'lost_contact', 'other'] as const;

/** Stands for the scheduler where a viewer is needed to read a case: it matches no user. */
const SYSTEM_VIEWER = { userId: '00000000-0000-0000-0000-000000000000', organisationId: null };

function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * Runs one event on one case, in one transaction: lock the row, check the version, ask the policy
 * whether this caller may send the event, ask the machine whether the state allows it, apply the
 * event's records (consent, agenda, plan…), write snapshot + history + audit, bump the version.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: PolicyService,
    private readonly vault: VaultService,
    private readonly audit: AuditService,
    @Optional() private readonly hooks?: TransitionHooks,
  ) {}

  /** Event types this viewer could send now: the machine's allowed events ∩ the policy's. */
  allowedEvents(record: CaseRecord, relations: readonly Actor[], at = new Date()): string[] {
    const byMachine = allowedEventTypes(record.snapshot, {
      at: at.toISOString(),
      sessionOpen: record.sessionStatus === 'open',
      sessionStatus: record.sessionStatus ?? undefined,
      reopenWindowDays: this.policy.reopenWindowDays,
    });
    return byMachine.filter((type) => (HTTP_EVENT_TYPES as readonly string[]).includes(type) && this.policy.mayDoEvent(relations, type));
  }

  async send(viewer: RequestViewer, caseId: string, dto: CaseEventDto, requestId?: string): Promise<TransitionResult> {
    this.checkMembers(dto);
    return this.transition(viewer, caseId, dto, requestId);
  }

  /**
   * An event of the scheduler (FOLLOW_UP_DUE when the follow-up date is reached, PURGE at the end
   * of retention): the policy must grant it to `system`, and it applies to the version it reads.
   */
  async sendAsSystem(
    caseId: string,
    type: 'FOLLOW_UP_DUE' | 'PURGE',
    requestId?: string,
    stillDue?: (manager: EntityManager) => Promise<boolean>,
  ): Promise<TransitionResult> {
    return this.transition(null, caseId, { type, expectedVersion: 0 } as unknown as CaseEventDto, requestId, stillDue);
  }

  private async transition(
    viewer: RequestViewer | null,
    caseId: string,
    dto: CaseEventDto,
    requestId?: string,
    stillDue?: (manager: EntityManager) => Promise<boolean>,
  ): Promise<TransitionResult> {
    type Outcome = { result: TransitionResult } | { record: CaseRecord; relations: Actor[]; reason: 'no_relation' | 'policy' };
    const actor = { userId: viewer?.userId ?? null, organisationId: viewer?.organisationId ?? null };
    const outcome = await this.runTransaction(viewer, caseId, dto, requestId, async (manager): Promise<Outcome> => {
      const record = await loadCase(manager, caseId, viewer ?? SYSTEM_VIEWER, true);
      if (!record) throw AppError.notFound('Case');
      // The scheduler chose the case before this transaction: with the row now locked, its reason
      // (end of retention, follow-up date) is checked again, so a case that moved meanwhile is left.
      if (stillDue && !(await stillDue(manager))) throw new AppError('event_not_allowed', `${dto.type} is no longer due for this case`);
      // The relations that count in the case's current state (as for reads): a former action
      // owner of a closed case gets 404 here too, not a 403 that confirms the case.
      const release = viewer ? this.policy.release(viewer, factsOf(record)) : undefined;
      const relations: Actor[] = release ? release.relations : ['system'];
      if (!relations.length) return { record, relations, reason: 'no_relation' as const };
      if (!this.policy.mayDoEvent(relations, dto.type)) return { record, relations, reason: 'policy' as const };
      if (!viewer) dto.expectedVersion = record.version;
      if (record.version !== dto.expectedVersion) {
        throw new AppError('stale_version', `The case is at version ${record.version}, not ${dto.expectedVersion}: read it again`, {
          currentVersion: record.version,
          allowedEvents: this.allowedEvents(record, relations),
        });
      }
      const now = new Date();
      const event = await this.buildEvent(manager, record, dto, now);
      const decision = decide(record.snapshot, event);
      if (!decision.ok) {
        const allowedEvents = this.allowedEvents(record, relations, now);
        if (decision.reason === 'not_allowed') {
          throw new AppError('event_not_allowed', `${dto.type} is not allowed in state ${record.state}`, { state: record.state, allowedEvents });
        }
        if (decision.field) {
          throw new AppError('unprocessable', `${decision.field}: ${decision.message}`, {
            errors: [{ field: decision.field, message: decision.message }],
            state: record.state,
            allowedEvents,
          });
        }
        throw new AppError('event_not_allowed', `${dto.type} is refused in state ${record.state}: ${decision.message}`, {
          state: record.state,
          guard: decision.guard,
          allowedEvents,
        });
      }
      // Whether refusals of identifying text may say what they found (see assertPseudonymised).
      const disclose = !viewer || Boolean(release?.release.identity);
      const changes = await this.applyRecords(manager, viewer, record, dto, event, now, disclose);
      const version = dto.expectedVersion + 1;
      const written = await writeTransition(manager, {
        caseId: record.id,
        expectedVersion: dto.expectedVersion,
        event: dto.type,
        from: record.state,
        to: decision.state,
        snapshot: decision.snapshot,
        at: now,
        actorUserId: actor.userId,
        actorOrganisationId: actor.organisationId,
        changes,
        audit: this.audit.rowOf({
          actorId: actor.userId,
          organisationId: actor.organisationId,
          territoryId: record.territoryId,
          action: `case.event.${dto.type}`,
          caseId: record.id,
          decision: 'allow',
          purpose: relations.join(','),
          requestId,
          detail: { from: record.state, to: decision.state, version },
        }),
      });
      // The row is locked, so this cannot miss; checked anyway because an UPDATE that matched
      // nothing raises no error.
      if (written !== version) throw new AppError('stale_version', 'The case changed during the transition: read it again');
      await this.hooks?.beforeCommit(record.id, manager);
      const after: CaseRecord = { ...record, state: decision.state, snapshot: decision.snapshot, version, sessionId: decision.context.sessionId };
      if (after.sessionId !== record.sessionId) {
        after.sessionStatus = after.sessionId
          ? ((await manager.query(`SELECT status FROM sessions WHERE id = $1`, [after.sessionId]))[0]?.status ?? null)
          : null;
      }
      return { result: { id: record.id, state: decision.state, version, allowedEvents: this.allowedEvents(after, relations, now) } };
    });
    if ('result' in outcome) return outcome.result;
    const denial = outcome;
    await this.audit.record({
      actorId: actor.userId,
      organisationId: actor.organisationId,
      territoryId: denial.record.territoryId,
      action: `case.event.${dto.type}`,
      caseId: denial.record.id,
      decision: 'deny',
      purpose: denial.reason === 'no_relation' ? 'no_relation' : `policy: ${dto.type} not permitted to ${denial.relations.join(',')}`,
      requestId,
    });
    if (denial.reason === 'no_relation') throw AppError.notFound('Case');
    throw AppError.forbidden(`Your relation to this case (${denial.relations.join(', ')}) does not permit ${dto.type}`);
  }

  /**
   * The transaction, with every refusal it raises (unknown case, stale version, event not allowed,
   * identifying text…) written to the audit log on its own, after the rollback.
   */
  private async runTransaction<T>(
    viewer: RequestViewer | null,
    caseId: string,
    dto: CaseEventDto,
    requestId: string | undefined,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (error instanceof AppError && viewer) {
        const known = error.code !== 'not_found';
        await this.audit.record({
          actorId: viewer.userId,
          organisationId: viewer.organisationId,
          territoryId: viewer.territoryId,
          action: `case.event.${dto.type}`,
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

  /** Each event takes its own members; a member of another event is refused, naming it. */
  private checkMembers(dto: CaseEventDto): void {
    const spec = EVENT_FIELDS[dto.type];
    const present = Object.keys(dto).filter((k) => k !== 'type' && k !== 'expectedVersion' && (dto as unknown as Record<string, unknown>)[k] !== undefined);
    const unexpected = present.find((k) => !spec.required.includes(k as never) && !spec.optional.includes(k as never));
    if (unexpected) throw AppError.validation(unexpected, `is not a member of ${dto.type}`);
    const missing = spec.required.find((k) => dto[k] === undefined);
    if (missing) throw AppError.validation(missing, `is required for ${dto.type}`);
  }

  /** The machine event, with the facts its guards need read from the database. */
  private async buildEvent(manager: EntityManager, record: CaseRecord, dto: CaseEventDto, now: Date): Promise<CaseEvent> {
    const at = now.toISOString();
    const type = dto.type as HttpEventType | 'PURGE';
    if (type === 'PURGE') return { type, at };
    switch (dto.type) {
      case 'RECORD_CONSENT': {
        const informedAt = new Date(dto.informedAt!);
        if (informedAt.getTime() > now.getTime() + 5 * 60_000) throw AppError.validation('informedAt', 'cannot be in the future');
        const expiresAt =
          dto.decision === 'granted' ? (dto.expiresAt ? new Date(dto.expiresAt) : addMonths(informedAt, this.policy.consentValidityMonths)) : null;
        if (expiresAt && expiresAt.getTime() <= now.getTime()) throw AppError.validation('expiresAt', 'must be in the future');
        if (dto.decision === 'refused' && dto.scope?.length) throw AppError.validation('scope', 'a refused consent has no scope');
        return { type: 'RECORD_CONSENT', at, decision: dto.decision!, expiresAt: expiresAt?.toISOString() ?? null };
      }
      case 'REVIEW_WITHOUT_CONSENT':
        return { type: 'REVIEW_WITHOUT_CONSENT', at, justification: dto.justification! };
      case 'SCHEDULE': {
        const rows = await manager.query(
          `SELECT id, status, commission_id AS "commissionId", territory_id AS "territoryId" FROM sessions WHERE id = $1 FOR SHARE`,
          [dto.sessionId],
        );
        const session = rows[0];
        if (!session || session.territoryId !== record.territoryId) throw AppError.validation('sessionId', 'no such session in this territory');
        return { type: 'SCHEDULE', at, session: { id: session.id, status: session.status, sameCommission: session.commissionId === record.commissionId } };
      }
      case 'START_REVIEW':
        return { type: 'START_REVIEW', at, sessionOpen: record.sessionStatus === 'open' };
      case 'ADOPT_PLAN': {
        const actions = dto.actions ?? [];
        const owners = [...new Set(actions.map((a) => a.ownerOrganisationId))];
        if (owners.length) {
          const known: { id: string }[] = await manager.query(`SELECT id FROM organisations WHERE id = ANY($1::uuid[]) AND territory_id = $2`, [
            owners,
            record.territoryId,
          ]);
          const missing = actions.findIndex((a) => !known.some((k) => k.id === a.ownerOrganisationId));
          if (missing >= 0) throw AppError.validation(`actions.${missing}.ownerOrganisationId`, 'no such organisation in this territory');
        }
        const followUpAt = dto.followUpAt ? new Date(dto.followUpAt) : addMonths(now, this.policy.followUpMonths);
        if (followUpAt.getTime() <= now.getTime()) throw AppError.validation('followUpAt', 'must be in the future');
        return {
          type: 'ADOPT_PLAN',
          at,
          actions: actions.map((a) => ({ title: a.title, ownerOrganisationId: a.ownerOrganisationId, dueAt: a.dueAt })),
          followUpAt: followUpAt.toISOString(),
        };
      }
      case 'CONTINUE': {
        const followUpAt = dto.followUpAt ? new Date(dto.followUpAt) : addMonths(now, this.policy.followUpMonths);
        if (followUpAt.getTime() <= now.getTime()) throw AppError.validation('followUpAt', 'must be in the future');
        return { type: 'CONTINUE', at, followUpAt: followUpAt.toISOString() };
      }
      case 'CLOSE': {
        // The machine, the snapshot and the clear column get a category only; a free-text outcome
        // ("soins repris…") may be health or social content and is sealed (applyRecords).
        const text = dto.outcome!.trim();
        return { type: 'CLOSE', at, outcome: text === '' ? '' : (OUTCOME_CATEGORIES as readonly string[]).includes(text) ? text : 'other' };
      }
      case 'REOPEN':
        return { type: 'REOPEN', at, windowDays: this.policy.reopenWindowDays };
      case 'SUBMIT':
      case 'ACCEPT':
      case 'REJECT':
      case 'UNSCHEDULE':
      case 'DEFER':
      case 'FOLLOW_UP_DUE':
      case 'WITHDRAW_CONSENT':
        return { type: dto.type, at };
    }
  }

  private identityHints(manager: EntityManager, record: CaseRecord, viewer: RequestViewer | null): Promise<IdentityHints> {
    return identityForLeakCheck(this.vault, this.audit, manager, record, viewer?.userId ?? null);
  }

  /** Takes the case off every agenda of a session not closed yet (a closed session's agenda is its record). */
  private async leaveOpenAgendas(manager: EntityManager, caseId: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE agenda_items ai SET removed_at = $2 FROM sessions s WHERE s.id = ai.session_id AND ai.case_id = $1 AND ai.removed_at IS NULL AND s.status <> 'closed'`,
      [caseId, now],
    );
  }

  /**
   * The records an accepted event writes besides the snapshot (consent, agenda, plan, sealed
   * texts), and the case columns it changes, written with the snapshot by writeTransition.
   */
  private async applyRecords(
    manager: EntityManager,
    viewer: RequestViewer | null,
    record: CaseRecord,
    dto: CaseEventDto,
    event: CaseEvent,
    now: Date,
    disclose: boolean,
  ): Promise<CaseColumnChanges> {
    const ctx = { territoryId: record.territoryId, caseId: record.id };
    const actorId = viewer?.userId ?? null;
    switch (event.type) {
      case 'REJECT': {
        assertPseudonymised({ reason: dto.reason, suggestedOrientation: dto.suggestedOrientation }, await this.identityHints(manager, record, viewer), {
          disclose,
        });
        await this.vault.sealFields(manager, ctx, 'summary', { rejectReason: dto.reason, suggestedOrientation: dto.suggestedOrientation ?? null });
        return { closed_at: now };
      }
      case 'RECORD_CONSENT': {
        await manager.query(
          `INSERT INTO consents (case_id, decision, method, informed_at, informed_by_user_id, scope, expires_at, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            record.id,
            event.decision,
            dto.method,
            dto.informedAt,
            actorId,
            JSON.stringify(event.decision === 'granted' ? (dto.scope ?? []) : []),
            event.expiresAt,
            now,
          ],
        );
        // The evidence is stored encrypted and read by the referrer only: it may name the person.
        if (dto.evidence) await this.vault.sealFields(manager, ctx, 'consent', { evidence: dto.evidence });
        return event.decision === 'granted' ? { anonymous_review: false } : {};
      }
      case 'REVIEW_WITHOUT_CONSENT': {
        assertPseudonymised({ justification: event.justification }, await this.identityHints(manager, record, viewer), { disclose });
        await this.vault.sealFields(manager, ctx, 'consent', { anonymousJustification: event.justification });
        return { anonymous_review: true };
      }
      case 'SCHEDULE': {
        await manager.query(
          `INSERT INTO agenda_items (session_id, case_id, position, scheduled_at)
           VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE session_id = $1), $3)
           ON CONFLICT (session_id, case_id) DO UPDATE SET removed_at = NULL, scheduled_at = EXCLUDED.scheduled_at`,
          [event.session.id, record.id, now],
        );
        return { session_id: event.session.id };
      }
      case 'UNSCHEDULE': {
        await manager.query(`UPDATE agenda_items SET removed_at = $3 WHERE session_id = $2 AND case_id = $1`, [record.id, record.sessionId, now]);
        return { session_id: null };
      }
      case 'ADOPT_PLAN': {
        const hints = await this.identityHints(manager, record, viewer);
        assertPseudonymised(Object.fromEntries(event.actions.map((a, i) => [`actions.${i}.title`, a.title])), hints, { disclose });
        const planVersion = (await manager.query(`SELECT coalesce(max(plan_version), 0) + 1 AS v FROM actions WHERE case_id = $1`, [record.id]))[0].v;
        for (const action of event.actions) {
          await manager.query(
            `INSERT INTO actions (case_id, territory_id, title, owner_organisation_id, due_at, plan_version, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [record.id, record.territoryId, action.title.trim(), action.ownerOrganisationId, action.dueAt, planVersion, actorId],
          );
        }
        return { session_id: null, follow_up_at: event.followUpAt };
      }
      case 'DEFER':
        // Deferred to a later session: off this session's agenda, as UNSCHEDULE does, so that its
        // attendees stop reaching the case once it is scheduled elsewhere.
        await manager.query(`UPDATE agenda_items SET removed_at = $3 WHERE session_id = $2 AND case_id = $1`, [record.id, record.sessionId, now]);
        return { session_id: null };
      case 'CONTINUE':
        return { follow_up_at: event.followUpAt };
      case 'CLOSE': {
        const text = dto.outcome!.trim();
        assertPseudonymised({ outcome: text }, await this.identityHints(manager, record, viewer), { disclose });
        await this.vault.sealFields(manager, ctx, 'summary', { outcomeText: text === event.outcome ? null : text });
        return { outcome: event.outcome, closed_at: now, session_id: null };
      }
      case 'WITHDRAW_CONSENT':
        // Every release stops at once (the policy reads withdrawn_at), and the case leaves every
        // agenda that is not closed yet.
        await manager.query(`UPDATE consents SET withdrawn_at = $2, withdrawn_by_user_id = $3 WHERE case_id = $1 AND withdrawn_at IS NULL`, [
          record.id,
          now,
          actorId,
        ]);
        await this.leaveOpenAgendas(manager, record.id, now);
        return { session_id: null, closed_at: now, outcome: 'withdrawn' };
      case 'PURGE':
        // End of retention: the protected classes are crypto-shredded; the row, its clear
        // categories and its history stay for statistics. A case purged while still open (no
        // activity for the retention period) also leaves the agendas.
        await this.vault.shredCase(manager, record.id);
        await this.leaveOpenAgendas(manager, record.id, now);
        return { identity_index: null, session_id: null };
      case 'REOPEN':
        await this.vault.sealFields(manager, ctx, 'summary', { outcomeText: null });
        return { closed_at: null, outcome: null };
      case 'SUBMIT':
      case 'ACCEPT':
      case 'START_REVIEW':
      case 'FOLLOW_UP_DUE':
        return {}; // the snapshot only
    }
  }
}
