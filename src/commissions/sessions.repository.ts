import { CAPS, PAGE_SIZE } from '../common/limits.js';
import { ensureRoom } from '../database/caps.js';
import type { Page } from '../common/pagination.js';
import type { Role, Sector } from '../access/policy.types.js';
import type { SessionResource } from '../access/resources.js';
import { execute, select, type SqlRunner } from '../database/sql.js';
import {
  acceptedCurrentCharterSql,
  attendanceRecordedSql,
  attendsOpenSessionSql,
  currentCharterSql,
  dossierWindowSql,
  isInvitedSql,
  isMemberSql,
  recordClosedSql,
  referredOnClosedRecordSql,
} from './attendance.sql.js';

/** A session as answered to clients. */
export interface SessionRow {
  id: string;
  commissionId: string;
  territoryId: string;
  status: 'planned' | 'open' | 'closed';
  startsAt: Date;
  endsAt: Date;
}

/** A session with the facts about one user that access decisions need. */
export interface SessionRecord extends SessionResource {
  startsAt: Date;
  endsAt: Date;
  openedAt: Date | null;
  closedAt: Date | null;
}

/**
 * The session and the user's ties to it at `at` (the clock's time), in one statement; `dossierDays`
 * is lifecycle.yaml's `dossier.opensDaysBefore`; `lock` takes the session row's lock.
 */
export async function findSession(
  runner: SqlRunner,
  id: string,
  userId: string,
  at: Date,
  dossierDays: number,
  lock = false,
): Promise<SessionRecord | undefined> {
  const [row] = await select<Omit<SessionRecord, 'kind'>>(
    runner,
    `SELECT s.id, s.commission_id AS "commissionId", s.territory_id AS "territoryId", s.status, s.starts_at AS "startsAt", s.ends_at AS "endsAt",
            s.opened_at AS "openedAt", s.closed_at AS "closedAt",
            ${isMemberSql('s.commission_id', '$2')} AS member,
            ${isInvitedSql('s.id', '$2')} AS invited,
            ${attendsOpenSessionSql('s', '$2', '$3')} AS attends,
            ${attendanceRecordedSql('s', '$2')} AS attended,
            ${dossierWindowSql('s', '$2', '$3', '$4')} AS "dossierWindow",
            ${referredOnClosedRecordSql('s', '$2')} AS "referredOnClosedRecord",
            ${currentCharterSql('s.commission_id')} AS "charterVersion",
            ${acceptedCurrentCharterSql('s.commission_id', '$2')} AS "acceptedCurrentCharter"
       FROM sessions s WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`,
    [id, userId, at, dossierDays],
  );
  return row && { kind: 'session', ...row };
}

/** The session's own columns, without the facts about the caller. */
export function sessionRow(record: SessionRecord): SessionRow {
  const { id, commissionId, territoryId, status, startsAt, endsAt } = record;
  return { id, commissionId, territoryId, status, startsAt, endsAt };
}

export async function insertSession(
  runner: SqlRunner,
  session: { commissionId: string; territoryId: string; startsAt: Date; endsAt: Date },
): Promise<Omit<SessionRow, 'territoryId'>> {
  const [row] = await select<Omit<SessionRow, 'territoryId'>>(
    runner,
    `INSERT INTO sessions (commission_id, territory_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)
       RETURNING id, commission_id AS "commissionId", starts_at AS "startsAt", ends_at AS "endsAt", status`,
    [session.commissionId, session.territoryId, session.startsAt, session.endsAt],
  );
  return row;
}

export interface SessionListRow extends Omit<SessionRow, 'territoryId'> {
  openedAt: Date | null;
  closedAt: Date | null;
  /** How many cases its agenda holds. */
  agendaCount: number;
  /** The user is invited to it (for one case). */
  invited: boolean;
  /** The user recorded attendance at it under the commission's current charter. */
  attendanceRecorded: boolean;
  /** The user may read its dossier now (attendance.sql.ts, dossierWindowSql). */
  dossierOpen: boolean;
  dossierOpensAt: Date;
  recordClosed: boolean;
}

/** The commission's sessions, newest first, with the user's ties to each at `at` (`dossierDays`: lifecycle.yaml). */
export function listSessions(runner: SqlRunner, commissionId: string, userId: string, at: Date, dossierDays: number, page: Page): Promise<SessionListRow[]> {
  return select<SessionListRow>(
    runner,
    `SELECT s.id, s.commission_id AS "commissionId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.status,
            s.opened_at AS "openedAt", s.closed_at AS "closedAt",
            (SELECT count(*)::int FROM agenda_items ai WHERE ai.session_id = s.id AND ai.removed_at IS NULL) AS "agendaCount",
            ${isInvitedSql('s.id', '$2')} AS invited,
            ${attendanceRecordedSql('s', '$2')} AS "attendanceRecorded",
            ${dossierWindowSql('s', '$2', '$3', '$4')} AS "dossierOpen",
            s.starts_at - make_interval(days => $4::int) AS "dossierOpensAt",
            ${recordClosedSql('s')} AS "recordClosed"
       FROM sessions s WHERE s.commission_id = $1 ORDER BY s.starts_at DESC, s.id LIMIT $5 OFFSET $6`,
    [commissionId, userId, at, dossierDays, page.limit, page.offset],
  );
}

