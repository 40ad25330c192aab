/** The notifications tables (migration Notifications). Thin: who is told what is decided in notifier.ts. */
import { isMemberSql, recordCaseIdsSql } from '../commissions/attendance.sql.js';
import { JOB_SCHEMA } from '../../migrations/1796500000001-JobQueue.js';
import { execute, preparedQuery, returning, select, type SqlRunner } from '../database/sql.js';
import type { DeliveryError, EmailPreference, NotificationKind } from './notification-kinds.js';

/** One notification to write for each of `recipients` (duplicates of an occurrence are ignored). */
export interface NewNotifications {
  recipients: readonly string[];
  territoryId: string;
  kind: NotificationKind;
  caseId?: string | null;
  sessionId?: string | null;
  actionId?: string | null;
  agendaSize?: number | null;
  dueAt?: Date | string | null;
  /** What caused it (ids, a version, a date as epoch seconds): unique per recipient and kind. */
  occurrence: string;
  at: Date;
}

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

/** Answers the ids of the rows written (the ones already there are not written again). */
export async function insertNotifications(db: SqlRunner, n: NewNotifications): Promise<string[]> {
  if (!n.recipients.length) return [];
  return idsOf(
    await select<{ id: string }>(
      db,
      `INSERT INTO notifications (territory_id, recipient_user_id, kind, case_id, session_id, action_id, agenda_size, due_at, occurrence, created_at)
       SELECT $1, r, $2, $3, $4, $5, $6, $7, $8, $9 FROM unnest($10::uuid[]) AS r
       ON CONFLICT (recipient_user_id, kind, occurrence) DO NOTHING RETURNING id`,
      [
        n.territoryId,
        n.kind,
        n.caseId ?? null,
        n.sessionId ?? null,
        n.actionId ?? null,
        n.agendaSize ?? null,
        n.dueAt ?? null,
        n.occurrence,
        n.at,
        [...new Set(n.recipients)],
      ],
    ),
  );
}

// ------------------------------------------------------------------ recipients (ids of active users)

const ids = async (db: SqlRunner, text: string, params: unknown[]) => (await select<{ id: string }>(db, text, params)).map((r) => r.id);

/**
 * The active accounts of the territory with one of `roles` (the roles that hold the coordinator
 * relation): those of its organisations, and those of no organisation attached to it directly (an
 * account's territory is its organisation's, else its own). Read on every FOLLOW_UP_DUE and SUBMIT,
 * so written for row-level security: from the territory's organisations through their indexes, the
 * users policy (one sub-select per row it sees) then judges those few accounts — a
 * `coalesce(o.territory_id, u.territory_id) = $1` over a LEFT JOIN made it judge every account of the
 * directory (1.2 ms for 200 accounts). Prepared: planning it took as long again on every call.
 */
export async function coordinatorsOf(db: SqlRunner, territoryId: string, roles: readonly string[]): Promise<string[]> {
  const rows = await preparedQuery<{ id: string }[]>(
    db,
    `SELECT u.id FROM organisations o JOIN users u ON u.organisation_id = o.id
      WHERE o.territory_id = $1 AND u.roles && $2::text[] AND u.disabled_at IS NULL
     UNION ALL
     SELECT u.id FROM users u
      WHERE u.organisation_id IS NULL AND u.territory_id = $1 AND u.roles && $2::text[] AND u.disabled_at IS NULL
     ORDER BY 1`,
    [territoryId, roles],
  );
  return rows.map((r) => r.id);
}

/** The referrer of the case, if their account is active. */
export function referrerOf(db: SqlRunner, caseId: string): Promise<string[]> {
  return ids(db, `SELECT u.id FROM cases c JOIN users u ON u.id = c.referrer_user_id WHERE c.id = $1 AND u.disabled_at IS NULL`, [caseId]);
}

/**
 * Who is expected at the session `s` (an alias of a `sessions` row): the members of its
 * commission and their deputies, and the professionals invited to it — active accounts only.
 */
