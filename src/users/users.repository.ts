import type { TerritoryScope } from '../access/permissions.js';
import type { Profession, Role, Sector } from '../access/policy.types.js';
import { execute, preparedQuery, select, type SqlRunner } from '../database/sql.js';

/** An account as the route guard reads it on every request (territory and sector from its organisation). */
export interface ViewerRow {
  id: string;
  email: string;
  display_name: string;
  organisation_id: string | null;
  territory_id: string | null;
  roles: Role[];
  profession: Profession;
  sector: Sector | null;
  disabled_at: Date | null;
}

/** The account of a token, read on every request so that a disabled account stops at once (prepared: a hot path). */
export async function findViewerRow(runner: SqlRunner, userId: string): Promise<ViewerRow | undefined> {
  const [row] = await preparedQuery<ViewerRow[]>(
    runner,
    `SELECT u.id, u.email, u.display_name, u.organisation_id, coalesce(o.territory_id, u.territory_id) AS territory_id, u.roles, u.profession, o.sector, u.disabled_at
           FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`,
    [userId],
  );
  return row;
}

export interface LoginRow {
  id: string;
  password_hash: string;
  organisation_id: string | null;
  territory_id: string | null;
  disabled_at: Date | null;
}

export async function findLoginRow(runner: SqlRunner, email: string): Promise<LoginRow | undefined> {
  const [row] = await select<LoginRow>(
    runner,
    `SELECT u.id, u.password_hash, u.organisation_id, coalesce(o.territory_id, u.territory_id) AS territory_id, u.disabled_at
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.email = $1`,
    [email],
  );
  return row;
}

export async function countAdmins(runner: SqlRunner): Promise<number> {
  const [{ n }] = await select<{ n: number }>(runner, `SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles)`);
  return n;
}

/** The first administrator; undefined when the email is taken already (another replica was first). */
export async function insertBootstrapAdmin(runner: SqlRunner, email: string, passwordHash: string): Promise<string | undefined> {
  const [row] = await select<{ id: string }>(
    runner,
    `INSERT INTO users (email, password_hash, display_name, roles, profession) VALUES ($1, $2, 'Administrator', ARRAY['admin'], 'none')
       ON CONFLICT (email) DO NOTHING RETURNING id`,
    [email, passwordHash],
  );
  return row?.id;
}

/** An account as the directory shows it (never its password hash). */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  organisationId: string | null;
  territoryId: string | null;
  roles: Role[];
  profession: Profession;
  disabled: boolean;
  createdAt: string;
}

export function findUsers(runner: SqlRunner, id?: string): Promise<UserView[]> {
  return select<UserView>(
    runner,
    `SELECT u.id, u.email, u.display_name AS "displayName", u.organisation_id AS "organisationId",
            coalesce(o.territory_id, u.territory_id) AS "territoryId", u.roles, u.profession, u.disabled_at IS NOT NULL AS disabled, u.created_at AS "createdAt"
       FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE ($1::uuid IS NULL OR u.id = $1) ORDER BY u.email`,
    [id ?? null],
  );
}

/** The accounts of the territories in scope (an account of no territory only for an all-territory scope), by email. */
export function listUsers(runner: SqlRunner, scope: TerritoryScope): Promise<UserView[]> {
  return select<UserView>(
    runner,
    `SELECT u.id, u.email, u.display_name AS "displayName", u.organisation_id AS "organisationId",
            coalesce(o.territory_id, u.territory_id) AS "territoryId", u.roles, u.profession, u.disabled_at IS NOT NULL AS disabled, u.created_at AS "createdAt"
       FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE $1::boolean OR coalesce(o.territory_id, u.territory_id) = ANY($2::uuid[]) ORDER BY u.email`,
    [scope.all, scope.all ? [] : scope.territoryIds],
  );
}

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  organisationId: string | null;
  roles: Role[];
  profession: Profession;
}

/** The new account's id; undefined when the email is taken. */
export async function insertUser(runner: SqlRunner, user: NewUser): Promise<string | undefined> {
  const [row] = await select<{ id: string }>(
    runner,
    `INSERT INTO users (email, password_hash, display_name, organisation_id, roles, profession) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
    [user.email, user.passwordHash, user.displayName, user.organisationId, user.roles, user.profession],
  );
  return row?.id;
}

/** Locks the account row for an update; false when there is none. */
export async function lockUser(runner: SqlRunner, id: string): Promise<boolean> {
  return (await select<{ id: string }>(runner, `SELECT id FROM users WHERE id = $1 FOR UPDATE`, [id])).length > 0;
}

export interface UserChanges {
  disabled: boolean | null;
  roles: Role[] | null;
  profession: Profession | null;
  displayName: string | null;
  passwordHash: string | null;
}

/** Applies the given changes (null: unchanged); disabling keeps the first disabling time. */
export async function updateUser(runner: SqlRunner, id: string, changes: UserChanges): Promise<void> {
  await execute(
    runner,
    `UPDATE users SET
       disabled_at = CASE WHEN $2::boolean IS NULL THEN disabled_at WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END,
       roles = coalesce($3, roles), profession = coalesce($4, profession), display_name = coalesce($5, display_name),
       password_hash = coalesce($6, password_hash), updated_at = now()
     WHERE id = $1`,
    [id, changes.disabled, changes.roles, changes.profession, changes.displayName, changes.passwordHash],
  );
}

/** What makes an account eligible to a relation (a new member, an invitee): its roles and territory. */
export interface AccountRow {
  roles: Role[];
  territoryId: string | null;
  disabled: boolean;
}

export async function findAccount(runner: SqlRunner, id: string): Promise<AccountRow | undefined> {
  const [row] = await select<AccountRow>(
    runner,
    `SELECT u.roles, coalesce(o.territory_id, u.territory_id) AS "territoryId", u.disabled_at IS NOT NULL AS disabled
       FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`,
    [id],
  );
  return row;
}
