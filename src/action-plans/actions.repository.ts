/** The `actions` table: the actions of a case's plans (one plan version per adoption). */
import { CAPS, capReached } from '../common/limits.js';
import { lockedCount } from '../database/caps.js';
import type { Role, Sector } from '../access/policy.types.js';
import { attendingSql, ownsActionSql, relatedCandidateSql } from '../cases/case.repository.js';
import type { CaseState } from '../cases/machine/context.js';
import { execute, returning, select, type SqlRunner } from '../database/sql.js';
import type { ActionState, BlockReason, CancelReason, CarryReason } from './dto/update-action.dto.js';

export interface NewAction {
  id: string;
  title: string;
  ownerOrganisationId: string;
  assigneeUserId: string | null;
  dueAt: string;
}

/** An action as the plan view shows it; `overdue` is computed at `at`. */
export interface ActionRow {
  id: string;
  title: string;
  ownerOrganisationId: string;
  ownerOrganisationName: string;
  /** The owning organisation's sector: what its involvement reveals (policies/sectors.yaml). */
  ownerSector: Sector;
  /** The professional the coordinator named on the action, if any. */
  assigneeUserId: string | null;
  dueAt: Date;
  status: ActionState;
  /** Why it is blocked (status `blocked`; null for an action blocked before reasons were asked). */
  blockReason: BlockReason | null;
  planVersion: number;
  updatedAt: Date;
  overdue: boolean;
  /** Why a revision carried it, unfinished, into a later plan version (null: on time, or never carried). */
  carryReason: CarryReason | null;
  carriedAt: Date | null;
  /** Why a revision cancelled it (status `cancelled`). */
  cancelReason: CancelReason | null;
  /** The thread of notes, metadata only (the texts are sealed: `noteField`). */
  notes: NoteEntry[];
}

/** One note of an action's thread: its number, author and time (the text is sealed apart). */
export interface NoteEntry {
  n: number;
  authorUserId: string | null;
  authorOrganisationId: string | null;
  at: string;
}

/** The organisations among `ids` that belong to the territory (action owners must). */
export async function organisationsInTerritory(db: SqlRunner, ids: string[], territoryId: string): Promise<Set<string>> {
  const rows = await select<{ id: string }>(db, `SELECT id FROM organisations WHERE id = ANY($1::uuid[]) AND territory_id = $2`, [ids, territoryId]);
  return new Set(rows.map((r) => r.id));
}

/** Writes a new plan version of the case: its actions (ids chosen by the caller), all `todo`. */
export async function insertPlan(
  db: SqlRunner,
  plan: { caseId: string; territoryId: string; actions: NewAction[]; byUserId: string | null; at: Date; version?: number },
): Promise<number> {
  const v = plan.version ?? (await nextPlanVersion(db, plan.caseId));
  if (!plan.actions.length) return v;
  // Every version's actions stay in the plan view: a situation holds at most CAPS.planActions of them.
  const held = await lockedCount(db, `actions:${plan.caseId}`, `SELECT count(*) FROM actions WHERE case_id = $1`, [plan.caseId]);
  if (held + plan.actions.length > CAPS.planActions) throw capReached('actions', 'A situation', CAPS.planActions);
  await execute(
    db,
    `INSERT INTO actions (id, case_id, territory_id, title, owner_organisation_id, assignee_user_id, due_at, plan_version, updated_by, created_at, updated_at)
     SELECT a.id, $1, $2, a.title, a.owner, a.assignee, a.due, $3, $4, $5, $5
       FROM unnest($6::uuid[], $7::text[], $8::uuid[], $9::uuid[], $10::timestamptz[]) WITH ORDINALITY AS a(id, title, owner, assignee, due, n) ORDER BY a.n`,
    [
      plan.caseId,
      plan.territoryId,
      v,
      plan.byUserId,
      plan.at,
      plan.actions.map((a) => a.id),
      plan.actions.map((a) => a.title),
      plan.actions.map((a) => a.ownerOrganisationId),
      plan.actions.map((a) => a.assigneeUserId),
      plan.actions.map((a) => a.dueAt),
    ],
  );
  return v;
}

/** The number the case's next plan version takes. */
export async function nextPlanVersion(db: SqlRunner, caseId: string): Promise<number> {
  const [{ v }] = await select<{ v: number }>(db, `SELECT coalesce(max(plan_version), 0) + 1 AS v FROM actions WHERE case_id = $1`, [caseId]);
  return v;
}

/** What decides whether a user may be named on an action: their organisation, roles and standing. */
export interface ProfessionalRow {
  id: string;
  organisationId: string | null;
  roles: Role[];
  disabled: boolean;
}

export function professionalsOf(db: SqlRunner, userIds: string[]): Promise<ProfessionalRow[]> {
  if (!userIds.length) return Promise.resolve([]);
  return select<ProfessionalRow>(
    db,
    `SELECT id, organisation_id AS "organisationId", roles, disabled_at IS NOT NULL AS disabled FROM users WHERE id = ANY($1::uuid[])`,
    [userIds],
  );
}