function expectedAttendeesSql(s: string): string {
  return `(SELECT u.id AS user_id FROM users u
            WHERE u.disabled_at IS NULL
              AND (EXISTS (SELECT 1 FROM commission_members cm WHERE cm.commission_id = ${s}.commission_id AND (cm.user_id = u.id OR cm.deputy_user_id = u.id))
                OR EXISTS (SELECT 1 FROM session_invitations si WHERE si.session_id = ${s}.id AND si.user_id = u.id)))`;
}

export function expectedAttendeesOf(db: SqlRunner, sessionId: string): Promise<string[]> {
  return ids(db, `SELECT r.user_id AS id FROM sessions s CROSS JOIN LATERAL ${expectedAttendeesSql('s')} r WHERE s.id = $1 ORDER BY 1`, [sessionId]);
}

/** Whose presence the session's attendance sheet records (by themself or ticked by the coordinator): active accounts. */
export function recordedAttendeesOf(db: SqlRunner, sessionId: string): Promise<string[]> {
  return ids(db, `SELECT u.id FROM session_attendance sa JOIN users u ON u.id = sa.user_id WHERE sa.session_id = $1 AND u.disabled_at IS NULL ORDER BY u.id`, [
    sessionId,
  ]);
}

/**
 * The situations the session's record holds (src/commissions/attendance.sql.ts, recordCaseIdsSql),
 * each with its referrer when their account is active: who is told that the record is closed.
 */
export function recordReferrersOf(db: SqlRunner, sessionId: string): Promise<{ caseId: string; userId: string }[]> {
  return select<{ caseId: string; userId: string }>(
    db,
    `SELECT c.id AS "caseId", u.id AS "userId"
       FROM sessions s JOIN cases c ON c.id IN ${recordCaseIdsSql('s.id', 's.opened_at')}
       JOIN users u ON u.id = c.referrer_user_id AND u.disabled_at IS NULL
      WHERE s.id = $1 ORDER BY c.id`,
    [sessionId],
  );
}

/** The session's commission-side facts a convocation or an agenda notice says: its territory and start, the agenda's size. */
export async function sessionFacts(db: SqlRunner, sessionId: string): Promise<{ territoryId: string; startsAt: Date; agendaSize: number } | undefined> {
  const [row] = await select<{ territoryId: string; startsAt: Date; agendaSize: number }>(
    db,
    `SELECT s.territory_id AS "territoryId", s.starts_at AS "startsAt",
            (SELECT count(*) FROM agenda_items ai WHERE ai.session_id = s.id AND ai.removed_at IS NULL)::int AS "agendaSize"
       FROM sessions s WHERE s.id = $1`,
    [sessionId],
  );
  return row;
}

/**
 * Who is told about the action `a` (an alias of an `actions` row, of the case `c`): the
 * professional named on it, or else the accounts of the owning organisation that can own an
 * action (`roles`, the placeholder of the roles holding action_owner) and were vouched for by the
 * coordinator as members or deputies of the case's commission — the ones who can see the action
 * (src/cases/case.repository.ts, ownsActionSql). Active accounts only.
 */
function actionRecipientsSql(a: string, c: string, roles: string): string {
  return `(SELECT u.id AS user_id FROM users u
            WHERE u.disabled_at IS NULL
              AND ((${a}.assignee_user_id IS NOT NULL AND u.id = ${a}.assignee_user_id)
                OR (${a}.assignee_user_id IS NULL AND u.organisation_id = ${a}.owner_organisation_id AND u.roles && ${roles}::text[]
                    AND ${isMemberSql(`${c}.commission_id`, 'u.id')})))`;
}

/**
 * The actions written at `at` on the case (a plan adopted or revised in this transition), each told
 * to its owners; and an action carried over to a named professional (REVISE_PLAN), told to them —
 * whoever was already told about that action is not told again.
 */
export async function notifyNewActions(db: SqlRunner, caseId: string, at: Date, roles: readonly string[], exclude: string | null): Promise<string[]> {
  return idsOf(
    await select<{ id: string }>(
      db,
      `INSERT INTO notifications (territory_id, recipient_user_id, kind, case_id, action_id, due_at, occurrence, created_at)
       SELECT a.territory_id, r.user_id, 'action_assigned', a.case_id, a.id, a.due_at, a.id::text, $2
         FROM actions a JOIN cases c ON c.id = a.case_id CROSS JOIN LATERAL ${actionRecipientsSql('a', 'c', '$3')} r
        WHERE a.case_id = $1 AND a.status NOT IN ('done', 'cancelled') AND r.user_id IS DISTINCT FROM $4::uuid
          AND (a.created_at = $2 OR (a.updated_at = $2 AND a.assignee_user_id IS NOT NULL))
       ON CONFLICT (recipient_user_id, kind, occurrence) DO NOTHING RETURNING id`,
      [caseId, at, roles, exclude],
    ),
  );
}

