import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The third role of a deployment: `cellule_auditor`, SELECT on the audit tables and nothing else
 * (an auditor's offline verification, `npm run audit:verify`, connects as a login role of it).
 * Created NOLOGIN when missing and the migrating role may create roles (docker-compose's init
 * script creates it beforehand, with a password). Nobody but the owner may create objects in the
 * schema (PostgreSQL 15+ already revokes CREATE from PUBLIC on a new `public`; an older schema may
 * still allow it).
 */
export class AuditorRole1795900000001 implements MigrationInterface {
  name = 'AuditorRole1795900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $do$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_auditor')
           AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
          BEGIN
            CREATE ROLE cellule_auditor NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
          END;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_auditor') THEN
          EXECUTE format('GRANT USAGE ON SCHEMA %I TO cellule_auditor', current_schema());
          GRANT SELECT ON audit_events, audit_checkpoints TO cellule_auditor;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = current_schema() AND pg_has_role(current_user, nspowner, 'USAGE')) THEN
          EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
        END IF;
      END
      $do$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $do$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_auditor') THEN
          REVOKE ALL ON audit_events, audit_checkpoints FROM cellule_auditor;
          EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM cellule_auditor', current_schema());
        END IF;
      END
      $do$;
    `);
  }
}