/** Moves the session from `from` to `to` (stamping when); false when it was not at `from` any more. */
export async function setSessionStatus(runner: SqlRunner, id: string, from: 'planned' | 'open', to: 'open' | 'closed', at: Date): Promise<boolean> {
  const changed = await execute(
    runner,
    `UPDATE sessions SET status = $2, ${to === 'open' ? 'opened_at' : 'closed_at'} = $4 WHERE id = $1 AND status = $3 RETURNING id`,
    [id, to, from, at],
  );
  return changed === 1;
}

/** Open sessions whose end time has passed, oldest end first. */
export async function sessionsPastTheirEnd(runner: SqlRunner, now: Date, limit: number): Promise<{ id: string; territoryId: string }[]> {
  return select<{ id: string; territoryId: string }>(
    runner,
    `SELECT id, territory_id AS "territoryId" FROM sessions WHERE status = 'open' AND ends_at <= $1 ORDER BY ends_at LIMIT $2`,
    [now, limit],
  );
}

/**
 * Closes the session if it is still open and past its end (decided under the row's lock by the
 * UPDATE itself, so that two replicas, or the coordinator and the job, close it once).
 */
export async function closeEndedSession(runner: SqlRunner, id: string, now: Date): Promise<boolean> {
  const changed = await execute(
    runner,
    `UPDATE sessions SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open' AND ends_at <= $2 RETURNING id`,
    [id, now],
  );
  return changed === 1;
}

/** Records (or records again, under a newer charter) the user's presence at the session; `recordedBy`: the coordinator who ticked it (null: themself). */
export async function upsertAttendance(
  runner: SqlRunner,
  sessionId: string,
  userId: string,
  charterVersion: number,
  recordedBy: string | null = null,
): Promise<void> {
  await ensureRoom(runner, {
    key: `attendance:${sessionId}`,
    othersSql: `SELECT count(*) FROM session_attendance WHERE session_id = $1 AND user_id <> $2`,
    params: [sessionId, userId],
    cap: CAPS.attendance,
    field: 'userId',
    what: "A session's attendance",
  });
  await execute(
    runner,
    `INSERT INTO session_attendance (session_id, user_id, charter_version, recorded_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id, user_id) DO UPDATE SET charter_version = EXCLUDED.charter_version, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
    [sessionId, userId, charterVersion, recordedBy],
  );
}

export async function insertInvitation(runner: SqlRunner, invitation: { sessionId: string; caseId: string; userId: string; invitedBy: string }): Promise<void> {
  await ensureRoom(runner, {
    key: `invitations:${invitation.sessionId}`,
    othersSql: `SELECT count(*) FROM session_invitations WHERE session_id = $1 AND NOT (case_id = $2 AND user_id = $3)`,
    params: [invitation.sessionId, invitation.caseId, invitation.userId],
    cap: CAPS.invitations,
    field: 'userId',
    what: 'A session',
  });
  await execute(runner, `INSERT INTO session_invitations (session_id, case_id, user_id, invited_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    invitation.sessionId,
    invitation.caseId,
    invitation.userId,
    invitation.invitedBy,
  ]);
}

export interface InvitationRow {
  userId: string;
  displayName: string;
  organisationName: string | null;
  caseId: string;
  reference: string;
  attendanceRecorded: boolean;
}

/** Who is invited to the session, for which case (references only). */
export function listInvitations(runner: SqlRunner, sessionId: string): Promise<InvitationRow[]> {
  return select<InvitationRow>(
    runner,
    `SELECT si.user_id AS "userId", u.display_name AS "displayName", o.name AS "organisationName", si.case_id AS "caseId", c.reference,
            ${attendanceRecordedSql('s', 'si.user_id')} AS "attendanceRecorded"
       FROM session_invitations si JOIN sessions s ON s.id = si.session_id JOIN users u ON u.id = si.user_id
       JOIN cases c ON c.id = si.case_id LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE si.session_id = $1 ORDER BY c.reference, u.display_name`,
    [sessionId],
  );
}

export interface InvitableRow {
  userId: string;
  displayName: string;
  organisationName: string | null;
  sector: Sector | null;
}

/**
 * Enabled accounts of the territory holding one of `roles` (those access.yaml lets be invited),
 * the commission's members and deputies excepted: they attend without an invitation.
 */
export function invitableAccounts(runner: SqlRunner, q: { territoryId: string; commissionId: string; roles: readonly Role[] }): Promise<InvitableRow[]> {
  return select<InvitableRow>(
    runner,
    `SELECT u.id AS "userId", u.display_name AS "displayName", o.name AS "organisationName", o.sector
       FROM users u JOIN organisations o ON o.id = u.organisation_id
      WHERE o.territory_id = $1 AND u.disabled_at IS NULL AND u.roles && $3::text[]
        AND NOT ${isMemberSql('$2', 'u.id')}
      ORDER BY u.display_name, u.id LIMIT $4`,
    [q.territoryId, q.commissionId, q.roles, PAGE_SIZE],
  );
}