// ------------------------------------------------------------------ time-driven kinds (set-based, idempotent)

const OPEN_ACTION = `a.status IN ('todo', 'in_progress', 'blocked')
   AND a.plan_version = (SELECT max(v.plan_version) FROM actions v WHERE v.case_id = a.case_id)
   AND c.state IN ('plan_active', 'follow_up')`;

/** Open actions of running plans due within `days` days (`soon`), or past due (`overdue`), told once per due date. */
export async function notifyActionsDue(db: SqlRunner, which: 'soon' | 'overdue', now: Date, days: number, roles: readonly string[]): Promise<string[]> {
  const window = which === 'soon' ? `a.due_at > $1 AND a.due_at <= $1::timestamptz + make_interval(days => $2::int)` : `a.due_at <= $1 AND $2::int >= 0`;
  return idsOf(
    await select<{ id: string }>(
      db,
      `INSERT INTO notifications (territory_id, recipient_user_id, kind, case_id, action_id, due_at, occurrence, created_at)
       SELECT a.territory_id, r.user_id, $4, a.case_id, a.id, a.due_at, a.id::text || ':' || floor(extract(epoch FROM a.due_at))::bigint, $1
         FROM actions a JOIN cases c ON c.id = a.case_id CROSS JOIN LATERAL ${actionRecipientsSql('a', 'c', '$3')} r
        WHERE ${OPEN_ACTION} AND ${window}
       ON CONFLICT (recipient_user_id, kind, occurrence) DO NOTHING RETURNING id`,
      [now, days, roles, which === 'soon' ? 'action_due_soon' : 'action_overdue'],
    ),
  );
}

/**
 * The referrer of an open situation whose consent (its latest row: granted, not withdrawn) expires
 * within `days` days (`expiring`) or has expired (`expired`): told once per consent.
 */
export async function notifyConsents(db: SqlRunner, which: 'expiring' | 'expired', now: Date, days: number): Promise<string[]> {
  const window =
    which === 'expiring' ? `k.expires_at > $1 AND k.expires_at <= $1::timestamptz + make_interval(days => $2::int)` : `k.expires_at <= $1 AND $2::int >= 0`;
  return idsOf(
    await select<{ id: string }>(
      db,
      `INSERT INTO notifications (territory_id, recipient_user_id, kind, case_id, due_at, occurrence, created_at)
       SELECT c.territory_id, u.id, $3, c.id, k.expires_at, k.id::text, $1
         FROM cases c JOIN users u ON u.id = c.referrer_user_id AND u.disabled_at IS NULL
         CROSS JOIN LATERAL (SELECT k.id, k.decision, k.withdrawn_at, k.expires_at FROM consents k WHERE k.case_id = c.id
                              ORDER BY k.recorded_at DESC, k.id LIMIT 1) k
        WHERE c.state NOT IN ('draft', 'closed', 'purged') AND k.decision = 'granted' AND k.withdrawn_at IS NULL AND k.expires_at IS NOT NULL
          AND ${window}
       ON CONFLICT (recipient_user_id, kind, occurrence) DO NOTHING RETURNING id`,
      [now, days, which === 'expiring' ? 'consent_expiring' : 'consent_expired'],
    ),
  );
}

