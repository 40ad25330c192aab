/**
 * The attendance sheet, the written contributions and the session's record (issue 12, items 4
 * and 5). Thin: no rule lives here. No text is stored in these tables: contributions, analyses
 * and recommendations are sealed by the vault (case_fields, class plan) under the field names
 * below.
 */
import { CAPS, MAX_CASE_SESSION_RECORDS } from '../common/limits.js';
import { ensureRoom } from '../database/caps.js';
import { execute, select, type SqlRunner } from '../database/sql.js';
import { attendanceRecordedSql, isMemberSql, recordCaseIdsSql } from './attendance.sql.js';

export const DECISIONS = ['plan_adopted', 'deferred', 'advice', 'closed'] as const;
export type RecordDecision = (typeof DECISIONS)[number];
export const DEFERRAL_REASONS = ['information_missing', 'person_not_consulted', 'partner_absent', 'out_of_time', 'other'] as const;
export type DeferralReason = (typeof DEFERRAL_REASONS)[number];

/** The vault field of a contribution's text. */
export const contributionField = (id: string | number) => `contribution_${id}`;
/** The vault fields of a record item's analysis and recommendations. */
export const analysisField = (id: string | number) => `analysis_${id}`;
export const recommendationsField = (id: string | number) => `recommendations_${id}`;

export interface SheetRow {
  userId: string;
  displayName: string;
  organisationName: string | null;
  /** member, deputy (of a member), or invited (for one situation: `caseReference`). */
  as: 'member' | 'deputy' | 'invited';
  deputyOf: string | null;
  caseReference: string | null;
  present: boolean;
  /** Ticked by the coordinator (false: recorded by themself, or absent). */
  tickedByCoordinator: boolean;
  acceptedCurrentCharter: boolean;
}

/**
 * The attendance sheet: each member and deputy of the commission and each professional invited to
 * the session, with their presence under the current charter; a member removed since, who came,
 * stays on it (the sheet keeps that they came).
 */
export function attendanceSheet(runner: SqlRunner, sessionId: string): Promise<SheetRow[]> {
  return select<SheetRow>(
    runner,
    `WITH s AS (SELECT * FROM sessions WHERE id = $1),
     people AS (
       SELECT cm.user_id, 'member' AS "as", NULL::uuid AS deputy_of, NULL::uuid AS case_id FROM commission_members cm, s WHERE cm.commission_id = s.commission_id
       UNION ALL
       SELECT cm.deputy_user_id, 'deputy', cm.user_id, NULL FROM commission_members cm, s WHERE cm.commission_id = s.commission_id AND cm.deputy_user_id IS NOT NULL
       UNION ALL
       SELECT si.user_id, 'invited', NULL, si.case_id FROM session_invitations si WHERE si.session_id = $1
       UNION ALL
       SELECT sa.user_id, 'member', NULL, NULL FROM session_attendance sa, s WHERE sa.session_id = $1
          AND NOT ${isMemberSql('s.commission_id', 'sa.user_id')}
          AND NOT EXISTS (SELECT 1 FROM session_invitations si WHERE si.session_id = $1 AND si.user_id = sa.user_id))
     SELECT p.user_id AS "userId", u.display_name AS "displayName", o.name AS "organisationName", p."as",
            d.display_name AS "deputyOf", c.reference AS "caseReference",
            ${attendanceRecordedSql('s', 'p.user_id')} AS present,
            EXISTS (SELECT 1 FROM session_attendance sa WHERE sa.session_id = $1 AND sa.user_id = p.user_id AND sa.recorded_by IS NOT NULL) AS "tickedByCoordinator",
            EXISTS (SELECT 1 FROM charter_acceptances ca WHERE ca.commission_id = s.commission_id AND ca.user_id = p.user_id
                      AND ca.version = (SELECT max(cv.version) FROM charter_versions cv WHERE cv.commission_id = s.commission_id)) AS "acceptedCurrentCharter"
       FROM people p CROSS JOIN s JOIN users u ON u.id = p.user_id LEFT JOIN organisations o ON o.id = u.organisation_id
       LEFT JOIN users d ON d.id = p.deputy_of LEFT JOIN cases c ON c.id = p.case_id
      ORDER BY p."as" = 'invited', o.name NULLS LAST, u.display_name, c.reference NULLS FIRST`,
    [sessionId],
  );
}