export async function planActions(db: SqlRunner, caseId: string, at: Date): Promise<ActionRow[]> {
  return select<ActionRow>(
    db,
    `SELECT a.id, a.title, a.owner_organisation_id AS "ownerOrganisationId", o.name AS "ownerOrganisationName", o.sector AS "ownerSector",
            a.assignee_user_id AS "assigneeUserId", a.due_at AS "dueAt", a.status, a.block_reason AS "blockReason",
            a.plan_version AS "planVersion", a.updated_at AS "updatedAt", (a.status NOT IN ('done','cancelled') AND a.due_at < $2) AS overdue,
            a.carry_reason AS "carryReason", a.carried_at AS "carriedAt", a.cancel_reason AS "cancelReason", a.notes
       FROM actions a JOIN organisations o ON o.id = a.owner_organisation_id WHERE a.case_id = $1 ORDER BY a.plan_version, a.due_at, a.id`,
    [caseId, at],
  );
}

/** One action of a case, row-locked for its update; `current`: of the case's latest plan version. */
export interface LockedAction {
  id: string;
  owner: string;
  status: ActionState;
  blockReason: BlockReason | null;
  current: boolean;
  notes: NoteEntry[];
}

export async function lockAction(
  db: SqlRunner,
  caseId: string,
  actionId: string,
): Promise<LockedAction | undefined> {
  const [row] = await select<LockedAction>(
    db,
    `SELECT a.id, a.owner_organisation_id AS "owner", a.status, a.block_reason AS "blockReason", a.notes,
            a.plan_version = (SELECT max(v.plan_version) FROM actions v WHERE v.case_id = a.case_id) AS current
       FROM actions a WHERE a.id = $1 AND a.case_id = $2 FOR UPDATE OF a`,
    [actionId, caseId],
  );
  return row;
}

/**
 * Sets an action's status (and block reason), appends a note to its thread, and — in the same
 * statement — records the change of status in `action_status_changes` when there is one (a note
 * alone changes nothing there): the annual report counts an action done or blocked in the year it
 * became so (report.repository.ts), not the year of its last note.
 */
export async function setActionStatus(
  db: SqlRunner,
  update: { actionId: string; status: ActionState; blockReason: BlockReason | null; byUserId: string; at: Date; note: NoteEntry | null },
): Promise<UpdatedActionRow> {
  // A note is appended to the thread, never rewritten: the array only grows. The answer is the
  // action's standing, not its thread (the same whether a note was held or not). Every part of
  // the statement reads the snapshot from before it: `before` is the action as it was.
  const [row] = await returning<UpdatedActionRow>(
    db,
    `WITH before AS (SELECT status, block_reason FROM actions WHERE id = $1),
     u AS (
       UPDATE actions SET status = $2, block_reason = $6, updated_at = $4, updated_by = $3,
              notes = CASE WHEN $5::jsonb IS NULL THEN notes ELSE notes || jsonb_build_array($5::jsonb) END
        WHERE id = $1
       RETURNING id, territory_id, title, owner_organisation_id, assignee_user_id, due_at, status, block_reason, updated_at),
     changed AS (
       INSERT INTO action_status_changes (action_id, territory_id, status, block_reason, at, by_user_id)
       SELECT u.id, u.territory_id, u.status, u.block_reason, $4, $3 FROM u, before
        WHERE (before.status, before.block_reason) IS DISTINCT FROM (u.status, u.block_reason))
     SELECT id, title, owner_organisation_id AS "ownerOrganisationId", assignee_user_id AS "assigneeUserId", due_at AS "dueAt", status, block_reason AS "blockReason",
            updated_at AS "updatedAt", (status NOT IN ('done','cancelled') AND due_at < $4) AS overdue
       FROM u`,
    [update.actionId, update.status, update.byUserId, update.at, update.note ? JSON.stringify(update.note) : null, update.blockReason],
  );
  return row;
}

/** What an update answers. */
export type UpdatedActionRow = Omit<
  ActionRow,
  'ownerOrganisationName' | 'ownerSector' | 'planVersion' | 'notes' | 'carryReason' | 'carriedAt' | 'cancelReason'
>;

/** The sealed field of note `n` of an action's thread (class plan). */
export function noteField(actionId: string, n: number): string {
  return `note_${actionId.replace(/-/g, '')}_${n}`;
}

/** The unfinished actions (not done, not cancelled) of the case's current plan version, row-locked for a revision. */
export function unfinishedActions(db: SqlRunner, caseId: string): Promise<{ id: string; ownerOrganisationId: string; dueAt: Date; planVersion: number }[]> {
  return select<{ id: string; ownerOrganisationId: string; dueAt: Date; planVersion: number }>(
    db,
    `SELECT a.id, a.owner_organisation_id AS "ownerOrganisationId", a.due_at AS "dueAt", a.plan_version AS "planVersion"
       FROM actions a
      WHERE a.case_id = $1 AND a.status NOT IN ('done','cancelled')
        AND a.plan_version = (SELECT max(v.plan_version) FROM actions v WHERE v.case_id = $1)
      ORDER BY a.due_at, a.id FOR UPDATE OF a`,
    [caseId],
  );
}

