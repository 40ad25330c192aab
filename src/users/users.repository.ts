import type { Page } from '../common/pagination.js';
import type { TerritoryScope } from '../access/permissions.js';
import type { Profession, Role, Sector } from '../access/policy.types.js';
import { execute, preparedQuery, returning, select, type SqlRunner } from '../database/sql.js';

/** An account as the route guard reads it on every request (territory and sector from its organisation). */
export interface ViewerRow {
  id: string;
  email: string;
  display_name: string;
  organisation_id: string | null;
  territory_id: string | null;
  roles: Role[];
  profession: Profession;
  profession_source: 'declared' | 'prosanteconnect';
  sector: Sector | null;
  disabled_at: Date | null;
  /** Tokens of another generation are refused (users.token_generation). */
  token_generation: number;
}

/** The account of a token, read on every request so that a disabled account stops at once (prepared: a hot path). */
export async function findViewerRow(runner: SqlRunner, userId: string): Promise<ViewerRow | undefined> {
  const [row] = await preparedQuery<ViewerRow[]>(
    runner,
    `SELECT u.id, u.email, u.display_name, u.organisation_id, coalesce(o.territory_id, u.territory_id) AS territory_id, u.roles, u.profession, u.profession_source, o.sector, u.disabled_at,
            u.token_generation
           FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`,
    [userId],
  );
  return row;
}

/** What a login step needs of an account (never shown to anyone). */
export interface LoginRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  organisation_id: string | null;
  territory_id: string | null;
  roles: Role[];
  disabled_at: Date | null;
  password_temporary: boolean;
  token_generation: number;
  totp_last_step: string | null;
  second_factor_removed_at: Date | null;
}

const LOGIN_COLUMNS = `u.id, u.email, u.display_name, u.password_hash, u.organisation_id, coalesce(o.territory_id, u.territory_id) AS territory_id, u.roles,
       u.disabled_at, u.password_temporary, u.token_generation, u.totp_last_step, u.second_factor_removed_at`;

export async function findLoginRow(runner: SqlRunner, email: string): Promise<LoginRow | undefined> {
  const [row] = await preparedQuery<LoginRow[]>(
    runner,
    `SELECT ${LOGIN_COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.email = $1`,
    [email],
  );
  return row;
}

export async function findLoginRowById(runner: SqlRunner, id: string): Promise<LoginRow | undefined> {
  const [row] = await select<LoginRow>(runner, `SELECT ${LOGIN_COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`, [
    id,
  ]);
  return row;
}

/**
 * Sets a password (its argon2id hash): temporary when an administrator chose it, and every
 * earlier token of the account ends (a new generation). Answers the new generation.
 */
export async function setPassword(runner: SqlRunner, id: string, passwordHash: string, temporary: boolean): Promise<number> {
  const [row] = await returning<{ token_generation: number }>(
    runner,
    `UPDATE users SET password_hash = $2, password_temporary = $3, token_generation = token_generation + 1, updated_at = now() WHERE id = $1
     RETURNING token_generation`,
    [id, passwordHash, temporary],
  );
  return row.token_generation;
}

/**
 * Accepts a second-factor code of time step `step` once: only if it is later than the last one
 * accepted and the account is still at the challenge's generation. False: replayed (or raced).
 */
export async function acceptTotpStep(runner: SqlRunner, id: string, step: number, generation: number): Promise<boolean> {
  const rows = await returning<{ id: string }>(
    runner,
    `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND coalesce(totp_last_step, -1) < $2 AND token_generation = $3 AND disabled_at IS NULL RETURNING id`,
    [id, step, generation],
  );
  return rows.length > 0;
}

/** The user was told (at a completed login) that their second factor had been removed. */
export async function clearSecondFactorNotice(runner: SqlRunner, id: string): Promise<void> {
  await execute(runner, `UPDATE users SET second_factor_removed_at = NULL WHERE id = $1 AND second_factor_removed_at IS NOT NULL`, [id]);
}

