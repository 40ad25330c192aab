import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on `audit_events` by territory (issue 14, item 2), as 1795900000003-TerritoryRowSecurity
 * for reading: the application role sees only the entries of the territories of its unit of work
 * (`cellule.territories`), and an entry of no territory (a sign-in, the system's work) only with
 * the wide scope (`*`). Writing stays open to every territory: a request appends entries about
 * what it was refused elsewhere too (another territory's situation, logged with that territory),
 * and an INSERT without RETURNING never reads a row back. The chain columns are written by the
 * sealing function only (SECURITY DEFINER, its owner's rights), never by the application role.
 *
 * Who reads the whole log goes through the explicit wide door (`asSystem`): the sealer, the
 * verification, the purge, the erasure journal's replay; the offline verifier connects as
 * `cellule_auditor`, whose role reads every entry (its own policy): read-only, that is its use.
 *
 * Not under row-level security (README, Security model): `territories` (no territory of its own
 * beyond its id: the list every admin screen names), `organisations` and `users` (the directory,
 * read before the caller — hence their scope — is known: authentication of every request).
 */
export class AuditRowSecurity1796800000000 implements MigrationInterface {
  name = 'AuditRowSecurity1796800000000';

  async up(q: QueryRunner): Promise<void> {
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    await q.query(`ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY territory_scope_read ON audit_events FOR SELECT TO PUBLIC USING ${visible}`);
    await q.query(`CREATE POLICY append_any_territory ON audit_events FOR INSERT TO PUBLIC WITH CHECK (true)`);
    await q.query(`DO $do$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_auditor') THEN
        CREATE POLICY auditor_reads_all ON audit_events FOR SELECT TO cellule_auditor USING (true);
      END IF;
    END $do$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY IF EXISTS auditor_reads_all ON audit_events`);
    await q.query(`DROP POLICY append_any_territory ON audit_events`);
    await q.query(`DROP POLICY territory_scope_read ON audit_events`);
    await q.query(`ALTER TABLE audit_events DISABLE ROW LEVEL SECURITY`);
  }
}
