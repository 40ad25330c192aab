/** The `actions` table: the actions of a case's plans (one plan version per adoption). */
import { execute, returning, select, type SqlRunner } from '../database/sql.js';
import type { ActionStatus } from './dto/update-action.dto.js';

export interface NewAction {
  title: string;
  ownerOrganisationId: string;
  dueAt: string;
}

/** An action as the plan view shows it; `overdue` is computed at `at`. */
export interface ActionRow {
  id: string;
  title: string;
  ownerOrganisationId: string;
  ownerOrganisationName: string;
  dueAt: Date;
  status: ActionStatus;
  planVersion: number;
  updatedAt: Date;
  overdue: boolean;
}

/** The organisations among `ids` that belong to the territory (action owners must). */
export async function organisationsInTerritory(db: SqlRunner, ids: string[], territoryId: string): Promise<Set<string>> {
  const rows = await select<{ id: string }>(db, `SELECT id FROM organisations WHERE id = ANY($1::uuid[]) AND territory_id = $2`, [ids, territoryId]);
  return new Set(rows.map((r) => r.id));
}

/** Writes a new plan version of the case: its actions, all `todo`. */
export async function insertPlan(
  db: SqlRunner,
  plan: { caseId: string; territoryId: string; actions: NewAction[]; byUserId: string | null; at: Date },
): Promise<void> {
  const [{ v }] = await select<{ v: number }>(db, `SELECT coalesce(max(plan_version), 0) + 1 AS v FROM actions WHERE case_id = $1`, [plan.caseId]);
  await execute(
    db,
    `INSERT INTO actions (case_id, territory_id, title, owner_organisation_id, due_at, plan_version, updated_by, created_at, updated_at)
     SELECT $1, $2, a.title, a.owner, a.due, $3, $4, $5, $5
       FROM unnest($6::text[], $7::uuid[], $8::timestamptz[]) WITH ORDINALITY AS a(title, owner, due, n) ORDER BY a.n`,
    [
      plan.caseId,
      plan.territoryId,
      v,
      plan.byUserId,
      plan.at,
      plan.actions.map((a) => a.title),
      plan.actions.map((a) => a.ownerOrganisationId),
      plan.actions.map((a) => a.dueAt),
    ],
  );
}

export async function planActions(db: SqlRunner, caseId: string, at: Date): Promise<ActionRow[]> {
  return select<ActionRow>(
    db,
    `SELECT a.id, a.title, a.owner_organisation_id AS "ownerOrganisationId", o.name AS "ownerOrganisationName", a.due_at AS "dueAt", a.status,
            a.plan_version AS "planVersion", a.updated_at AS "updatedAt", (a.status <> 'done' AND a.due_at < $2) AS overdue
       FROM actions a JOIN organisations o ON o.id = a.owner_organisation_id WHERE a.case_id = $1 ORDER BY a.plan_version, a.due_at, a.id`,
    [caseId, at],
  );
}

/** One action of a case, row-locked for its update. */
export async function lockAction(db: SqlRunner, caseId: string, actionId: string): Promise<{ id: string; owner: string; status: ActionStatus } | undefined> {
  const [row] = await select<{ id: string; owner: string; status: ActionStatus }>(
    db,
    `SELECT id, owner_organisation_id AS "owner", status FROM actions WHERE id = $1 AND case_id = $2 FOR UPDATE`,
    [actionId, caseId],
  );
  return row;
}

export async function setActionStatus(
  db: SqlRunner,
  update: { actionId: string; status: ActionStatus; byUserId: string; at: Date },
): Promise<Omit<ActionRow, 'ownerOrganisationName' | 'planVersion'>> {
  const [row] = await returning<Omit<ActionRow, 'ownerOrganisationName' | 'planVersion'>>(
    db,
    `UPDATE actions SET status = $2, updated_at = $4, updated_by = $3 WHERE id = $1
     RETURNING id, title, owner_organisation_id AS "ownerOrganisationId", due_at AS "dueAt", status, updated_at AS "updatedAt", (status <> 'done' AND due_at < $4) AS overdue`,
    [update.actionId, update.status, update.byUserId, update.at],
  );
  return row;
}