/** Whether the user appears on the sheet: a member or deputy of the commission, or invited to the session. */
export async function onSheet(runner: SqlRunner, sessionId: string, userId: string): Promise<boolean> {
  const rows = await select<{ ok: number }>(
    runner,
    `SELECT 1 AS ok FROM sessions s WHERE s.id = $1 AND (${isMemberSql('s.commission_id', '$2')}
       OR EXISTS (SELECT 1 FROM session_invitations si WHERE si.session_id = s.id AND si.user_id = $2))`,
    [sessionId, userId],
  );
  return rows.length > 0;
}

/** The charter version the user accepted that is the commission's current one (null: not accepted). */
export async function acceptedCurrentVersion(runner: SqlRunner, commissionId: string, userId: string): Promise<number | null> {
  const [row] = await select<{ version: number }>(
    runner,
    `SELECT ca.version FROM charter_acceptances ca WHERE ca.commission_id = $1 AND ca.user_id = $2
        AND ca.version = (SELECT max(cv.version) FROM charter_versions cv WHERE cv.commission_id = $1)`,
    [commissionId, userId],
  );
  return row?.version ?? null;
}

export async function removeAttendance(runner: SqlRunner, sessionId: string, userId: string): Promise<boolean> {
  return (await execute(runner, `DELETE FROM session_attendance WHERE session_id = $1 AND user_id = $2 RETURNING user_id`, [sessionId, userId])) === 1;
}

export interface GuestRow {
  id: string;
  organisationId: string | null;
  organisationName: string;
  functionLabel: string | null;
  caseId: string | null;
  caseReference: string | null;
}

export function listGuests(runner: SqlRunner, sessionId: string): Promise<GuestRow[]> {
  return select<GuestRow>(
    runner,
    `SELECT g.id, g.organisation_id AS "organisationId", coalesce(o.name, g.organisation_label) AS "organisationName",
            g.function_label AS "functionLabel", g.case_id AS "caseId", c.reference AS "caseReference"
       FROM session_guests g LEFT JOIN organisations o ON o.id = g.organisation_id LEFT JOIN cases c ON c.id = g.case_id
      WHERE g.session_id = $1 ORDER BY g.recorded_at, g.id`,
    [sessionId],
  );
}

