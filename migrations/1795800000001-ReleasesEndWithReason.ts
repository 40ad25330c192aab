import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10, part B — releases that end with their reason, and no identity oracle:
 * - `agenda_items.concluded_at`: the plan was adopted in that session; the case has left its open
 *   agenda (attendees stop seeing it) but stays in the session's record;
 * - `actions.assignee_user_id`: the professional the coordinator named on an action (with the
 *   commission's members, the only ones its ownership releases anything to);
 * - `consents.withdrawal_method`: how the person said they withdraw (who recorded it is
 *   `withdrawn_by_user_id`);
 * - `held_texts`: texts that name the person, written by someone who may not see the identity,
 *   held for the referrer's review (the text itself is sealed in case_fields, class identity,
 *   field `held_<field>`); holds ids and times only.
 * The cellule_app role gets DML on the new table by the default privileges of AuditChain1795432247962.
 */
export class ReleasesEndWithReason1795800000001 implements MigrationInterface {
  name = 'ReleasesEndWithReason1795800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE agenda_items ADD COLUMN concluded_at timestamptz;
      ALTER TABLE actions ADD COLUMN assignee_user_id uuid REFERENCES users(id);
      CREATE INDEX actions_case_version_idx ON actions (case_id, plan_version);
      ALTER TABLE consents ADD COLUMN withdrawal_method text CHECK (withdrawal_method IN ('written','oral','representative'));
      CREATE TABLE held_texts (
        case_id uuid NOT NULL REFERENCES cases(id),
        field text NOT NULL,
        label text NOT NULL,
        author_user_id uuid REFERENCES users(id),
        held_at timestamptz NOT NULL,
        PRIMARY KEY (case_id, field)
      );
      CREATE INDEX sessions_open_end_idx ON sessions (ends_at) WHERE status = 'open';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX sessions_open_end_idx;
      DROP TABLE held_texts;
      ALTER TABLE consents DROP COLUMN withdrawal_method;
      DROP INDEX actions_case_version_idx;
      ALTER TABLE actions DROP COLUMN assignee_user_id;
      ALTER TABLE agenda_items DROP COLUMN concluded_at;
    `);
  }
}