/** The convocation: once the session is `days` days away (when its dossier opens), each expected attendee, with the agenda's size then. */
export async function notifyConvocations(db: SqlRunner, now: Date, days: number): Promise<string[]> {
  return idsOf(
    await select<{ id: string }>(
      db,
      `INSERT INTO notifications (territory_id, recipient_user_id, kind, session_id, agenda_size, due_at, occurrence, created_at)
       SELECT s.territory_id, r.user_id, 'session_convocation', s.id,
              (SELECT count(*) FROM agenda_items ai WHERE ai.session_id = s.id AND ai.removed_at IS NULL)::int, s.starts_at, s.id::text, $1
         FROM sessions s CROSS JOIN LATERAL ${expectedAttendeesSql('s')} r
        WHERE s.status = 'planned' AND s.starts_at > $1 AND s.starts_at <= $1::timestamptz + make_interval(days => $2::int)
       ON CONFLICT (recipient_user_id, kind, occurrence) DO NOTHING RETURNING id`,
      [now, days],
    ),
  );
}

// ------------------------------------------------------------------ the recipient's list

export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  caseId: string | null;
  /** API.md's `caseReference`. */
  caseReference: string | null;
  sessionId: string | null;
  actionId: string | null;
  agendaSize: number | null;
  dueAt: Date | null;
  /** When it was written (API.md's `at`). */
  at: Date;
  readAt: Date | null;
}

const COLUMNS = `n.id, n.kind, n.case_id AS "caseId", c.reference AS "caseReference", n.session_id AS "sessionId", n.action_id AS "actionId",
                 n.agenda_size AS "agendaSize", n.due_at AS "dueAt", n.created_at AS "at", n.read_at AS "readAt"`;

/** A page of the user's notifications: unread first, then the newest. */
export function listNotifications(db: SqlRunner, userId: string, limit: number, offset: number): Promise<NotificationRow[]> {
  return select<NotificationRow>(
    db,
    `SELECT ${COLUMNS} FROM notifications n LEFT JOIN cases c ON c.id = n.case_id
      WHERE n.recipient_user_id = $1
      ORDER BY (n.read_at IS NULL) DESC, n.created_at DESC, n.id LIMIT $2 OFFSET $3`,
    [userId, limit, offset],
  );
}

export async function countNotifications(db: SqlRunner, userId: string): Promise<{ total: number; unread: number }> {
  const [row] = await select<{ total: number; unread: number }>(
    db,
    `SELECT count(*)::int AS total, (count(*) FILTER (WHERE read_at IS NULL))::int AS unread FROM notifications WHERE recipient_user_id = $1`,
    [userId],
  );
  return row;
}

/** Marks one of the user's notifications read (already read: unchanged); false when it is not theirs. */
export async function markRead(db: SqlRunner, userId: string, id: string, at: Date): Promise<boolean> {
  const rows = await returning<{ id: string }>(
    db,
    `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND recipient_user_id = $2 RETURNING id`,
    [id, userId, at],
  );
  return rows.length > 0;
}

export function markAllRead(db: SqlRunner, userId: string, at: Date): Promise<number> {
  return execute(db, `UPDATE notifications SET read_at = $2 WHERE recipient_user_id = $1 AND read_at IS NULL`, [userId, at]);
}

// ------------------------------------------------------------------ preferences

export async function emailPreferenceOf(db: SqlRunner, userId: string): Promise<EmailPreference> {
  const [row] = await select<{ email: EmailPreference }>(db, `SELECT email FROM notification_preferences WHERE user_id = $1`, [userId]);
  return row?.email ?? 'immediate';
}

export async function setEmailPreference(db: SqlRunner, userId: string, email: EmailPreference, at: Date): Promise<void> {
  await execute(
    db,
    `INSERT INTO notification_preferences (user_id, email, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, updated_at = EXCLUDED.updated_at`,
    [userId, email, at],
  );
}

// ------------------------------------------------------------------ email delivery

/**
 * Where the email of each new notification goes, by its recipient's preference (read now):
 * `immediate` (no preference) → `queued`, answered (one job each, enqueued in the same
 * transaction); `none` → `skipped`; `daily_digest` → stays `pending` for the next digest.
 * `ids` null: every notification still `pending` whose recipient does not want a digest (a
 * preference changed since, mail turned on after they were written).
 */
