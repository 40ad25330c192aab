import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in with OpenID Connect providers (issue 16: ProConnect, Pro Santé Connect):
 *
 * - `oidc_identities`: an account linked to a provider's stable subject identifier (never the
 *   email: people change emails). One subject opens one account, an account has at most one
 *   subject per provider. Linked by an invitation or a confirmed email match, unlinked by an
 *   audited admin action (the row is deleted).
 * - `oidc_link_invitations`: a one-time invitation an admin issued for an account, known by the
 *   SHA-256 of its token (the token itself is shown once), expiring, single use.
 * - `oidc_logins`: a sign-in under way at a provider, known by the SHA-256 of the secret of a
 *   short-lived cookie that binds it to the browser: the `state` sent, the `nonce` expected, the
 *   PKCE verifier, the invitation being followed; single use (used_at). After the callback, when
 *   the account still has a second factor to pass, the row carries the account until then.
 * - `users.rpps` and `users.profession_source`: the RPPS number and profession a Pro Santé Connect
 *   sign-in proved (`prosanteconnect`), or the profession an admin declared (`declared`).
 * - `web_sessions.oidc_provider` / `oidc_id_token`: the provider a browser session came from and
 *   its ID token, sealed by the vault (for RP-initiated logout's id_token_hint).
 *
 * No email, name or other protected value is stored by these tables: ids, hashes, the subject
 * identifiers the providers issue, a sealed ID token.
 */
export class OidcIdentities1797200000000 implements MigrationInterface {
  name = 'OidcIdentities1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE oidc_identities (
        provider text NOT NULL CHECK (provider ~ '^[a-z0-9_]{1,40}$'),
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        linked_at timestamptz NOT NULL DEFAULT now(),
        linked_by text NOT NULL CHECK (linked_by IN ('invitation', 'email')),
        PRIMARY KEY (provider, subject),
        UNIQUE (user_id, provider)
      );

      CREATE TABLE oidc_link_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        -- email: the account's email is matched to the provider's (verified) one, then confirmed by the user.
        kind text NOT NULL CHECK (kind IN ('invitation', 'email')),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX oidc_link_invitations_user_idx ON oidc_link_invitations (user_id);

      CREATE TABLE oidc_logins (
        secret_hash bytea PRIMARY KEY CHECK (octet_length(secret_hash) = 32),
        provider text NOT NULL,
        state text NOT NULL,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        invitation_id uuid REFERENCES oidc_link_invitations (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        -- After the callback: the account whose second factor is still to pass, or the account an email matched (to confirm).
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        outcome text CHECK (outcome IN ('second_factor', 'confirm_email')),
        subject text,
        -- The provider's ID token until the session opens, sealed by the vault.
        kek_id text,
        id_token bytea,
        CHECK ((outcome IS NULL) = (user_id IS NULL))
      );

      ALTER TABLE users
        ADD COLUMN rpps text CHECK (rpps ~ '^[0-9]{11}$'),
        ADD COLUMN profession_source text NOT NULL DEFAULT 'declared' CHECK (profession_source IN ('declared', 'prosanteconnect')),
        ADD COLUMN profession_proven_at timestamptz,
        ADD CHECK ((profession_source = 'declared') = (profession_proven_at IS NULL));

      ALTER TABLE web_sessions
        ADD COLUMN oidc_provider text,
        ADD COLUMN oidc_kek_id text,
        ADD COLUMN oidc_id_token bytea;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE web_sessions DROP COLUMN oidc_id_token, DROP COLUMN oidc_kek_id, DROP COLUMN oidc_provider;
      ALTER TABLE users DROP COLUMN profession_proven_at, DROP COLUMN profession_source, DROP COLUMN rpps;
      DROP TABLE oidc_logins;
      DROP TABLE oidc_link_invitations;
      DROP TABLE oidc_identities;
    `);
  }
}
