import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, item 4 — when an action changed status: one row per change of an action's status (or
 * of its block reason), written by the same statement as the change (src/action-plans/actions.repository.ts),
 * so that the annual report counts an action done or blocked in the year it became so, not the
 * year of its last note. Categories and dates only (no text, no person). Actions done, blocked or
 * cancelled before this migration get one row at their last update: the best date known.
 * The row carries its territory and gets the row-level security of TerritoryRowSecurity.
 */
export class ActionStatusChanges1797100000002 implements MigrationInterface {
  name = 'ActionStatusChanges1797100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE action_status_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        action_id uuid NOT NULL REFERENCES actions(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        status text NOT NULL CHECK (status IN ('todo','in_progress','done','blocked','cancelled')),
        block_reason text CHECK (block_reason IN ('care_waiting_list','no_adapted_housing','person_unreachable','person_declined','awaiting_other_body','other')),
        at timestamptz NOT NULL,
        by_user_id uuid REFERENCES users(id),
        CHECK (block_reason IS NULL OR status = 'blocked')
      );
      CREATE INDEX action_status_changes_year_idx ON action_status_changes (territory_id, status, at);
      CREATE INDEX action_status_changes_action_idx ON action_status_changes (action_id);
      INSERT INTO action_status_changes (action_id, territory_id, status, block_reason, at, by_user_id)
        SELECT id, territory_id, status, block_reason, updated_at, updated_by FROM actions WHERE status IN ('done','blocked','cancelled') ORDER BY updated_at;
    `);
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    await q.query(`ALTER TABLE action_status_changes ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY territory_scope ON action_status_changes FOR ALL TO PUBLIC USING ${visible} WITH CHECK ${visible}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE action_status_changes`);
  }
}
