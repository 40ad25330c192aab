import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts that hold against insiders (issue 10, part A):
 *
 * - `users.password_temporary`: a password set by an administrator (creation, reset, the bootstrap
 *   admin) must be replaced at the next login before any token is issued.
 * - `users.token_generation`: every access token carries the generation it was issued under; a
 *   password change, a disabled account, a role change or a removed second factor bumps it, so
 *   every earlier token, and every browser session (web_sessions.generation), stops at once
 *   (src/auth/auth.guard.ts).
 * - `users.totp_last_step`: the RFC 6238 time step of the last accepted code: a code is accepted
 *   only for a later step, so none is accepted twice. `users.second_factor_removed_at`: a removal
 *   the user has not been shown yet (the next login says so).
 * - `account_secrets`: secrets of an account sealed by the vault (the TOTP secret, and one being
 *   enrolled), bound to the account id and their purpose; `kek_id` as `case_keys` (rotation
 *   rewraps them, a KEK is retired only once none uses it).
 * - `auth_challenges`: the step between a password and a token (`password`: the temporary
 *   password must be replaced; `mfa`: the second factor), known by the SHA-256 of its token, single
 *   use, short-lived, locked after 5 wrong codes, valid only for the account's current generation.
 * - `auth_throttle` replaces `login_throttle`: failed logins per account (keyed by an HMAC of the
 *   email, so unknown emails count the same way and none is stored in clear) and per source
 *   address (an HMAC of it); progressive delay rather than a lock (src/auth/login-throttle.ts).
 * - `second_factor_removals`: removing a user's second factor is requested by one administrator
 *   and done only when a second person (another admin, or the auditor of the account's territory)
 *   confirms it.
 *
 * None of these tables holds a password, a secret in clear or a token: hashes, HMACs, ciphertexts.
 */
export class Accounts1795700000010 implements MigrationInterface {
  name = 'Accounts1795700000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A browser session (migration WebSessions) belongs to a generation, like a token.
      ALTER TABLE web_sessions ADD COLUMN generation integer NOT NULL DEFAULT 0;
      ALTER TABLE users
        ADD COLUMN password_temporary boolean NOT NULL DEFAULT false,
        ADD COLUMN token_generation integer NOT NULL DEFAULT 0 CHECK (token_generation >= 0),
        ADD COLUMN totp_last_step bigint,
        ADD COLUMN second_factor_removed_at timestamptz;

      CREATE TABLE account_secrets (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('totp', 'totp_pending')),
        kek_id text NOT NULL,
        sealed bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, purpose)
      );
      CREATE INDEX account_secrets_kek_idx ON account_secrets (kek_id);

      CREATE TABLE auth_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        step text NOT NULL CHECK (step IN ('password', 'mfa')),
        generation integer NOT NULL,
        failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX auth_challenges_user_idx ON auth_challenges (user_id);
      CREATE INDEX auth_challenges_expires_idx ON auth_challenges (expires_at);

      DROP TABLE login_throttle;
      CREATE TABLE auth_throttle (
        key bytea PRIMARY KEY CHECK (octet_length(key) = 32),
        kind text NOT NULL CHECK (kind IN ('account', 'address')),
        attempts integer NOT NULL CHECK (attempts >= 0),
        refused integer NOT NULL DEFAULT 0 CHECK (refused >= 0),
        window_start timestamptz NOT NULL,
        last_attempt_at timestamptz NOT NULL,
        blocked_until timestamptz NOT NULL
      );
      CREATE INDEX auth_throttle_last_idx ON auth_throttle (last_attempt_at);

      CREATE TABLE second_factor_removals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        requested_by uuid NOT NULL REFERENCES users (id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        confirmed_by uuid REFERENCES users (id),
        confirmed_at timestamptz,
        CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL)),
        CHECK (confirmed_by IS NULL OR (confirmed_by <> requested_by AND confirmed_by <> user_id))
      );
      -- At most one pending request per account.
      CREATE UNIQUE INDEX second_factor_removals_pending_idx ON second_factor_removals (user_id) WHERE confirmed_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE second_factor_removals;
      DROP TABLE auth_throttle;
      CREATE TABLE login_throttle (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        window_start timestamptz NOT NULL,
        attempts integer NOT NULL CHECK (attempts >= 0)
      );
      DROP TABLE auth_challenges;
      DROP TABLE account_secrets;
      ALTER TABLE web_sessions DROP COLUMN generation;
      ALTER TABLE users
        DROP COLUMN second_factor_removed_at,
        DROP COLUMN totp_last_step,
        DROP COLUMN token_generation,
        DROP COLUMN password_temporary;
    `);
  }
}
