import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The kinds of notification before (migrations Notifications and RightsRequests) and with this migration's one. */
const KINDS_BEFORE = [
  'referral_to_screen',
  'referral_accepted',
  'referral_sent_back',
  'referral_rejected',
  'case_on_agenda',
  'session_convocation',
  'action_assigned',
  'action_due_soon',
  'action_overdue',
  'follow_up_due',
  'consent_expiring',
  'consent_expired',
  'session_record_closed',
  'rights_rectification_forwarded',
  'rights_request_due_soon',
  'rights_request_due',
];
const KINDS = [...KINDS_BEFORE, 'rights_handler_named'];
const kindCheck = (kinds: string[]) => `CHECK (kind IN (${kinds.map((k) => `'${k}'`).join(', ')}))`;

/**
 * Issue 15: the professional the coordinator names to hand a person the copy of her data is told
 * so (a notification with no reference and no content): the notifications' kind CHECK re-created.
 */
export class RightsHandlerNotification1797000000002 implements MigrationInterface {
  name = 'RightsHandlerNotification1797000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check, ADD CONSTRAINT notifications_kind_check ${kindCheck(KINDS)}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE kind = 'rights_handler_named'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check, ADD CONSTRAINT notifications_kind_check ${kindCheck(KINDS_BEFORE)}`);
  }
}
