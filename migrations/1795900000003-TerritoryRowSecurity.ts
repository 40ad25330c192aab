import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables of one territory's work: every row carries its territory_id (NOT NULL). */
export const TERRITORIAL_TABLES = ['commissions', 'sessions', 'reference_counters', 'cases', 'actions', 'case_events'] as const;

/**
 * Row-level security by territory (DESIGN.md: a territory's data is visible to that territory's
 * work only). Every role but the owner (the migrations) and a superuser sees and writes only the
 * rows whose territory is listed in the transaction-local setting `cellule.territories` (ids
 * separated by commas, or `*` for all), which the server sets from the caller at the start of
 * every transaction (src/database/territory-scope.ts). Unset or empty: nothing — a query that
 * forgets its territory filter, or its scope, returns no row of another territory.
 *
 * RLS is enabled, not forced: the owner keeps seeing everything (it migrates); the application
 * role is neither owner nor BYPASSRLS (src/database/roles.ts refuses it otherwise in production).
 * The policy is for PUBLIC so that it also binds a role created later (an auditor's login).
 */
export class TerritoryRowSecurity1795900000003 implements MigrationInterface {
  name = 'TerritoryRowSecurity1795900000003';

  async up(q: QueryRunner): Promise<void> {
    // '*' and '' never reach the uuid cast (nullif): an OR does not order its evaluation.
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    for (const table of TERRITORIAL_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY territory_scope ON ${table} FOR ALL TO PUBLIC USING ${visible} WITH CHECK ${visible}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TERRITORIAL_TABLES) {
      await q.query(`DROP POLICY territory_scope ON ${table}`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