export async function queueImmediateEmails(db: SqlRunner, ids: readonly string[] | null): Promise<string[]> {
  const rows = await returning<{ id: string; preference: EmailPreference }>(
    db,
    `WITH due AS (
       SELECT n.id, coalesce(p.email, 'immediate') AS preference
         FROM notifications n LEFT JOIN notification_preferences p ON p.user_id = n.recipient_user_id
        WHERE n.email_status = 'pending' AND ($1::uuid[] IS NULL OR n.id = ANY($1::uuid[])) AND coalesce(p.email, 'immediate') <> 'daily_digest'
        ORDER BY n.created_at, n.id
        FOR UPDATE OF n SKIP LOCKED
     )
     UPDATE notifications n SET email_status = CASE WHEN due.preference = 'none' THEN 'skipped' ELSE 'queued' END
       FROM due WHERE n.id = due.id RETURNING n.id, due.preference`,
    [ids],
  );
  return rows.filter((r) => r.preference === 'immediate').map((r) => r.id);
}

/**
 * Emails `queued` whose job is no longer waiting, retried or running (`queue`: their pg-boss
 * queue): the job failed for another reason than the mail (a database error, every retry) →
 * `failed`, counted for the admin (`other` when no attempt reached SMTP); no job at all (a
 * database restored from a backup: the queue's tables are not in it) → `pending`, queued again by
 * the round. Answers how many changed.
 */
export function releaseOrphanEmails(db: SqlRunner, queue: string): Promise<number> {
  const jobOf = (states: string) => `SELECT 1 FROM ${JOB_SCHEMA}.job j WHERE j.name = $1 AND ${states} AND j.data->'notificationIds' ? n.id::text`;
  return execute(
    db,
    `WITH orphan AS (
       SELECT n.id, EXISTS (${jobOf(`j.state = 'failed'`)}) AS failed
         FROM notifications n
        WHERE n.email_status = 'queued' AND NOT EXISTS (${jobOf(`j.state < 'completed'`)})
        FOR UPDATE OF n SKIP LOCKED
     )
     UPDATE notifications n SET email_status = CASE WHEN orphan.failed THEN 'failed' ELSE 'pending' END,
            email_error = CASE WHEN orphan.failed THEN coalesce(n.email_error, 'other') ELSE n.email_error END
       FROM orphan WHERE n.id = orphan.id`,
    [queue],
  );
}

export interface WaitingDigest {
  userId: string;
  ids: string[];
  oldest: Date;
  digestSentAt: Date | null;
}

/** The notifications waiting for a daily digest, by recipient (whose preference is the digest). */
export function waitingDigests(db: SqlRunner): Promise<WaitingDigest[]> {
  return select<WaitingDigest>(
    db,
    `SELECT n.recipient_user_id AS "userId", array_agg(n.id ORDER BY n.created_at, n.id)::text[] AS ids,
            min(n.created_at) AS oldest, p.digest_sent_at AS "digestSentAt"
       FROM notifications n JOIN notification_preferences p ON p.user_id = n.recipient_user_id AND p.email = 'daily_digest'
      WHERE n.email_status = 'pending'
      GROUP BY n.recipient_user_id, p.digest_sent_at ORDER BY 1`,
  );
}

/** Takes these waiting notifications for a digest's job: answers the ones taken (none when another round took them). */
export async function queueDigest(db: SqlRunner, ids: readonly string[]): Promise<string[]> {
  return idsOf(
    await returning<{ id: string }>(
      db,
      `UPDATE notifications SET email_status = 'queued' WHERE id = ANY($1::uuid[]) AND email_status = 'pending' RETURNING id`,
      [ids],
    ),
  );
}

export interface QueuedEmail {
  id: string;
  kind: NotificationKind;
  caseId: string | null;
  caseReference: string | null;
  sessionId: string | null;
  actionId: string | null;
  agendaSize: number | null;
  dueAt: Date | null;
  createdAt: Date;
  readAt: Date | null;
  recipientUserId: string;
  /** The recipient's account address (a professional's), read at sending time, never stored here. */
  address: string | null;
  preference: EmailPreference;
  attempts: number;
}

/**
 * The notifications of one email's job that are still to send (`queued`), locked until the job's
 * transaction ends: a second job for the same notification (a retry after a crash) waits for the
 * first, then finds it sent.
 */
