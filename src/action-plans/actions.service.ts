import { CAPS, capReached } from '../common/limits.js';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import { factsOf, loadCase, touchCase } from '../cases/case.repository.js';
import { identityFieldsSeenBy, readsHeldText } from '../access/access.js';
import { CaseTexts, readHeldTexts } from '../cases/case-text.js';
import { titleField } from '../cases/events/adopt-plan.js';
import { Clock } from '../common/clock.js';
import { VaultService } from '../vault/vault.service.js';
import { listActionCandidates, lockAction, noteField, setActionStatus, type NoteEntry } from './actions.repository.js';
import { ACTION_LIST_LIMIT, type ListActionsQuery } from './dto/action-list.dto.js';
import type { UpdateActionDto } from './dto/update-action.dto.js';

/**
 * States in which a plan is being carried out and its actions move: running, at follow-up, on
 * watch or suspended (a note says what happens meanwhile), and back before a session (review again).
 */
const PLAN_STATES = ['plan_active', 'follow_up', 'suspended'] as const;
const planRuns = (record: { state: string; snapshot: { context: { planUnderReview?: boolean } } }) =>
  (PLAN_STATES as readonly string[]).includes(record.state) ||
  (['scheduled', 'in_review'].includes(record.state) && record.snapshot.context.planUnderReview === true);

/** The longest action list answered (a territory's running plans hold far fewer). */

