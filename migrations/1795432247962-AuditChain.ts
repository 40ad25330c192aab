import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's group role: login roles of the API processes are made members of it. */
export const APP_ROLE = 'cellule_app';
/** The shortest retention the database accepts for a purge, whatever the policy says (policies/ allow 183–1095 days). */
export const MIN_AUDIT_RETENTION_DAYS = 183;

/**
 * The audit log becomes append-only and tamper-evident.
 *
 * - Chain columns on `audit_events` (`seq`, `prev_id`, `hash`): NULL when a request inserts the
 *   row, set once by the sealer (src/audit/audit-sealer.ts), never changed afterwards.
 * - `audit_checkpoints`: Ed25519-signed statements "at sequence n, entry id, the chain hash is h".
 * - Trigger `audit_append_only` (for every role, owner and superuser included): INSERT only with
 *   empty chain columns; UPDATE only to set the chain columns from NULL, nothing else changing;
 *   DELETE only of sealed rows inside `audit_purge()` (it sets the transaction-local
 *   `cellule.audit_purge`); TRUNCATE never. Checkpoints: no UPDATE, DELETE or TRUNCATE at all.
 * - `audit_seal()` and `audit_purge()`: SECURITY DEFINER doors, so the application role needs no
 *   UPDATE or DELETE privilege on the audit tables. `audit_purge` refuses entries younger than
 *   183 days, a prefix not covered by a purge checkpoint, and any entry of the prefix younger than
 *   the cut-off.
 * - Role `cellule_app` (created when missing and the migrating role may create roles): DML on
 *   the other tables, SELECT + INSERT only on the audit tables, EXECUTE on the two doors.
 *
 * A superuser can still disable triggers: that is what the hash chain and the signatures detect.
 */
export class AuditChain1795432247962 implements MigrationInterface {
  name = 'AuditChain1795432247962';