export function lockQueuedEmails(db: SqlRunner, ids: readonly string[]): Promise<QueuedEmail[]> {
  return select<QueuedEmail>(
    db,
    `SELECT ${COLUMNS}, n.recipient_user_id AS "recipientUserId", CASE WHEN u.disabled_at IS NULL THEN u.email END AS address,
            coalesce(p.email, 'immediate') AS preference, n.email_attempts AS attempts
       FROM notifications n JOIN users u ON u.id = n.recipient_user_id
       LEFT JOIN notification_preferences p ON p.user_id = n.recipient_user_id
       LEFT JOIN cases c ON c.id = n.case_id
      WHERE n.id = ANY($1::uuid[]) AND n.email_status = 'queued'
      ORDER BY n.created_at, n.id
      FOR UPDATE OF n`,
    [ids],
  );
}

export function markSent(db: SqlRunner, ids: readonly string[], at: Date): Promise<number> {
  return execute(
    db,
    `UPDATE notifications SET email_status = 'sent', email_sent_at = $2, email_attempts = email_attempts + 1, email_error = NULL
      WHERE id = ANY($1::uuid[])`,
    [ids, at],
  );
}

/** No email for these (the user wants none, the account is disabled, or it was read in the workspace first). */
export function markSkipped(db: SqlRunner, ids: readonly string[]): Promise<number> {
  return execute(db, `UPDATE notifications SET email_status = 'skipped' WHERE id = ANY($1::uuid[])`, [ids]);
}

/** Back to waiting for the digest (the user chose the digest after the email was queued). */
export function markWaiting(db: SqlRunner, ids: readonly string[]): Promise<number> {
  return execute(db, `UPDATE notifications SET email_status = 'pending' WHERE id = ANY($1::uuid[])`, [ids]);
}

/** A failed attempt, kept by category: still `queued` (pg-boss retries the job), or given up (`failed`) after the last one. */
export function markFailed(db: SqlRunner, ids: readonly string[], error: DeliveryError, last: boolean): Promise<number> {
  return execute(
    db,
    `UPDATE notifications SET email_attempts = email_attempts + 1, email_error = $2, email_status = CASE WHEN $3 THEN 'failed' ELSE 'queued' END
      WHERE id = ANY($1::uuid[])`,
    [ids, error, last],
  );
}

export function markDigestSent(db: SqlRunner, userId: string, at: Date): Promise<number> {
  return execute(
    db,
    `INSERT INTO notification_preferences (user_id, email, digest_sent_at, updated_at) VALUES ($1, 'daily_digest', $2, $2)
     ON CONFLICT (user_id) DO UPDATE SET digest_sent_at = EXCLUDED.digest_sent_at`,
    [userId, at],
  );
}

export interface DeliveryFailureRow {
  status: 'retrying' | 'failed';
  error: DeliveryError;
  count: number;
}

/** Emails not delivered, by state (still retried by the queue, or given up) and error category: counts only. */
export function deliveryFailures(db: SqlRunner): Promise<DeliveryFailureRow[]> {
  return select<DeliveryFailureRow>(
    db,
    `SELECT CASE WHEN email_status = 'failed' THEN 'failed' ELSE 'retrying' END AS status, email_error AS error, count(*)::int AS count
       FROM notifications
      WHERE email_error IS NOT NULL AND email_status IN ('queued', 'failed')
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
}

/**
 * The DPO's reminders of a rights request (issue 15): `days` before its due date (0: on it), to
 * the auditor who opened it, once per request and horizon, while it is open.
 */
export async function notifyRightsDue(db: SqlRunner, now: Date, days: number): Promise<string[]> {
  return idsOf(
    await select<{ id: string }>(
      db,
      `INSERT INTO notifications (territory_id, recipient_user_id, kind, due_at, occurrence, created_at)
       SELECT r.territory_id, r.opened_by, $3, r.due_on::timestamp AT TIME ZONE 'Europe/Paris', r.id::text || ':' || $2::text, $1
         FROM rights_requests r JOIN users u ON u.id = r.opened_by AND u.disabled_at IS NULL
        WHERE r.status = 'open' AND r.due_on - $2::int <= ($1::timestamptz AT TIME ZONE 'Europe/Paris')::date
       ON CONFLICT (recipient_user_id, kind, occurrence) DO NOTHING RETURNING id`,
      [now, days, days === 0 ? 'rights_request_due' : 'rights_request_due_soon'],
    ),
  );
}
