import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The kinds of notification (src/notifications/notification-kinds.ts holds the same list for the code). */
const KINDS = [
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
];

/**
 * Issue 13, item 2 — notifications (in the workspace, and by email).
 * - `notifications`: the outbox, one row per recipient and occurrence. Only kinds, references
 *   (case, session, action), a count (the agenda's size) and dates: never a protected value, a
 *   summary or a professional's text. `occurrence` names what caused it (ids, a version, a due
 *   date) and is unique per recipient and kind, so that a job run twice, or by two replicas, or an
 *   event retried, cannot tell anyone the same thing twice. The email's delivery state lives
 *   beside it: attempts, next attempt, the last error's category (never its message), sent at.
 *   The row carries its territory and gets the row-level security of TerritoryRowSecurity.
 * - `notification_preferences`: how each user wants to be told by email (immediately, in a daily
 *   digest, or not at all); no row: immediately. When the last digest went (one a day at most).
 * The application role's grants come from the default privileges of AuditChain.
 */
export class Notifications1796600000001 implements MigrationInterface {
  name = 'Notifications1796600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        territory_id uuid NOT NULL REFERENCES territories(id),
        recipient_user_id uuid NOT NULL REFERENCES users(id),
        kind text NOT NULL CHECK (kind IN (${KINDS.map((k) => `'${k}'`).join(', ')})),
        case_id uuid REFERENCES cases(id),
        session_id uuid REFERENCES sessions(id),
        action_id uuid REFERENCES actions(id),
        agenda_size integer CHECK (agenda_size >= 0),
        due_at timestamptz,
        occurrence text NOT NULL CHECK (occurrence ~ '^[0-9a-f:v.-]{1,120}$'),
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        email_status text NOT NULL DEFAULT 'pending' CHECK (email_status IN ('pending', 'sent', 'failed', 'skipped')),
        email_attempts integer NOT NULL DEFAULT 0 CHECK (email_attempts >= 0),
        email_next_attempt_at timestamptz,
        email_error text CHECK (email_error IN ('connection', 'timeout', 'authentication', 'rejected', 'other')),
        email_sent_at timestamptz,
        UNIQUE (recipient_user_id, kind, occurrence),
        CHECK ((email_status = 'sent') = (email_sent_at IS NOT NULL))
      );
      CREATE INDEX notifications_recipient_idx ON notifications (recipient_user_id, created_at DESC);
      CREATE INDEX notifications_unread_idx ON notifications (recipient_user_id) WHERE read_at IS NULL;
      CREATE INDEX notifications_delivery_idx ON notifications (email_next_attempt_at) WHERE email_status = 'pending';

      CREATE TABLE notification_preferences (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        email text NOT NULL CHECK (email IN ('immediate', 'daily_digest', 'none')),
        digest_sent_at timestamptz,
        updated_at timestamptz NOT NULL
      );
    `);
    // The row-level security of migration TerritoryRowSecurity.
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    await q.query(`ALTER TABLE notifications ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY territory_scope ON notifications FOR ALL TO PUBLIC USING ${visible} WITH CHECK ${visible}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_preferences, notifications`);
  }
}