/**
 * A revision's changes to existing actions: carried ones move into plan version `version` (with
 * their new due date and professional when given, and the reason when they were overdue);
 * cancelled ones stay in their version, cancelled with a reason.
 */
export async function reviseActions(
  db: SqlRunner,
  revision: {
    caseId: string;
    version: number;
    carried: { id: string; dueAt: string | null; assigneeUserId: string | null; reason: CarryReason | null }[];
    cancelled: { id: string; reason: CancelReason }[];
    byUserId: string | null;
    at: Date;
  },
): Promise<void> {
  if (revision.carried.length) {
    await execute(
      db,
      `UPDATE actions a SET plan_version = $2, due_at = coalesce(c.due, a.due_at), assignee_user_id = coalesce(c.assignee, a.assignee_user_id),
              carry_reason = coalesce(c.reason, a.carry_reason), carried_at = CASE WHEN c.reason IS NULL THEN a.carried_at ELSE $4 END, updated_at = $4, updated_by = $3
         FROM unnest($5::uuid[], $6::timestamptz[], $7::uuid[], $8::text[]) AS c(id, due, assignee, reason)
        WHERE a.id = c.id AND a.case_id = $1`,
      [
        revision.caseId,
        revision.version,
        revision.byUserId,
        revision.at,
        revision.carried.map((c) => c.id),
        revision.carried.map((c) => c.dueAt),
        revision.carried.map((c) => c.assigneeUserId),
        revision.carried.map((c) => c.reason),
      ],
    );
  }
  if (revision.cancelled.length) {
    await execute(
      db,
      // The cancellation is a change of status: recorded by the same statement (setActionStatus).
      `WITH u AS (
         UPDATE actions a SET status = 'cancelled', cancel_reason = c.reason, block_reason = NULL, updated_at = $3, updated_by = $2
           FROM unnest($4::uuid[], $5::text[]) AS c(id, reason)
          WHERE a.id = c.id AND a.case_id = $1
         RETURNING a.id, a.territory_id)
       INSERT INTO action_status_changes (action_id, territory_id, status, at, by_user_id) SELECT u.id, u.territory_id, 'cancelled', $3, $2 FROM u`,
      [revision.caseId, revision.byUserId, revision.at, revision.cancelled.map((c) => c.id), revision.cancelled.map((c) => c.reason)],
    );
  }
}

/** An action of a running plan, with the facts the policy needs to decide whether the viewer sees its plan. */
export interface ActionListRow {
  id: string;
  caseId: string;
  reference: string;
  caseState: CaseState;
  title: string;
  ownerOrganisationId: string;
  ownerOrganisationName: string;
  dueAt: Date;
  status: ActionState;
  blockReason: BlockReason | null;
  updatedAt: Date;
  overdue: boolean;
  followUpAt: Date | null;
  territoryId: string;
  referrerUserId: string;
  referrerOrganisationId: string;
  attending: boolean;
  ownsAction: boolean;
}

export interface ActionListFilter {
  userId: string;
  organisationId: string | null;
  /** Territories whose every case is a candidate (a coordinator's); null: all of them. */
  territories: string[] | null;
  /** Cases in these states (the plan runs). */
  states: readonly CaseState[];
  mine: boolean;
  overdue: boolean;
  at: Date;
  limit: number;
}

/**
 * The actions of the latest plan of each case the viewer may be related to (a superset, as the
 * case list: the policy decides on each row), soonest due first.
 */
export function listActionCandidates(db: SqlRunner, f: ActionListFilter): Promise<ActionListRow[]> {
  return select<ActionListRow>(
    db,
    `SELECT a.id, a.case_id AS "caseId", c.reference, c.state AS "caseState", a.title, a.owner_organisation_id AS "ownerOrganisationId",
            o.name AS "ownerOrganisationName", a.due_at AS "dueAt", a.status, a.block_reason AS "blockReason", a.updated_at AS "updatedAt",
            (a.status NOT IN ('done','cancelled') AND a.due_at < $4) AS overdue, c.follow_up_at AS "followUpAt",
            c.territory_id AS "territoryId", c.referrer_user_id AS "referrerUserId", c.referrer_organisation_id AS "referrerOrganisationId",
            ${attendingSql('$1', '$4')} AS attending, ${ownsActionSql('$2', '$1')} AS "ownsAction"
       FROM actions a JOIN cases c ON c.id = a.case_id JOIN organisations o ON o.id = a.owner_organisation_id
      WHERE c.state = ANY($5::text[])
        AND a.plan_version = (SELECT max(p.plan_version) FROM actions p WHERE p.case_id = a.case_id) AND a.status <> 'cancelled'
        AND (NOT $6::boolean OR a.owner_organisation_id = $2)
        AND (NOT $7::boolean OR (a.status NOT IN ('done','cancelled') AND a.due_at < $4))
        AND ${relatedCandidateSql('$1', '$2', '$3')}
      ORDER BY a.due_at, c.reference, a.id
      LIMIT $8`,
    [f.userId, f.organisationId, f.territories, f.at, f.states, f.mine, f.overdue, f.limit],
  );
}
