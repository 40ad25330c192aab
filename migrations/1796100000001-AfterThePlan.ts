import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, part B — after the plan: the plan is revised (actions carried over into the next plan
 * version with a reason, or cancelled with a reason), and action notes become a thread.
 * - `actions.status` may be `cancelled` (by a revision only; an update never sets it);
 * - `carry_reason`, `carried_at`: why an unfinished action went on into a revised plan;
 * - `cancel_reason`: why a revision cancelled it;
 * - `notes`: the thread's entries in order — number, author, organisation, time; the text of each
 *   is sealed in case_fields (class plan, field `note_<action>_<n>`), never here.
 * Reasons are categories (no free text): they may stay in clear.
 */
export class AfterThePlan1796100000001 implements MigrationInterface {
  name = 'AfterThePlan1796100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE actions DROP CONSTRAINT actions_status_check;
      ALTER TABLE actions ADD CONSTRAINT actions_status_check CHECK (status IN ('todo','in_progress','done','blocked','cancelled'));
      ALTER TABLE actions ADD COLUMN carry_reason text CHECK (carry_reason IN ('circumstances_changed','agency_did_not_act','person_declined'));
      ALTER TABLE actions ADD COLUMN carried_at timestamptz;
      ALTER TABLE actions ADD COLUMN cancel_reason text CHECK (cancel_reason IN ('circumstances_changed','agency_did_not_act','person_declined','no_longer_needed'));
      ALTER TABLE actions ADD COLUMN notes jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE actions ADD CONSTRAINT actions_cancel_reason_check2 CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE actions DROP CONSTRAINT actions_cancel_reason_check2;
      ALTER TABLE actions DROP COLUMN notes, DROP COLUMN cancel_reason, DROP COLUMN carried_at, DROP COLUMN carry_reason;
      UPDATE actions SET status = 'blocked' WHERE status = 'cancelled';
      ALTER TABLE actions DROP CONSTRAINT actions_status_check;
      ALTER TABLE actions ADD CONSTRAINT actions_status_check CHECK (status IN ('todo','in_progress','done','blocked'));
    `);
  }
}