@Injectable()
export class ActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly vault: VaultService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async update(viewer: RequestViewer, caseId: string, actionId: string, dto: UpdateActionDto, requestId?: string) {
    // Another status with a reason is a mistake, not something to drop.
    if (dto.blockReason && dto.status !== 'blocked') throw AppError.validation('blockReason', 'only with the status blocked');
    const outcome = await this.auditRefusals(viewer, caseId, actionId, requestId, () =>
      this.dataSource.transaction(async (m) => {
        // Locked like a transition: a concurrent CLOSE or ADOPT_PLAN cannot slip between the check and the write.
        const at = this.clock.now();
        const record = await loadCase(m, caseId, viewer, at, true);
        const release = record ? this.access.release(viewer, factsOf(record), at) : undefined;
        const relations = release?.relations ?? [];
        if (!record || !relations.length) return { denied: 'no_relation' as const, territoryId: record?.territoryId ?? null };
        const action = await lockAction(m, caseId, actionId);
        if (!action) throw AppError.notFound('Action');
        // Owning *this* action of the current plan, not just any action of the case, is what lets an owner move it.
        const effective = relations.filter((r) => r !== 'action_owner' || (action.owner === viewer.organisationId && action.current));
        if (!this.access.mayUpdateAction(effective)) return { denied: 'policy' as const, territoryId: record.territoryId };
        if (!planRuns(record)) {
          throw new AppError(
            'conflict',
            `Actions change only while the plan runs (states ${PLAN_STATES.join(', ')}, or back before a session); the case is ${record.state}`,
            { state: record.state },
          );
        }
        if (action.status === 'cancelled')
          throw new AppError('conflict', 'A cancelled action no longer changes (a plan revision may add a new one)', { status: 'cancelled' });
        let note: NoteEntry | null = null;
        if (dto.note) {
          if (action.notes.length >= CAPS.actionNotes) throw capReached('note', "An action's thread", CAPS.actionNotes);
          // Appended to the thread as note n+1 (the row is locked): never an overwrite. Checked
          // against the identity fields this caller may see only; a note naming the person beyond
          // them is held for the referrer, never refused (no oracle: src/cases/case-text.ts).
          note = { n: action.notes.length + 1, authorUserId: viewer.userId, authorOrganisationId: viewer.organisationId, at: at.toISOString() };
          const writer = { userId: viewer.userId, organisationId: viewer.organisationId, seen: identityFieldsSeenBy(release!) };
          const texts = new CaseTexts({ vault: this.vault, audit: this.audit, manager: m }, record, writer, at);
          await texts.write('plan', [{ field: noteField(actionId, note.n), label: 'note', review: `actions.${actionId}.notes.${note.n}`, text: dto.note }]);
        }
        // API.md's `{ status: "blocked", note? }` names no reason: an action already blocked keeps its
        // own (a note alone changes nothing), another is blocked for `other` in the plenary's table.
        const blockReason = dto.status === 'blocked' ? (dto.blockReason ?? (action.status === 'blocked' ? action.blockReason : null) ?? 'other') : null;
        const updated = await setActionStatus(m, { actionId, status: dto.status, blockReason, byUserId: viewer.userId, at, note });
        if (record.hasHeldTexts) {
          // A held title reads as the plan view shows it to this caller (their own words, or withheld).
          const held = (await readHeldTexts(this.vault, m, record, (author) => readsHeldText(release!, viewer.userId, author))).get(titleField(actionId));
          if (held?.text) updated.title = held.text;
        }
        await touchCase(m, caseId, at);
        await this.audit.record(
          {
            actorId: viewer.userId,
            organisationId: viewer.organisationId,
            territoryId: record.territoryId,
            action: 'case.action.update',
            caseId,
            classes: ['plan'],
            decision: 'allow',
            purpose: effective.join(','),
            requestId,
            detail: { actionId, from: action.status, to: dto.status, ...(blockReason ? { blockReason } : {}), note: Boolean(dto.note) },
          },
          m,
        );
        return { action: updated };
      }),
    );
    if ('action' in outcome) return outcome.action;
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: outcome.territoryId,
      action: 'case.action.update',
      caseId,
      decision: 'deny',
      purpose: outcome.denied,
      requestId,
      detail: { actionId },
    });
    if (outcome.denied === 'no_relation') throw AppError.notFound('Case');
    throw AppError.forbidden('Only the owning organisation or the coordinator may update this action');
  }

  /**
   * The actions of running plans this viewer may see: an organisation's to-do list (`mine`), the
   * coordinator's overdue actions (`overdue`). As GET /cases, the SQL narrows to cases the viewer
   * may be related to and the policy decides on each row: an action is listed when its case's
   * plan is released to the viewer. Clear data only (no protected class is opened).
   */
  async list(viewer: RequestViewer, query: ListActionsQuery) {
    const scope = this.access.scope(viewer, 'case.action.list');
    const at = this.clock.now();
    const mine = query.mine === 'true';
    if (mine && !viewer.organisationId) return { items: [] };
    const rows = await listActionCandidates(this.dataSource, {
      userId: viewer.userId,
      organisationId: viewer.organisationId,
      territories: scope.all ? null : scope.territoryIds,
      states: PLAN_STATES,
      mine,
      overdue: query.overdue === 'true',
      at,
      limit: ACTION_LIST_LIMIT,
    });
    const items = rows
      .filter(
        (r) =>
          this.access.release(
            viewer,
            {
              territoryId: r.territoryId,
              referrerUserId: r.referrerUserId,
              referrerOrganisationId: r.referrerOrganisationId,
              state: r.caseState,
              attending: r.attending,
              ownsAction: r.ownsAction,
              consent: null,
            },
            at,
          ).release.plan,
      )
      .map((r) => ({
        id: r.id,
        caseId: r.caseId,
        reference: r.reference,
        caseState: r.caseState,
        title: r.title,
        ownerOrganisationId: r.ownerOrganisationId,
        ownerOrganisationName: r.ownerOrganisationName,
        dueAt: r.dueAt,
        status: r.status,
        blockReason: r.blockReason,
        updatedAt: r.updatedAt,
        overdue: r.overdue,
        followUpAt: r.followUpAt,
      }));
    return { items };
  }

  /** A refusal raised inside the transaction (identifying note, wrong state) is audited after the rollback. */
  private async auditRefusals<T>(viewer: RequestViewer, caseId: string, actionId: string, requestId: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError) {
        await this.audit.record({
          actorId: viewer.userId,
          organisationId: viewer.organisationId,
          territoryId: viewer.territoryId,
          action: 'case.action.update',
          caseId,
          classes: error.code === 'identifying_text' ? ['identity'] : [],
          decision: 'deny',
          purpose: error.code,
          requestId,
          detail: { actionId, status: error.status },
        });
      }
      throw error;
    }
  }
}
