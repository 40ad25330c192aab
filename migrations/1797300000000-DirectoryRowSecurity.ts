import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on the directory (issue 14, item 2): `organisations` and `users` under the
 * same per-transaction setting as the territorial tables (migration TerritoryRowSecurity,
 * `cellule.territories`). An organisation is visible to the work of its territory; an account to
 * the work of its organisation's territory (or of its own `territory_id` when it has no
 * organisation: an auditor attached to a territory); an account of no territory (an
 * administrator) only to the wide scope (`*`), like an audit entry of no territory.
 *
 * The directory is read before any caller scope exists — the route guard reads the token's
 * account, the sign-in steps read an account by its email or id — so those reads go through one
 * explicit door (src/users/account-door.ts), and the administrators' deployment-wide directory
 * work through the wide scope their routes already get (TerritoryScopeInterceptor, audited).
 *
 * An account's territory is its organisation's, read by the policy through the organisations
 * policy itself: an organisation the scope hides gives no territory, so its accounts are hidden
 * too. Enabled, not forced: the owner (migrations, backup, restore) sees every row.
 */
export class DirectoryRowSecurity1797300000000 implements MigrationInterface {
  name = 'DirectoryRowSecurity1797300000000';

  async up(q: QueryRunner): Promise<void> {
    // '*' and '' never reach the uuid cast (nullif): an OR does not order its evaluation.
    const setting = `current_setting('cellule.territories', true)`;
    const listed = (territory: string) => `${territory} = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[])`;
    const organisationVisible = `(${listed('territory_id')} OR ${setting} = '*')`;
    const accountTerritory = `coalesce((SELECT o.territory_id FROM organisations o WHERE o.id = users.organisation_id), users.territory_id)`;
    const accountVisible = `(${listed(accountTerritory)} OR ${setting} = '*')`;
    await q.query(`ALTER TABLE organisations ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY territory_scope ON organisations FOR ALL TO PUBLIC USING ${organisationVisible} WITH CHECK ${organisationVisible}`);
    await q.query(`ALTER TABLE users ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY territory_scope ON users FOR ALL TO PUBLIC USING ${accountVisible} WITH CHECK ${accountVisible}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY territory_scope ON users`);
    await q.query(`ALTER TABLE users DISABLE ROW LEVEL SECURITY`);
    await q.query(`DROP POLICY territory_scope ON organisations`);
    await q.query(`ALTER TABLE organisations DISABLE ROW LEVEL SECURITY`);
  }
}