/** The second factor is gone: codes start afresh, every token ends, the next login says so. */
export async function markSecondFactorRemoved(runner: SqlRunner, id: string): Promise<void> {
  await execute(
    runner,
    `UPDATE users SET totp_last_step = NULL, second_factor_removed_at = now(), token_generation = token_generation + 1, updated_at = now() WHERE id = $1`,
    [id],
  );
}

export async function countAdmins(runner: SqlRunner): Promise<number> {
  const [{ n }] = await select<{ n: number }>(runner, `SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles)`);
  return n;
}

/** The first administrator (its password temporary); undefined when the email is taken already (another replica was first). */
export async function insertBootstrapAdmin(runner: SqlRunner, email: string, passwordHash: string): Promise<string | undefined> {
  const [row] = await select<{ id: string }>(
    runner,
    `INSERT INTO users (email, password_hash, display_name, roles, profession, password_temporary) VALUES ($1, $2, 'Administrator', ARRAY['admin'], 'none', true)
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
export function listUsers(runner: SqlRunner, scope: TerritoryScope, page: Page): Promise<UserView[]> {
  return select<UserView>(
    runner,
    `SELECT u.id, u.email, u.display_name AS "displayName", u.organisation_id AS "organisationId",
            coalesce(o.territory_id, u.territory_id) AS "territoryId", u.roles, u.profession, u.disabled_at IS NOT NULL AS disabled, u.created_at AS "createdAt"
       FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE $1::boolean OR coalesce(o.territory_id, u.territory_id) = ANY($2::uuid[]) ORDER BY u.email, u.id LIMIT $3 OFFSET $4`,
    [scope.all, scope.all ? [] : scope.territoryIds, page.limit, page.offset],
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

/** The new account's id (its password temporary: an administrator chose it); undefined when the email is taken. */
export async function insertUser(runner: SqlRunner, user: NewUser): Promise<string | undefined> {
  const [row] = await select<{ id: string }>(
    runner,
    `INSERT INTO users (email, password_hash, display_name, organisation_id, roles, profession, password_temporary) VALUES ($1, $2, $3, $4, $5, $6, true)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
    [user.email, user.passwordHash, user.displayName, user.organisationId, user.roles, user.profession],
  );
  return row?.id;
}

/** What an update of the account is checked against, the row locked; undefined when there is none. */
export interface LockedAccount {
  email: string;
  displayName: string;
  organisationId: string | null;
  roles: Role[];
  profession: Profession;
  disabled: boolean;
}

export async function lockUser(runner: SqlRunner, id: string): Promise<LockedAccount | undefined> {
  const [row] = await select<LockedAccount>(
    runner,
    `SELECT email, display_name AS "displayName", organisation_id AS "organisationId", roles, profession, disabled_at IS NOT NULL AS disabled
       FROM users WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row;
}

export interface UserChanges {
  disabled: boolean | null;
  roles: Role[] | null;
  profession: Profession | null;
  displayName: string | null;
  /** A password an administrator set: temporary. */
  passwordHash: string | null;
  /** End every token of the account (a new generation). */
  endTokens: boolean;
}

/** Applies the given changes (null: unchanged); disabling keeps the first disabling time. */
export async function updateUser(runner: SqlRunner, id: string, changes: UserChanges): Promise<void> {
  await execute(
    runner,
    `UPDATE users SET
       disabled_at = CASE WHEN $2::boolean IS NULL THEN disabled_at WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END,
       roles = coalesce($3, roles), profession = coalesce($4, profession), display_name = coalesce($5, display_name),
       -- An admin's change of a profession a provider proved makes it a declared one again (issue 16).
       profession_source = CASE WHEN $4::text IS NOT NULL AND $4 <> profession THEN 'declared' ELSE profession_source END,
       profession_proven_at = CASE WHEN $4::text IS NOT NULL AND $4 <> profession THEN NULL ELSE profession_proven_at END,
       password_hash = coalesce($6, password_hash), password_temporary = ($6::text IS NOT NULL OR password_temporary),
       token_generation = token_generation + CASE WHEN $7 THEN 1 ELSE 0 END, updated_at = now()
     WHERE id = $1`,
    [id, changes.disabled, changes.roles, changes.profession, changes.displayName, changes.passwordHash, changes.endTokens],
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
