import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: tenants and accounts, commissions and sessions, cases with their persisted
 * machine, encrypted fields, consent, action plans, history and audit. Protected classes live
 * only in `case_fields` as ciphertext; every other table holds pseudonymous or clear metadata.
 */
export class InitialSchema1763890000000 implements MigrationInterface {
  name = 'InitialSchema1763890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE territories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        territory_id uuid NOT NULL REFERENCES territories(id),
        name text NOT NULL,
        sector text NOT NULL CHECK (sector IN ('health','social','housing','municipal','association','justice','education','coordination')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (territory_id, name)
      );
      CREATE INDEX organisations_territory_idx ON organisations (territory_id);

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        password_hash text NOT NULL,
        display_name text NOT NULL,
        organisation_id uuid REFERENCES organisations(id),
        territory_id uuid REFERENCES territories(id),
        roles text[] NOT NULL CHECK (roles <@ ARRAY['referrer','member','coordinator','auditor','admin']::text[] AND cardinality(roles) > 0),
        profession text NOT NULL DEFAULT 'none' CHECK (profession IN ('physician','nurse','psychologist','other_health','social_worker','educator','legal_guardian','social_care_staff','none')),
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX users_organisation_idx ON users (organisation_id);

      CREATE TABLE commissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        territory_id uuid NOT NULL REFERENCES territories(id),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (territory_id, name)
      );

      CREATE TABLE commission_members (
        commission_id uuid NOT NULL REFERENCES commissions(id),
        user_id uuid NOT NULL REFERENCES users(id),
        deputy_user_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (commission_id, user_id)
      );
      CREATE INDEX commission_members_user_idx ON commission_members (user_id);

      CREATE TABLE charter_versions (
        commission_id uuid NOT NULL REFERENCES commissions(id),
        version integer NOT NULL CHECK (version > 0),
        text text NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (commission_id, version)
      );

      CREATE TABLE charter_acceptances (
        commission_id uuid NOT NULL,
        version integer NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        accepted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (commission_id, version, user_id),
        FOREIGN KEY (commission_id, version) REFERENCES charter_versions(commission_id, version)
      );

      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        commission_id uuid NOT NULL REFERENCES commissions(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','open','closed')),
        opened_at timestamptz,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      );
      CREATE INDEX sessions_commission_idx ON sessions (commission_id, starts_at);

      CREATE TABLE session_attendance (
        session_id uuid NOT NULL REFERENCES sessions(id),
        user_id uuid NOT NULL REFERENCES users(id),
        charter_version integer NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, user_id)
      );

      CREATE TABLE reference_counters (
        territory_id uuid NOT NULL REFERENCES territories(id),
        year integer NOT NULL,
        last_value integer NOT NULL,
        PRIMARY KEY (territory_id, year)
      );

      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        territory_id uuid NOT NULL REFERENCES territories(id),
        commission_id uuid NOT NULL REFERENCES commissions(id),
        reference text NOT NULL,
        referrer_user_id uuid NOT NULL REFERENCES users(id),
        referrer_organisation_id uuid NOT NULL REFERENCES organisations(id),
        state text NOT NULL,
        snapshot jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        session_id uuid REFERENCES sessions(id),
        -- summary categories, clear for statistics; free text lives in case_fields
        age_band text,
        district text,
        household text,
        problems text[] NOT NULL DEFAULT '{}',
        partners_involved text[] NOT NULL DEFAULT '{}',
        minor_in_household boolean NOT NULL DEFAULT false,
        anonymous_review boolean NOT NULL DEFAULT false,
        -- keyed, truncated BLAKE2b of normalised names + birth date (duplicate detection, no names)
        identity_index text,
        follow_up_at timestamptz,
        outcome text,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (territory_id, reference)
      );
      CREATE INDEX cases_territory_state_idx ON cases (territory_id, state);
      CREATE INDEX cases_referrer_idx ON cases (referrer_user_id);
      CREATE INDEX cases_session_idx ON cases (session_id) WHERE session_id IS NOT NULL;
      CREATE INDEX cases_commission_idx ON cases (commission_id);
      CREATE INDEX cases_identity_index_idx ON cases (territory_id, identity_index) WHERE identity_index IS NOT NULL;

      -- The agenda of a session: every case ever scheduled on it (removed_at when unscheduled).
      CREATE TABLE agenda_items (
        session_id uuid NOT NULL REFERENCES sessions(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        position integer NOT NULL,
        scheduled_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz,
        PRIMARY KEY (session_id, case_id)
      );
      CREATE INDEX agenda_items_case_idx ON agenda_items (case_id);

      -- A professional invited to one session for one case only.
      CREATE TABLE session_invitations (
        session_id uuid NOT NULL REFERENCES sessions(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        user_id uuid NOT NULL REFERENCES users(id),
        invited_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, case_id, user_id)
      );

      -- One data key per case, wrapped by a key-encryption key of the keyring (kek_id).
      CREATE TABLE case_keys (
        case_id uuid PRIMARY KEY REFERENCES cases(id),
        kek_id text NOT NULL,
        wrapped_key bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz,
        destroyed_at timestamptz,
        CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
      );

      -- Ciphertext of protected values: nonce || XChaCha20-Poly1305 ciphertext, bound by AD.
      CREATE TABLE case_fields (
        case_id uuid NOT NULL REFERENCES cases(id),
        class text NOT NULL CHECK (class IN ('identity','health','social','summary','consent','plan')),
        field text NOT NULL,
        key_version integer NOT NULL,
        sealed bytea NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, class, field)
      );

      CREATE TABLE vault_keys (
        kek_id text PRIMARY KEY,
        check_value bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        decision text NOT NULL CHECK (decision IN ('granted','refused')),
        method text NOT NULL CHECK (method IN ('written','oral','representative')),
        informed_at timestamptz NOT NULL,
        informed_by_user_id uuid NOT NULL REFERENCES users(id),
        scope jsonb NOT NULL DEFAULT '[]',
        expires_at timestamptz,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        withdrawn_by_user_id uuid REFERENCES users(id)
      );
      CREATE INDEX consents_case_idx ON consents (case_id, recorded_at DESC);

      CREATE TABLE actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        title text NOT NULL,
        owner_organisation_id uuid NOT NULL REFERENCES organisations(id),
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo','in_progress','done','blocked')),
        plan_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id)
      );
      CREATE INDEX actions_case_idx ON actions (case_id);
      CREATE INDEX actions_owner_idx ON actions (owner_organisation_id, status);

      -- The event history: who, event, from, to, when. Never identifying data.
      CREATE TABLE case_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        event text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        version integer NOT NULL,
        actor_user_id uuid REFERENCES users(id),
        actor_organisation_id uuid REFERENCES organisations(id),
        at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, version)
      );

      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        organisation_id uuid,
        territory_id uuid,
        action text NOT NULL,
        case_id uuid,
        classes text[] NOT NULL DEFAULT '{}',
        decision text NOT NULL CHECK (decision IN ('allow','deny')),
        purpose text,
        request_id text,
        detail jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_events_case_idx ON audit_events (case_id, at);
      CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at);
      CREATE INDEX audit_events_at_idx ON audit_events (at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_events, case_events, actions, consents, vault_keys, case_fields, case_keys,
        session_invitations, agenda_items,
        cases, reference_counters, session_attendance, sessions, charter_acceptances,
        charter_versions, commission_members, commissions, users, organisations, territories;
    `);
  }
}
