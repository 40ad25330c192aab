import { CAPS } from '../common/limits.js';
import { ensureRoom } from '../database/caps.js';
import type { Page } from '../common/pagination.js';
import type { TerritoryScope } from '../access/permissions.js';
import type { CommissionResource } from '../access/resources.js';
import type { Sector } from '../access/policy.types.js';
import { execute, select, type SqlRunner } from '../database/sql.js';
import { acceptedCurrentCharterSql, currentCharterSql, isInvitedToCommissionSql, isMemberSql } from './attendance.sql.js';

/** A commission with the facts about one user that access decisions need. */
export interface CommissionRecord extends CommissionResource {
  name: string;
}

export async function findCommission(runner: SqlRunner, id: string, userId: string): Promise<CommissionRecord | undefined> {
  const [row] = await select<Omit<CommissionRecord, 'kind'>>(
    runner,
    `SELECT c.id, c.territory_id AS "territoryId", c.name,
            ${isMemberSql('c.id', '$2')} AS member,
            ${isInvitedToCommissionSql('c.id', '$2')} AS invited
       FROM commissions c WHERE c.id = $1`,
    [id, userId],
  );
  return row && { kind: 'commission', ...row };
}

/** Serialises changes of one commission's charter. */
export async function lockCommission(runner: SqlRunner, id: string): Promise<void> {
  await execute(runner, `SELECT id FROM commissions WHERE id = $1 FOR UPDATE`, [id]);
}

export interface CommissionRow {
  id: string;
  territoryId: string;
  name: string;
  createdAt: Date;
}

/** The new commission; undefined when the territory has one of that name already. */
export async function insertCommission(runner: SqlRunner, territoryId: string, name: string): Promise<CommissionRow | undefined> {
  const [row] = await select<CommissionRow>(
    runner,
    `INSERT INTO commissions (territory_id, name) VALUES ($1, $2) ON CONFLICT (territory_id, name) DO NOTHING
       RETURNING id, territory_id AS "territoryId", name, created_at AS "createdAt"`,
    [territoryId, name],
  );
  return row;
}

export interface CommissionListRow {
  id: string;
  territoryId: string;
  name: string;
  charterVersion: number | null;
  /** The user's ties to the commission (what "my sessions" starts from). */
  member: boolean;
  invited: boolean;
  acceptedCurrentCharter: boolean;
}

export function listCommissions(runner: SqlRunner, scope: TerritoryScope, userId: string, page: Page): Promise<CommissionListRow[]> {
  return select<CommissionListRow>(
    runner,
    `SELECT c.id, c.territory_id AS "territoryId", c.name, ${currentCharterSql('c.id')} AS "charterVersion",
            ${isMemberSql('c.id', '$3')} AS member, ${isInvitedToCommissionSql('c.id', '$3')} AS invited,
            ${acceptedCurrentCharterSql('c.id', '$3')} AS "acceptedCurrentCharter"
       FROM commissions c WHERE $1::boolean OR c.territory_id = ANY($2::uuid[]) ORDER BY c.name, c.id LIMIT $4 OFFSET $5`,
    [scope.all, scope.all ? [] : scope.territoryIds, userId, page.limit, page.offset],
  );
}

export interface MembershipRow {
  commissionId: string;
  userId: string;
  deputyUserId: string | null;
  createdAt: Date;
}

/** Adds the member, or changes their deputy. */
export async function upsertMember(runner: SqlRunner, commissionId: string, userId: string, deputyUserId: string | null): Promise<MembershipRow> {
  await ensureRoom(runner, {
    key: `commission-members:${commissionId}`,
    othersSql: `SELECT count(*) FROM commission_members WHERE commission_id = $1 AND user_id <> $2`,
    params: [commissionId, userId],
    cap: CAPS.commissionMembers,
    field: 'userId',
    what: 'A commission',
  });
  const [row] = await select<MembershipRow>(
    runner,
    `INSERT INTO commission_members (commission_id, user_id, deputy_user_id) VALUES ($1, $2, $3)
       ON CONFLICT (commission_id, user_id) DO UPDATE SET deputy_user_id = EXCLUDED.deputy_user_id
       RETURNING commission_id AS "commissionId", user_id AS "userId", deputy_user_id AS "deputyUserId", created_at AS "createdAt"`,
    [commissionId, userId, deputyUserId],
  );
  return row;
}