export async function insertGuest(
  runner: SqlRunner,
  guest: {
    sessionId: string;
    territoryId: string;
    organisationId: string | null;
    organisationLabel: string | null;
    functionLabel: string | null;
    caseId: string | null;
    recordedBy: string;
  },
): Promise<string> {
  await ensureRoom(runner, {
    key: `guests:${guest.sessionId}`,
    othersSql: `SELECT count(*) FROM session_guests WHERE session_id = $1`,
    params: [guest.sessionId],
    cap: CAPS.guests,
    field: 'organisationId',
    what: 'A session',
  });
  const [row] = await select<{ id: string }>(
    runner,
    `INSERT INTO session_guests (session_id, territory_id, organisation_id, organisation_label, function_label, case_id, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [guest.sessionId, guest.territoryId, guest.organisationId, guest.organisationLabel, guest.functionLabel, guest.caseId, guest.recordedBy],
  );
  return row.id;
}

export async function deleteGuest(runner: SqlRunner, sessionId: string, guestId: string): Promise<boolean> {
  return (await execute(runner, `DELETE FROM session_guests WHERE session_id = $1 AND id = $2 RETURNING id`, [sessionId, guestId])) === 1;
}

export interface ContributionRow {
  id: string;
  caseId: string;
  authorUserId: string;
  authorName: string;
  organisationName: string | null;
  writtenAt: Date;
}

/** Inserts or replaces (same author, situation, session) a contribution; answers its id. */
export async function upsertContribution(
  runner: SqlRunner,
  c: { sessionId: string; caseId: string; territoryId: string; authorUserId: string; authorOrganisationId: string | null; at: Date },
): Promise<string> {
  await ensureRoom(runner, {
    key: `contributions:${c.sessionId}:${c.caseId}`,
    othersSql: `SELECT count(*) FROM session_contributions WHERE session_id = $1 AND case_id = $2 AND author_user_id <> $3`,
    params: [c.sessionId, c.caseId, c.authorUserId],
    cap: CAPS.contributions,
    field: 'caseId',
    what: 'A situation of a session',
  });
  const [row] = await select<{ id: string }>(
    runner,
    `INSERT INTO session_contributions (session_id, case_id, territory_id, author_user_id, author_organisation_id, written_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (session_id, case_id, author_user_id) DO UPDATE SET written_at = EXCLUDED.written_at RETURNING id::text`,
    [c.sessionId, c.caseId, c.territoryId, c.authorUserId, c.authorOrganisationId, c.at],
  );
  return row.id;
}

export function listContributions(runner: SqlRunner, sessionId: string): Promise<ContributionRow[]> {
  return select<ContributionRow>(
    runner,
    `SELECT k.id::text AS id, k.case_id AS "caseId", k.author_user_id AS "authorUserId", u.display_name AS "authorName",
            o.name AS "organisationName", k.written_at AS "writtenAt"
       FROM session_contributions k JOIN users u ON u.id = k.author_user_id LEFT JOIN organisations o ON o.id = k.author_organisation_id
      WHERE k.session_id = $1 ORDER BY k.written_at, k.id`,
    [sessionId],
  );
}

export interface RecordState {
  closedAt: Date | null;
  closedBy: string | null;
}

export async function recordState(runner: SqlRunner, sessionId: string, lock = false): Promise<RecordState> {
  const [row] = await select<RecordState>(
    runner,
    `SELECT closed_at AS "closedAt", closed_by AS "closedBy" FROM session_records WHERE session_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [sessionId],
  );
  return row ?? { closedAt: null, closedBy: null };
}

/** Closes the record once; false when it was closed already. */
export async function closeRecord(runner: SqlRunner, sessionId: string, territoryId: string, by: string, at: Date): Promise<boolean> {
  const changed = await execute(
    runner,
    `INSERT INTO session_records (session_id, territory_id, closed_at, closed_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id) DO UPDATE SET closed_at = EXCLUDED.closed_at, closed_by = EXCLUDED.closed_by
       WHERE session_records.closed_at IS NULL RETURNING session_id`,
    [sessionId, territoryId, at, by],
  );
  return changed === 1;
}

/** Takes the record's row lock (created open when missing): serialises writes to one record and its close. */
export async function lockRecord(runner: SqlRunner, sessionId: string, territoryId: string): Promise<RecordState> {
  await execute(runner, `INSERT INTO session_records (session_id, territory_id) VALUES ($1, $2) ON CONFLICT (session_id) DO NOTHING`, [sessionId, territoryId]);
  return recordState(runner, sessionId, true);
}

export interface RecordCaseRow {
  caseId: string;
  reference: string;
  state: string;
  territoryId: string;
  referrerUserId: string;
  /** Left the agenda while the session was open (deferred there). */
  removedAt: Date | null;
  concludedAt: Date | null;
  /** The closing outcome category of the situation (when it was closed). */
  outcome: string | null;
  /** The last of ADOPT_PLAN, DEFER, CLOSE sent on the situation while the session was open (or since). */
  lastEvent: string | null;
  itemId: string | null;
  decision: RecordDecision | null;
  deferralReason: DeferralReason | null;
  itemOutcome: string | null;
  updatedAt: Date | null;
}

/** The situations of the session's record, in agenda order, with what the record and the case events say. */
export function recordCases(runner: SqlRunner, sessionId: string): Promise<RecordCaseRow[]> {
  return select<RecordCaseRow>(
    runner,
    `WITH s AS (SELECT * FROM sessions WHERE id = $1)
     SELECT c.id AS "caseId", c.reference, c.state, c.territory_id AS "territoryId", c.referrer_user_id AS "referrerUserId",
            ai.removed_at AS "removedAt", ai.concluded_at AS "concludedAt", c.outcome,
            (SELECT e.event FROM case_events e WHERE e.case_id = c.id AND e.event IN ('ADOPT_PLAN','DEFER','CLOSE')
                AND s.opened_at IS NOT NULL AND e.at >= s.opened_at AND (s.closed_at IS NULL OR e.at <= s.closed_at)
              ORDER BY e.version DESC LIMIT 1) AS "lastEvent",
            ri.id::text AS "itemId", ri.decision, ri.deferral_reason AS "deferralReason", ri.outcome AS "itemOutcome", ri.updated_at AS "updatedAt"
       FROM s JOIN cases c ON c.id IN ${recordCaseIdsSql('s.id', 's.opened_at')}
       LEFT JOIN agenda_items ai ON ai.session_id = s.id AND ai.case_id = c.id
       LEFT JOIN session_record_items ri ON ri.session_id = s.id AND ri.case_id = c.id
      ORDER BY ai.position NULLS LAST, c.reference`,
    [sessionId],
  );
}

/** Inserts or updates the record item of one situation; answers its id. */
export async function upsertRecordItem(
  runner: SqlRunner,
  item: {
    sessionId: string;
    caseId: string;
    territoryId: string;
    decision: RecordDecision | null;
    deferralReason: DeferralReason | null;
    outcome: string | null;
    writtenBy: string;
    at: Date;
  },
): Promise<string> {
  const [row] = await select<{ id: string }>(
    runner,
    `INSERT INTO session_record_items (session_id, case_id, territory_id, decision, deferral_reason, outcome, written_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (session_id, case_id) DO UPDATE SET decision = EXCLUDED.decision, deferral_reason = EXCLUDED.deferral_reason,
         outcome = EXCLUDED.outcome, written_by = EXCLUDED.written_by, updated_at = EXCLUDED.updated_at
     RETURNING id::text`,
    [item.sessionId, item.caseId, item.territoryId, item.decision, item.deferralReason, item.outcome, item.writtenBy, item.at],
  );
  return row.id;
}

/** The commission's name (for the record's heading). */
export async function commissionName(runner: SqlRunner, commissionId: string): Promise<string> {
  const [row] = await select<{ name: string }>(runner, `SELECT name FROM commissions WHERE id = $1`, [commissionId]);
  return row?.name ?? '';
}

/** The situations on the session's agenda the user is invited for. */
export async function invitedCaseIds(runner: SqlRunner, sessionId: string, userId: string): Promise<Set<string>> {
  const rows = await select<{ caseId: string }>(runner, `SELECT case_id AS "caseId" FROM session_invitations WHERE session_id = $1 AND user_id = $2`, [
    sessionId,
    userId,
  ]);
  return new Set(rows.map((r) => r.caseId));
}

/** The organisation exists in the territory (a guest's organisation of the directory). */
export async function organisationInTerritory(runner: SqlRunner, organisationId: string, territoryId: string): Promise<boolean> {
  const rows = await select<{ ok: number }>(runner, `SELECT 1 AS ok FROM organisations WHERE id = $1 AND territory_id = $2`, [organisationId, territoryId]);
  return rows.length > 0;
}

export interface CaseRecordRow {
  sessionId: string;
  startsAt: Date;
  closedAt: Date;
}

/** The closed records that hold one situation (recordCaseIdsSql's rule), the latest session first. */
export function closedRecordsHolding(runner: SqlRunner, caseId: string): Promise<CaseRecordRow[]> {
  return select<CaseRecordRow>(
    runner,
    `SELECT s.id AS "sessionId", s.starts_at AS "startsAt", r.closed_at AS "closedAt"
       FROM sessions s JOIN session_records r ON r.session_id = s.id AND r.closed_at IS NOT NULL
      WHERE s.id IN (SELECT session_id FROM agenda_items WHERE case_id = $1 UNION SELECT session_id FROM session_record_items WHERE case_id = $1)
        AND $1::uuid IN ${recordCaseIdsSql('s.id', 's.opened_at')}
      ORDER BY s.starts_at DESC
      LIMIT ${MAX_CASE_SESSION_RECORDS}`,
    [caseId],
  );
}
