import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Why an action is blocked (src/action-plans/dto/update-action.dto.ts BLOCK_REASONS holds the same list for the code). */
const REASONS = ['care_waiting_list', 'no_adapted_housing', 'person_unreachable', 'person_declined', 'awaiting_other_body', 'other'];

/**
 * Issue 13, item 5 — why an action is blocked: setting an action to `blocked` names a reason
 * category (what the territory lacks: a CMP's waiting list, adapted housing…), counted in the
 * "blocages" table. A category, never free text: it stays in clear. Only a blocked action holds
 * one; actions blocked before this migration have none (counted as `not_given`).
 */
export class ActionBlockReason1797100000001 implements MigrationInterface {
  name = 'ActionBlockReason1797100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE actions ADD COLUMN block_reason text CHECK (block_reason IN (${REASONS.map((r) => `'${r}'`).join(', ')}));
      ALTER TABLE actions ADD CONSTRAINT actions_block_reason_blocked CHECK (block_reason IS NULL OR status = 'blocked');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE actions DROP CONSTRAINT actions_block_reason_blocked; ALTER TABLE actions DROP COLUMN block_reason;`);
  }
}
