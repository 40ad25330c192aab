import { execute, returning, select, type SqlRunner } from '../../database/sql.js';

/** The tables of migrations/1797200000000-OidcIdentities.ts. */

export interface NewOidcLogin {
  secretHash: Buffer;
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  invitationId: string | null;
  ttlSeconds: number;
}

export async function insertOidcLogin(runner: SqlRunner, login: NewOidcLogin): Promise<void> {
  await execute(
    runner,
    `INSERT INTO oidc_logins (secret_hash, provider, state, nonce, code_verifier, invitation_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
    [login.secretHash, login.provider, login.state, login.nonce, login.codeVerifier, login.invitationId, login.ttlSeconds],
  );
  // Sign-ins over for long are removed as new ones start: the table stays small.
  await execute(
    runner,
    `DELETE FROM oidc_logins WHERE secret_hash IN (SELECT secret_hash FROM oidc_logins WHERE expires_at < now() - interval '1 hour' LIMIT 100)`,
  );
}

export interface OidcLoginRow {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  invitationId: string | null;
}

/** Takes the sign-in of this browser for that provider, once: unused and unexpired; undefined otherwise (forged, replayed, over). */
export async function takeOidcLogin(runner: SqlRunner, secretHash: Buffer, provider: string): Promise<OidcLoginRow | undefined> {
  const [row] = await returning<OidcLoginRow>(
    runner,
    `UPDATE oidc_logins SET used_at = now()
      WHERE secret_hash = $1 AND provider = $2 AND used_at IS NULL AND expires_at > now()
      RETURNING provider, state, nonce, code_verifier AS "codeVerifier", invitation_id AS "invitationId"`,
    [secretHash, provider],
  );
  return row;
}

/** After the callback: what the sign-in still waits for (a second factor, a confirmation), with the account and subject. */
export async function setOidcOutcome(
  runner: SqlRunner,
  secretHash: Buffer,
  outcome: { kind: 'second_factor' | 'confirm_email'; userId: string; subject: string; ttlSeconds: number; kekId: string; idToken: Buffer },
): Promise<void> {
  await execute(
    runner,
    `UPDATE oidc_logins SET outcome = $2, user_id = $3, subject = $4, expires_at = now() + make_interval(secs => $5), kek_id = $6, id_token = $7
      WHERE secret_hash = $1`,
    [secretHash, outcome.kind, outcome.userId, outcome.subject, outcome.ttlSeconds, outcome.kekId, outcome.idToken],
  );
}

export interface OidcOutcomeRow {
  provider: string;
  outcome: 'second_factor' | 'confirm_email';
  userId: string;
  subject: string;
  kekId: string;
  idToken: Buffer;
}

/** The pending outcome of this browser's sign-in; `take` ends it (single use). */
export async function findOidcOutcome(runner: SqlRunner, secretHash: Buffer, take: boolean): Promise<OidcOutcomeRow | undefined> {
  const pending = `SELECT secret_hash, provider, outcome, user_id AS "userId", subject, kek_id AS "kekId", id_token AS "idToken"
                     FROM oidc_logins WHERE secret_hash = $1 AND outcome IS NOT NULL AND expires_at > now()`;
  const sql = take
    ? `WITH old AS (${pending} FOR UPDATE)
       UPDATE oidc_logins l SET outcome = NULL, user_id = NULL, id_token = NULL FROM old WHERE l.secret_hash = old.secret_hash
       RETURNING old.provider, old.outcome, old."userId", old.subject, old."kekId", old."idToken"`
    : pending;
  const [row] = take ? await returning<OidcOutcomeRow>(runner, sql, [secretHash]) : await select<OidcOutcomeRow>(runner, sql, [secretHash]);
  return row;
}

export async function findLinkedUser(runner: SqlRunner, provider: string, subject: string): Promise<string | undefined> {
  const [row] = await select<{ user_id: string }>(runner, `SELECT user_id FROM oidc_identities WHERE provider = $1 AND subject = $2`, [provider, subject]);
  return row?.user_id;
}

/** Links the subject to the account; false when the subject or the account is linked already (to another). */
export async function linkIdentity(
  runner: SqlRunner,
  link: { provider: string; subject: string; userId: string; by: 'invitation' | 'email' },
): Promise<boolean> {
  const rows = await returning<{ user_id: string }>(
    runner,
    `INSERT INTO oidc_identities (provider, subject, user_id, linked_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING user_id`,
    [link.provider, link.subject, link.userId, link.by],
  );
  return rows.length > 0;
}

/** Unlinks the account from the provider; answers whether a link existed. */
export async function unlinkIdentity(runner: SqlRunner, userId: string, provider: string): Promise<boolean> {
  return (await execute(runner, `DELETE FROM oidc_identities WHERE user_id = $1 AND provider = $2`, [userId, provider])) > 0;
}

export interface LinkedIdentityView {
  provider: string;
  linkedAt: string;
  linkedBy: 'invitation' | 'email';
}

export function listIdentities(runner: SqlRunner, userId: string): Promise<LinkedIdentityView[]> {
  return select<LinkedIdentityView>(
    runner,
    `SELECT provider, linked_at AS "linkedAt", linked_by AS "linkedBy" FROM oidc_identities WHERE user_id = $1 ORDER BY provider`,
    [userId],
  );
}

export async function insertInvitation(
  runner: SqlRunner,
  invitation: { tokenHash: Buffer; userId: string; kind: 'invitation' | 'email'; createdBy: string; ttlSeconds: number },
): Promise<{ id: string; expiresAt: Date }> {
  const [row] = await returning<{ id: string; expiresAt: Date }>(
    runner,
    `INSERT INTO oidc_link_invitations (token_hash, user_id, kind, created_by, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
     RETURNING id, expires_at AS "expiresAt"`,
    [invitation.tokenHash, invitation.userId, invitation.kind, invitation.createdBy, invitation.ttlSeconds],
  );
  return row;
}

/** An invitation still open (unused, unexpired) by the hash of its token. */
export async function findOpenInvitation(runner: SqlRunner, tokenHash: Buffer): Promise<{ id: string; userId: string } | undefined> {
  const [row] = await select<{ id: string; userId: string }>(
    runner,
    `SELECT id, user_id AS "userId" FROM oidc_link_invitations WHERE token_hash = $1 AND kind = 'invitation' AND used_at IS NULL AND expires_at > now()`,
    [tokenHash],
  );
  return row;
}

/** Uses an invitation up (by id, or the account's open email match); answers its account, or undefined when it is over. */
export async function useInvitation(runner: SqlRunner, id: string): Promise<string | undefined> {
  const [row] = await returning<{ user_id: string }>(
    runner,
    `UPDATE oidc_link_invitations SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
    [id],
  );
  return row?.user_id;
}

/** The open email-match invitation of the account whose email is this one (lower case), if any. */
export async function findEmailInvitation(runner: SqlRunner, email: string): Promise<{ id: string; userId: string } | undefined> {
  const [row] = await select<{ id: string; userId: string }>(
    runner,
    `SELECT i.id, i.user_id AS "userId" FROM oidc_link_invitations i JOIN users u ON u.id = i.user_id
      WHERE u.email = $1 AND i.kind = 'email' AND i.used_at IS NULL AND i.expires_at > now() AND u.disabled_at IS NULL
      ORDER BY i.created_at DESC LIMIT 1`,
    [email],
  );
  return row;
}

/** Records what a Pro Santé Connect sign-in proved: the RPPS and the profession, which replaces the declared one. */
export async function recordProvenProfession(runner: SqlRunner, userId: string, rpps: string, profession: string): Promise<{ changed: boolean }> {
  const [row] = await returning<{ changed: boolean }>(
    runner,
    `UPDATE users u SET rpps = $2, profession = $3, profession_source = 'prosanteconnect', profession_proven_at = now(), updated_at = now()
       FROM (SELECT profession, profession_source, rpps FROM users WHERE id = $1) old
      WHERE u.id = $1
      RETURNING (old.profession IS DISTINCT FROM $3 OR old.profession_source <> 'prosanteconnect' OR old.rpps IS DISTINCT FROM $2) AS changed`,
    [userId, rpps, profession],
  );
  return row ?? { changed: false };
}

/** A browser session opened through a provider: which, and its ID token sealed (for the logout's id_token_hint). */
export async function markSessionOidc(runner: SqlRunner, secretHash: Buffer, provider: string, kekId: string, sealed: Buffer): Promise<void> {
  await execute(runner, `UPDATE web_sessions SET oidc_provider = $2, oidc_kek_id = $3, oidc_id_token = $4 WHERE secret_hash = $1`, [
    secretHash,
    provider,
    kekId,
    sealed,
  ]);
}

export async function findSessionOidc(runner: SqlRunner, secretHash: Buffer): Promise<{ provider: string; kekId: string; sealed: Buffer } | undefined> {
  const [row] = await select<{ provider: string; kekId: string; sealed: Buffer }>(
    runner,
    `SELECT oidc_provider AS provider, oidc_kek_id AS "kekId", oidc_id_token AS sealed FROM web_sessions WHERE secret_hash = $1 AND oidc_provider IS NOT NULL`,
    [secretHash],
  );
  return row;
}
