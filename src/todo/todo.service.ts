import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { ActionsService } from '../action-plans/actions.service.js';
import type { ActionState, ActionStatus } from '../action-plans/dto/update-action.dto.js';
import type { RequestViewer } from '../auth/viewer.js';
import { Clock } from '../common/clock.js';
import { RIGHTS_DUE_SOON_DAYS } from '../notifications/notification-kinds.js';
import { openRequestsByDue } from '../rights/rights.repository.js';
import type { TodoActionsDto, TodoCasesDto, TodoDto } from './todo.dto.js';
import { coordinationList, nextSessions, referrerWaiting, TODO_LIST_LIMIT, type CoordinationList, type TodoCaseRow } from './todo.repository.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * GET /me/todo: what waits on the caller, as counts and references (never a name, a summary or a
 * free text). Which sections the caller gets is the policy's answer (access.yaml `me.todo`): the
 * relations they hold toward their own territory — coordinator, territory_referrer,
 * territory_member, auditor — each giving its section. "Now" is the injected clock's.
 */
@Injectable()
export class TodoService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly actions: ActionsService,
    private readonly clock: Clock,
  ) {}

  async todo(viewer: RequestViewer): Promise<TodoDto> {
    const relations = await this.access.require(viewer, 'me.todo', { kind: 'territory', territoryId: viewer.territoryId });
    const at = this.clock.now();
    const answer: TodoDto = { at: at.toISOString() };
    if (relations.includes('coordinator')) {
      const list = async (name: CoordinationList) => cases(await coordinationList(this.dataSource, name, viewer.territoryId!, at));
      answer.coordination = {
        toScreen: await list('toScreen'),
        consentMissing: await list('consentMissing'),
        consentExpiring: await list('consentExpiring'),
        readyForSession: await list('readyForSession'),
        followUpsDue: await list('followUpsDue'),
        overdueActions: actionList((await this.actions.list(viewer, { overdue: 'true' })).items),
        nextSessions: (await nextSessions(this.dataSource, viewer.territoryId!)).map((s) => ({
          ...s,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
        })),
      };
    }
    if (relations.includes('territory_referrer')) {
      const rows = await referrerWaiting(this.dataSource, viewer.userId, at);
      answer.referrals = { count: rows[0]?.total ?? 0, items: rows.map((r) => ({ ...caseItem(r), waiting: r.waiting })) };
    }
    if (relations.includes('territory_member')) {
      const mine = (await this.actions.list(viewer, { mine: 'true' })).items.filter((a) => a.status !== 'done');
      answer.actions = actionList(mine);
    }
    if (relations.includes('auditor')) {
      // The requests the DPO may list (their territory, or every one when attached to none).
      const scope = this.access.scope(viewer, 'rights.request.list');
      const rows = await openRequestsByDue(this.dataSource.manager, {
        territoryIds: scope.all ? null : scope.territoryIds,
        now: at,
        soonDays: RIGHTS_DUE_SOON_DAYS,
        limit: TODO_LIST_LIMIT,
      });
      answer.rights = {
        count: rows[0]?.total ?? 0,
        overdue: rows[0]?.overdue ?? 0,
        dueSoon: rows[0]?.dueSoon ?? 0,
        items: rows.map(({ id, territoryId, kind, receivedOn, dueOn, daysLeft }) => ({ id, territoryId, kind, receivedOn, dueOn, daysLeft })),
      };
    }
    return answer;
  }
}

function caseItem(r: TodoCaseRow) {
  return { id: r.id, reference: r.reference, state: r.state, at: iso(r.at) };
}

function cases(rows: TodoCaseRow[]): TodoCasesDto {
  return { count: rows[0]?.total ?? 0, items: rows.map(caseItem) };
}

interface ListedAction {
  id: string;
  caseId: string;
  reference: string;
  ownerOrganisationId: string;
  dueAt: Date | string;
  status: ActionState;
  overdue: boolean;
}

/** Soonest due first (as listed), the first TODO_LIST_LIMIT named; the title stays with the plan. */
function actionList(items: ListedAction[]): TodoActionsDto {
  return {
    count: items.length,
    overdue: items.filter((a) => a.overdue).length,
    items: items.slice(0, TODO_LIST_LIMIT).map((a) => ({
      id: a.id,
      caseId: a.caseId,
      reference: a.reference,
      ownerOrganisationId: a.ownerOrganisationId,
      dueAt: iso(a.dueAt)!,
      // The listing leaves cancelled actions out (actions.repository.ts listActionCandidates).
      status: a.status as ActionStatus,
      overdue: a.overdue,
    })),
  };
}
