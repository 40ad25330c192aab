import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One projection of the case snapshot (src/cases/projection.ts):
 * - `closure` (how a case ended: rejected, refused, outcome, withdrawn, expired) gets its own
 *   column, read by the statistics instead of the snapshot's jsonb;
 * - `outcome` holds the outcome category of a CLOSE only (a withdrawal used to write 'withdrawn'
 *   there while the snapshot said closure 'withdrawn' and outcome null);
 * - the machine now groups its open states under parent states (`open`, `open.taken_up`), so the
 *   persisted state values are nested: `{ "open": "draft" }`, `{ "open": { "taken_up": "scheduled" } }`.
 */
export class CaseProjection1795600000000 implements MigrationInterface {
  name = 'CaseProjection1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases ADD COLUMN closure text CHECK (closure IN ('rejected','refused','outcome','withdrawn','expired'));
      UPDATE cases SET closure = snapshot->'context'->>'closure', outcome = snapshot->'context'->>'outcome';
      UPDATE cases SET snapshot = jsonb_set(snapshot, '{value}',
        CASE
          WHEN state IN ('draft','submitted','awaiting_consent','consent_refused') THEN jsonb_build_object('open', state)
          WHEN state IN ('ready_for_review','scheduled','in_review','plan_active','follow_up') THEN jsonb_build_object('open', jsonb_build_object('taken_up', state))
          ELSE to_jsonb(state)
        END);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE cases SET snapshot = jsonb_set(snapshot, '{value}', to_jsonb(state));
      UPDATE cases SET outcome = 'withdrawn' WHERE closure = 'withdrawn';
      ALTER TABLE cases DROP COLUMN closure;
    `);
  }
}