  async up(q: QueryRunner): Promise<void> {
    const [{ schema }] = (await q.query(`SELECT quote_ident(current_schema()) AS schema`)) as { schema: string }[];
    await q.query(`
      ALTER TABLE audit_events
        ADD COLUMN seq bigint,
        ADD COLUMN prev_id bigint,
        ADD COLUMN hash bytea,
        ADD CONSTRAINT audit_events_chain_check CHECK (
          (seq IS NULL) = (hash IS NULL) AND (prev_id IS NULL OR seq IS NOT NULL)
          AND (seq IS NULL OR seq > 0) AND (hash IS NULL OR octet_length(hash) = 32));
      CREATE UNIQUE INDEX audit_events_seq_idx ON audit_events (seq) WHERE seq IS NOT NULL;
      -- What the sealer looks for: small, whatever the size of the log.
      CREATE INDEX audit_events_unsealed_idx ON audit_events (id) WHERE seq IS NULL;
      CREATE INDEX audit_events_organisation_idx ON audit_events (organisation_id, at);

      CREATE TABLE audit_checkpoints (
        id bigint PRIMARY KEY CHECK (id > 0),
        kind text NOT NULL CHECK (kind IN ('seal','purge')),
        seq bigint NOT NULL CHECK (seq > 0),
        event_id bigint NOT NULL,
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        entries bigint NOT NULL CHECK (entries >= 0),
        created_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature bytea NOT NULL CHECK (octet_length(signature) = 64)
      );
      CREATE INDEX audit_checkpoints_seq_idx ON audit_checkpoints (seq);

      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          RAISE EXCEPTION 'the audit log is append-only: TRUNCATE of % refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_TABLE_NAME = 'audit_events' THEN
          IF TG_OP = 'INSERT' THEN
            IF NEW.seq IS NULL AND NEW.prev_id IS NULL AND NEW.hash IS NULL THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit entries are inserted unsealed: only the sealer sets seq, prev_id and hash' USING ERRCODE = 'insufficient_privilege';
          ELSIF TG_OP = 'UPDATE' THEN
            IF OLD.seq IS NULL AND OLD.prev_id IS NULL AND OLD.hash IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
               AND (to_jsonb(NEW) - ARRAY['seq','prev_id','hash']) = (to_jsonb(OLD) - ARRAY['seq','prev_id','hash']) THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION 'the audit log is append-only: entry % cannot be changed', OLD.id USING ERRCODE = 'insufficient_privilege';
          ELSIF TG_OP = 'DELETE' THEN
            IF OLD.seq IS NOT NULL AND current_setting('cellule.audit_purge', true) = 'on' THEN
              RETURN OLD;
            END IF;
            RAISE EXCEPTION 'the audit log is append-only: entry % cannot be deleted (only the retention purge removes sealed entries)', OLD.id
              USING ERRCODE = 'insufficient_privilege';
          END IF;
        END IF;
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END
      $fn$;

      CREATE TRIGGER audit_events_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

      -- The sealer's door: sets the chain columns of unsealed entries, right after the chain tip.
      CREATE FUNCTION audit_seal(p_first_seq bigint, p_ids bigint[], p_prev_ids bigint[], p_hashes bytea[]) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
      DECLARE
        tip bigint;
        n integer;
      BEGIN
        IF cardinality(p_ids) IS NULL OR cardinality(p_ids) <> cardinality(p_prev_ids) OR cardinality(p_ids) <> cardinality(p_hashes) THEN
          RAISE EXCEPTION 'audit_seal: the arrays must have one element per entry';
        END IF;
        SELECT greatest(coalesce((SELECT max(seq) FROM ${schema}.audit_events), 0), coalesce((SELECT max(seq) FROM ${schema}.audit_checkpoints), 0)) INTO tip;
        IF p_first_seq IS DISTINCT FROM tip + 1 THEN
          RAISE EXCEPTION 'audit_seal: the chain continues at %, not %', tip + 1, p_first_seq USING ERRCODE = 'serialization_failure';
        END IF;
        UPDATE ${schema}.audit_events e SET seq = p_first_seq + u.ord - 1, prev_id = u.prev_id, hash = u.hash
          FROM unnest(p_ids, p_prev_ids, p_hashes) WITH ORDINALITY AS u(id, prev_id, hash, ord)
         WHERE e.id = u.id AND e.seq IS NULL;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n <> cardinality(p_ids) THEN
          RAISE EXCEPTION 'audit_seal: % of % entries were missing or already sealed', cardinality(p_ids) - n, cardinality(p_ids) USING ERRCODE = 'serialization_failure';
        END IF;
        RETURN n;
      END
      $fn$;

      -- The retention job's door: deletes a sealed prefix, older than the cut-off, covered by a purge checkpoint.
      CREATE FUNCTION audit_purge(p_through_seq bigint, p_cutoff timestamptz, p_checkpoint_id bigint) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
      DECLARE
        n bigint;
      BEGIN
        IF p_cutoff IS NULL OR p_cutoff > now() - interval '${MIN_AUDIT_RETENTION_DAYS} days' THEN
          RAISE EXCEPTION 'audit_purge: audit entries are kept at least ${MIN_AUDIT_RETENTION_DAYS} days' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT EXISTS (
          SELECT 1 FROM ${schema}.audit_checkpoints c JOIN ${schema}.audit_events e ON e.seq = c.seq
           WHERE c.id = p_checkpoint_id AND c.kind = 'purge' AND c.seq = p_through_seq AND c.event_id = e.id AND c.hash = e.hash) THEN
          RAISE EXCEPTION 'audit_purge: no purge checkpoint over the entries up to %', p_through_seq USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM ${schema}.audit_events WHERE seq <= p_through_seq AND at >= p_cutoff) THEN
          RAISE EXCEPTION 'audit_purge: the prefix up to % holds entries younger than the cut-off', p_through_seq USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('cellule.audit_purge', 'on', true);
        DELETE FROM ${schema}.audit_events WHERE seq <= p_through_seq;
        GET DIAGNOSTICS n = ROW_COUNT;
        PERFORM set_config('cellule.audit_purge', 'off', true);
        RETURN n;
      END
      $fn$;
      REVOKE ALL ON FUNCTION audit_seal(bigint, bigint[], bigint[], bytea[]) FROM PUBLIC;
      REVOKE ALL ON FUNCTION audit_purge(bigint, timestamptz, bigint) FROM PUBLIC;
      REVOKE ALL ON audit_events, audit_checkpoints FROM PUBLIC;
    `);
    await q.query(`
      DO $do$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
            BEGIN
              CREATE ROLE ${APP_ROLE} NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
              NULL; -- created meanwhile by a migration of another database of the cluster
            END;
          ELSE
            RAISE NOTICE 'role ${APP_ROLE} does not exist and % may not create it: create it, then grant as in the README', current_user;
          END IF;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          GRANT USAGE ON SCHEMA ${schema} TO ${APP_ROLE};
          GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${APP_ROLE};
          GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${APP_ROLE};
          ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE};
          ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE};
          REVOKE ALL ON audit_events, audit_checkpoints, schema_migrations FROM ${APP_ROLE};
          GRANT SELECT, INSERT ON audit_events, audit_checkpoints TO ${APP_ROLE};
          GRANT SELECT ON schema_migrations TO ${APP_ROLE};
          GRANT EXECUTE ON FUNCTION audit_seal(bigint, bigint[], bigint[], bytea[]), audit_purge(bigint, timestamptz, bigint) TO ${APP_ROLE};
        END IF;
      END
      $do$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $do$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM ${APP_ROLE}', current_schema());
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM ${APP_ROLE}', current_schema());
        END IF;
      END
      $do$;
      DROP FUNCTION audit_purge(bigint, timestamptz, bigint);
      DROP FUNCTION audit_seal(bigint, bigint[], bigint[], bytea[]);
      DROP TRIGGER audit_events_append_only ON audit_events;
      DROP TRIGGER audit_events_no_truncate ON audit_events;
      DROP TABLE audit_checkpoints;
      DROP FUNCTION audit_append_only();
      DROP INDEX audit_events_organisation_idx;
      DROP INDEX audit_events_unsealed_idx;
      DROP INDEX audit_events_seq_idx;
      ALTER TABLE audit_events DROP CONSTRAINT audit_events_chain_check, DROP COLUMN seq, DROP COLUMN prev_id, DROP COLUMN hash;
    `);
  }
}
