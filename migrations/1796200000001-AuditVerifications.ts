import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `audit_verifications`: where the server's verification of the audit chain got to, so that the
 * next one starts there and costs what was added since (src/audit/audit-verify.ts, `from`).
 *
 * Each row is a statement signed with the audit signing key ("at `verified_at`, the chain up to
 * sequence `seq`, entry `event_id`, hash `hash`, checkpoints up to `checkpoint_id`, recomputed
 * and intact"): the application role may insert rows (the server writes them), so a row is
 * believed only when its signature verifies with a key the verifier trusts. A forged row is
 * ignored and the verification starts further back (or from the beginning): it costs more, it
 * skips nothing. The application role may not update or delete rows; losing them only makes the
 * next verification a full one.
 */
export class AuditVerifications1796200000001 implements MigrationInterface {
  name = 'AuditVerifications1796200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_verifications (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seq bigint NOT NULL CHECK (seq >= 0),
        event_id bigint,
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        checkpoint_id bigint NOT NULL CHECK (checkpoint_id >= 0),
        mode text NOT NULL CHECK (mode IN ('full', 'incremental')),
        checked bigint NOT NULL CHECK (checked >= 0),
        verified_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature bytea NOT NULL CHECK (octet_length(signature) = 64)
      );
      REVOKE ALL ON audit_verifications FROM PUBLIC;
    `);
    await q.query(`
      DO $do$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_app') THEN
          REVOKE ALL ON audit_verifications FROM cellule_app;
          GRANT SELECT, INSERT ON audit_verifications TO cellule_app;
          EXECUTE format('GRANT USAGE ON SEQUENCE %s TO cellule_app', pg_get_serial_sequence('audit_verifications', 'id'));
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_auditor') THEN
          GRANT SELECT ON audit_verifications TO cellule_auditor;
        END IF;
      END
      $do$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_verifications`);
  }
}