/**
 * Takes the user off the commission: their membership row (with their deputy's place), or their
 * place as the deputy of a member. Answers which it was, or 'none'.
 */
export async function removeMember(runner: SqlRunner, commissionId: string, userId: string): Promise<'member' | 'deputy' | 'none'> {
  if ((await execute(runner, `DELETE FROM commission_members WHERE commission_id = $1 AND user_id = $2`, [commissionId, userId])) > 0) return 'member';
  const cleared = await execute(runner, `UPDATE commission_members SET deputy_user_id = NULL WHERE commission_id = $1 AND deputy_user_id = $2`, [
    commissionId,
    userId,
  ]);
  return cleared > 0 ? 'deputy' : 'none';
}

export interface MemberRow {
  userId: string;
  displayName: string;
  organisationName: string | null;
  sector: Sector | null;
  deputyUserId: string | null;
  acceptedCurrentCharter: boolean;
}

export function listMembers(runner: SqlRunner, commissionId: string, page: Page): Promise<MemberRow[]> {
  return select<MemberRow>(
    runner,
    `SELECT m.user_id AS "userId", u.display_name AS "displayName", o.name AS "organisationName", o.sector, m.deputy_user_id AS "deputyUserId",
            ${acceptedCurrentCharterSql('m.commission_id', 'm.user_id')} AS "acceptedCurrentCharter"
       FROM commission_members m JOIN users u ON u.id = m.user_id LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE m.commission_id = $1 ORDER BY u.display_name, m.user_id LIMIT $2 OFFSET $3`,
    [commissionId, page.limit, page.offset],
  );
}

/** The current charter version (null: none published yet). */
export async function currentCharterVersion(runner: SqlRunner, commissionId: string): Promise<number | null> {
  const [{ current }] = await select<{ current: number | null }>(runner, `SELECT ${currentCharterSql('$1')} AS current`, [commissionId]);
  return current;
}

export async function insertCharterVersion(
  runner: SqlRunner,
  charter: { commissionId: string; version: number; text: string; createdBy: string },
): Promise<void> {
  await execute(runner, `INSERT INTO charter_versions (commission_id, version, text, created_by) VALUES ($1, $2, $3, $4)`, [
    charter.commissionId,
    charter.version,
    charter.text,
    charter.createdBy,
  ]);
}

export interface CharterRow {
  version: number;
  text: string;
  publishedAt: Date;
}

export async function latestCharter(runner: SqlRunner, commissionId: string): Promise<CharterRow | undefined> {
  const [row] = await select<CharterRow>(
    runner,
    `SELECT version, text, created_at AS "publishedAt" FROM charter_versions WHERE commission_id = $1 ORDER BY version DESC LIMIT 1`,
    [commissionId],
  );
  return row;
}

/** When the user accepted that version, or null. */
export async function acceptedAt(runner: SqlRunner, commissionId: string, version: number, userId: string): Promise<Date | null> {
  const [row] = await select<{ acceptedAt: Date }>(
    runner,
    `SELECT accepted_at AS "acceptedAt" FROM charter_acceptances WHERE commission_id = $1 AND version = $2 AND user_id = $3`,
    [commissionId, version, userId],
  );
  return row?.acceptedAt ?? null;
}

export async function insertAcceptance(runner: SqlRunner, commissionId: string, version: number, userId: string): Promise<void> {
  await execute(runner, `INSERT INTO charter_acceptances (commission_id, version, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
    commissionId,
    version,
    userId,
  ]);
}
