import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, items 3 and 4: the transparency code of a situation's latest consent receipt.
 *
 * - `transparency_codes`: one row per situation, the keyed digest of the code printed on the
 *   person's latest receipt (src/vault/vault.ts, transparencyDigest — never the code), who issued
 *   it and when. A new receipt replaces the row: the previous code stops working at once. The row
 *   carries its territory and gets the row-level security of TerritoryRowSecurity; the anonymous
 *   transparency page reads it through the explicit system door (asSystem('transparency')).
 * - `auth_throttle` counts the failed transparency attempts too, per client address and per
 *   situation reference (keyed hashes, as the logins' counts): two more kinds.
 *
 * The application role's grants come from the default privileges of AuditChain.
 */
export class TransparencyCodes1796900000001 implements MigrationInterface {
  name = 'TransparencyCodes1796900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE transparency_codes (
        case_id uuid PRIMARY KEY REFERENCES cases(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        digest bytea NOT NULL CHECK (octet_length(digest) = 32),
        issued_at timestamptz NOT NULL,
        issued_by_user_id uuid NOT NULL REFERENCES users(id)
      )`);
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    await q.query(`ALTER TABLE transparency_codes ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY territory_scope ON transparency_codes FOR ALL TO PUBLIC USING ${visible} WITH CHECK ${visible}`);
    await q.query(`ALTER TABLE auth_throttle DROP CONSTRAINT auth_throttle_kind_check`);
    await q.query(
      `ALTER TABLE auth_throttle ADD CONSTRAINT auth_throttle_kind_check CHECK (kind IN ('account', 'address', 'transparency_address', 'transparency_reference'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM auth_throttle WHERE kind IN ('transparency_address', 'transparency_reference')`);
    await q.query(`ALTER TABLE auth_throttle DROP CONSTRAINT auth_throttle_kind_check`);
    await q.query(`ALTER TABLE auth_throttle ADD CONSTRAINT auth_throttle_kind_check CHECK (kind IN ('account', 'address'))`);
    await q.query(`DROP TABLE transparency_codes`);
  }
}
