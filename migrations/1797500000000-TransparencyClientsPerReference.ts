import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, item 4: the transparency page's limit per situation reference counts each client
 * once (policies/transparency.yaml `referenceMaxClients`), so that one client failing on purpose
 * cannot close a person's page. `auth_throttle` gets one more kind, `transparency_pair`: a keyed
 * hash of (reference, client) whose first failure in the window is what counts on the reference.
 */
export class TransparencyClientsPerReference1797500000000 implements MigrationInterface {
  name = 'TransparencyClientsPerReference1797500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth_throttle DROP CONSTRAINT auth_throttle_kind_check`);
    await q.query(
      `ALTER TABLE auth_throttle ADD CONSTRAINT auth_throttle_kind_check CHECK (kind IN ('account', 'address', 'transparency_address', 'transparency_reference', 'transparency_pair'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM auth_throttle WHERE kind = 'transparency_pair'`);
    await q.query(`ALTER TABLE auth_throttle DROP CONSTRAINT auth_throttle_kind_check`);
    await q.query(
      `ALTER TABLE auth_throttle ADD CONSTRAINT auth_throttle_kind_check CHECK (kind IN ('account', 'address', 'transparency_address', 'transparency_reference'))`,
    );
  }
}
