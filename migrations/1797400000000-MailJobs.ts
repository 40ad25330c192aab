import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createJobQueues, JOB_SCHEMA } from './1796500000001-JobQueue.js';

/**
 * Issue 13 — every email of the notifications is one pg-boss job (src/notifications/delivery.ts)
 * instead of a periodic round that sent them all:
 * - the queue `notification-email` (one-off jobs: one email, or one user's daily digest, enqueued
 *   in the transaction that writes the notification; pg-boss retries them with backoff), and the
 *   periodic round `notification-digest` (the digests that are due, and any email left waiting)
 *   replace the round `notification-delivery` (its schedule and queue go);
 * - `notifications.email_status` gains `queued` (a job will send it); the retry's next attempt
 *   is pg-boss's (`pgboss.job.start_after`), so `email_next_attempt_at` goes. Rows still
 *   `pending` are queued by the first round of `notification-digest` after the upgrade.
 */
export class MailJobs1797400000000 implements MigrationInterface {
  name = 'MailJobs1797400000000';

  async up(q: QueryRunner): Promise<void> {
    await createJobQueues(q, [
      { name: 'notification-email', policy: 'standard' },
      { name: 'notification-digest', policy: 'stately' },
    ]);
    await q.query(`DELETE FROM ${JOB_SCHEMA}.schedule WHERE name = 'notification-delivery'`);
    await q.query(`SELECT ${JOB_SCHEMA}.delete_queue('notification-delivery')`);
    await q.query(`
      DROP INDEX notifications_delivery_idx;
      ALTER TABLE notifications DROP COLUMN email_next_attempt_at;
      ALTER TABLE notifications DROP CONSTRAINT notifications_email_status_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_email_status_check CHECK (email_status IN ('pending', 'queued', 'sent', 'failed', 'skipped'));
      CREATE INDEX notifications_email_waiting_idx ON notifications (recipient_user_id) WHERE email_status = 'pending';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX notifications_email_waiting_idx;
      UPDATE notifications SET email_status = 'pending' WHERE email_status = 'queued';
      ALTER TABLE notifications DROP CONSTRAINT notifications_email_status_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_email_status_check CHECK (email_status IN ('pending', 'sent', 'failed', 'skipped'));
      ALTER TABLE notifications ADD COLUMN email_next_attempt_at timestamptz;
      CREATE INDEX notifications_delivery_idx ON notifications (email_next_attempt_at) WHERE email_status = 'pending';
    `);
    await q.query(`DELETE FROM ${JOB_SCHEMA}.schedule WHERE name IN ('notification-digest')`);
    await q.query(`SELECT ${JOB_SCHEMA}.delete_queue('notification-email')`);
    await q.query(`SELECT ${JOB_SCHEMA}.delete_queue('notification-digest')`);
    await createJobQueues(q, [{ name: 'notification-delivery', policy: 'stately' }]);
  }
}
