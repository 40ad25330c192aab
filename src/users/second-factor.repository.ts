import type { TerritoryScope } from '../access/permissions.js';
import { execute, returning, select, type SqlRunner } from '../database/sql.js';

export const REMOVAL_REASONS = ['lost_device', 'new_device', 'other'] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

/** A request to remove a user's second factor, as the directory shows it (ids and times only). */
export interface RemovalView {
  id: string;
  userId: string;
  territoryId: string | null;
  requestedBy: string;
  requestedAt: Date;
  reason: RemovalReason;
  confirmedBy: string | null;
  confirmedAt: Date | null;
}

const COLUMNS = `r.id, r.user_id AS "userId", coalesce(o.territory_id, u.territory_id) AS "territoryId", r.requested_by AS "requestedBy",
  r.requested_at AS "requestedAt", r.reason, r.confirmed_by AS "confirmedBy", r.confirmed_at AS "confirmedAt"`;
const FROM = `second_factor_removals r JOIN users u ON u.id = r.user_id LEFT JOIN organisations o ON o.id = u.organisation_id`;

/** The account a removal is about: its territory (who may confirm), whether it has a second factor. */
export async function findAccountForRemoval(runner: SqlRunner, userId: string): Promise<{ territoryId: string | null; enrolled: boolean } | undefined> {
  const [row] = await select<{ territoryId: string | null; enrolled: boolean }>(
    runner,
    `SELECT coalesce(o.territory_id, u.territory_id) AS "territoryId",
            EXISTS (SELECT 1 FROM account_secrets s WHERE s.user_id = u.id AND s.purpose = 'totp') AS enrolled
       FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`,
    [userId],
  );
  return row;
}

/** The new pending request's id; undefined when one is pending for the account already. */
export async function insertRemoval(runner: SqlRunner, userId: string, requestedBy: string, reason: RemovalReason): Promise<string | undefined> {
  const [row] = await select<{ id: string }>(
    runner,
    `INSERT INTO second_factor_removals (user_id, requested_by, reason) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) WHERE confirmed_at IS NULL DO NOTHING RETURNING id`,
    [userId, requestedBy, reason],
  );
  return row?.id;
}

export async function findRemoval(runner: SqlRunner, id: string, lock = false): Promise<RemovalView | undefined> {
  const [row] = await select<RemovalView>(runner, `SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
  return row;
}

/** Pending requests of accounts within the scope (an account of no territory: deployment-wide confirmers only). */
export function listPendingRemovals(runner: SqlRunner, scope: TerritoryScope): Promise<RemovalView[]> {
  return select<RemovalView>(
    runner,
    `SELECT ${COLUMNS} FROM ${FROM}
      WHERE r.confirmed_at IS NULL AND ($1::boolean OR coalesce(o.territory_id, u.territory_id) = ANY($2::uuid[]))
      ORDER BY r.requested_at`,
    [scope.all, scope.all ? [] : scope.territoryIds],
  );
}

export async function confirmRemoval(runner: SqlRunner, id: string, confirmedBy: string): Promise<boolean> {
  return (
    (
      await returning<{ id: string }>(
        runner,
        `UPDATE second_factor_removals SET confirmed_by = $2, confirmed_at = now() WHERE id = $1 AND confirmed_at IS NULL RETURNING id`,
        [id, confirmedBy],
      )
    ).length > 0
  );
}

/** A request left unconfirmed for a day lapses (removed), so an old one cannot be confirmed by surprise. */
export async function deleteLapsedRemovals(runner: SqlRunner, hours: number): Promise<number> {
  return execute(runner, `DELETE FROM second_factor_removals WHERE confirmed_at IS NULL AND requested_at < now() - make_interval(hours => $1)`, [hours]);
}
