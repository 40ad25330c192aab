import { asSystem } from '../database/territory-scope.js';
import { execute, returning, select, type SqlRunner } from '../database/sql.js';
import type { Role } from '../access/policy.types.js';
import type { CaseState } from '../cases/machine/context.js';
import {
  MAX_COPY_DOWNLOADS,
  MAX_RIGHTS_CASES,
  MAX_RIGHTS_ROWS,
  type RightsKind,
  type RightsMeasure,
  type RightsOutcome,
  type RightsReason,
  type RightsStatus,
} from './rights.types.js';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const REQUEST_COLUMNS = `r.id, r.territory_id AS "territoryId", r.kind, r.received_on::text AS "receivedOn", r.due_on::text AS "dueOn",
  ${ISO("((r.due_on + 1)::timestamp AT TIME ZONE 'Europe/Paris')")} AS "dueAt", r.status,
  r.opened_by AS "openedBy", ${ISO('r.opened_at')} AS "openedAt", r.handler_user_id AS "handlerUserId", r.outcome, r.closed_by AS "closedBy",
  ${ISO('r.closed_at')} AS "closedAt"`;

export interface RightsRequestRow {
  id: string;
  territoryId: string;
  kind: RightsKind;
  receivedOn: string;
  dueOn: string;
  /** The end of the due day in Paris (the instant the answer is late), as API.md's `dueAt`. */
  dueAt: string;
  status: RightsStatus;
  openedBy: string;
  openedAt: string;
  handlerUserId: string | null;
  outcome: RightsOutcome | null;
  closedBy: string | null;
  closedAt: string | null;
}

export interface RightsCaseRow {
  caseId: string;
  reference: string;
  state: CaseState;
  referrerUserId: string;
  linkedAt: string;
  measure: RightsMeasure | null;
  reason: RightsReason | null;
  measuredAt: string | null;
}

export async function insertRequest(
  db: SqlRunner,
  r: { territoryId: string; kind: RightsKind; receivedOn: string; openedBy: string; at: Date },
): Promise<RightsRequestRow> {
  const [row] = await returning<RightsRequestRow>(
    db,
    `INSERT INTO rights_requests AS r (territory_id, kind, received_on, due_on, opened_by, opened_at)
     VALUES ($1, $2, $3::date, ($3::date + interval '1 month')::date, $4, $5) RETURNING ${REQUEST_COLUMNS}`,
    [r.territoryId, r.kind, r.receivedOn, r.openedBy, r.at],
  );
  return row;
}

/** The request (row-level security hides another territory's), under a row lock when `lock`. */
export async function findRequest(db: SqlRunner, id: string, lock = false): Promise<RightsRequestRow | undefined> {
  const [row] = await select<RightsRequestRow>(db, `SELECT ${REQUEST_COLUMNS} FROM rights_requests r WHERE r.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row;
}

export function listRequests(db: SqlRunner, q: { territoryIds: string[] | null; status?: RightsStatus }): Promise<RightsRequestRow[]> {
  return select<RightsRequestRow>(
    db,
    `SELECT ${REQUEST_COLUMNS} FROM rights_requests r
      WHERE ($1::uuid[] IS NULL OR r.territory_id = ANY($1::uuid[])) AND ($2::text IS NULL OR r.status = $2)
      ORDER BY (r.status = 'open') DESC, r.due_on, r.opened_at LIMIT $3`,
    [q.territoryIds, q.status ?? null, MAX_RIGHTS_ROWS],
  );
}

export function casesOfRequest(db: SqlRunner, requestId: string): Promise<RightsCaseRow[]> {
  return select<RightsCaseRow>(
    db,
    `SELECT l.case_id AS "caseId", c.reference, c.state, c.referrer_user_id AS "referrerUserId", ${ISO('l.linked_at')} AS "linkedAt", l.measure, l.reason,
            ${ISO('l.measured_at')} AS "measuredAt"
       FROM rights_request_cases l JOIN cases c ON c.id = l.case_id WHERE l.request_id = $1 ORDER BY c.created_at, c.id LIMIT $2`,
    [requestId, MAX_RIGHTS_CASES],
  );
}

/** The situations of the territory sharing one of the indexes: candidates the server confirms by decrypting them. */
export function candidatesOf(
  db: SqlRunner,
  q: { territoryId: string; full: string | null; names: string },
): Promise<{ id: string; reference: string; state: CaseState; ageBand: string | null }[]> {
  return select(
    db,
    `SELECT id, reference, state, age_band AS "ageBand" FROM cases
      WHERE territory_id = $1 AND (identity_index = $2 OR name_index = $3) ORDER BY created_at, id LIMIT $4`,
    [q.territoryId, q.full, q.names, MAX_RIGHTS_CASES],
  );
}

export async function linkCases(db: SqlRunner, request: { id: string; territoryId: string }, caseIds: string[], at: Date): Promise<void> {
  if (!caseIds.length) return;
  await execute(
    db,
    `INSERT INTO rights_request_cases (request_id, case_id, territory_id, linked_at) SELECT $1, c, $2, $3 FROM unnest($4::uuid[]) AS c
     ON CONFLICT (request_id, case_id) DO NOTHING`,
    [request.id, request.territoryId, at, caseIds],
  );
}

export async function recordLookup(
  db: SqlRunner,
  l: { requestId: string; territoryId: string; auditorId: string; at: Date; candidates: number; confirmed: number },
): Promise<void> {
  await execute(
    db,
    `INSERT INTO rights_request_lookups (request_id, territory_id, auditor_user_id, at, candidates, confirmed) VALUES ($1, $2, $3, $4, $5, $6)`,
    [l.requestId, l.territoryId, l.auditorId, l.at, l.candidates, l.confirmed],
  );
}

export async function setMeasure(db: SqlRunner, requestId: string, caseId: string, measure: RightsMeasure, reason: RightsReason, at: Date): Promise<void> {
  await execute(db, `UPDATE rights_request_cases SET measure = $3, reason = $4, measured_at = $5 WHERE request_id = $1 AND case_id = $2`, [
    requestId,
    caseId,
    measure,
    reason,
    at,
  ]);
}

export async function setHandler(db: SqlRunner, requestId: string, userId: string, by: string, at: Date): Promise<void> {
  await execute(db, `UPDATE rights_requests SET handler_user_id = $2, handler_named_by = $3, handler_named_at = $4 WHERE id = $1`, [requestId, userId, by, at]);
}

export async function closeRequest(db: SqlRunner, requestId: string, outcome: RightsOutcome, by: string, at: Date): Promise<void> {
  await execute(db, `UPDATE rights_requests SET status = 'closed', outcome = $2, closed_by = $3, closed_at = $4 WHERE id = $1`, [requestId, outcome, by, at]);
}

/** A report made under a legal basis is recorded on the situation (RECORD_EXTERNAL_REPORT): its retention is not the person's to end. */
export async function hasLegalReport(db: SqlRunner, caseId: string): Promise<boolean> {
  const rows = await select<{ one: number }>(db, `SELECT 1 AS one FROM case_events WHERE case_id = $1 AND event = 'RECORD_EXTERNAL_REPORT' LIMIT 1`, [caseId]);
  return rows.length > 0;
}

export interface LookupReportRow {
  requestId: string;
  kind: RightsKind;
  auditorId: string;
  auditorName: string;
  at: string;
  candidates: number;
  confirmed: number;
}

export async function lookupReport(db: SqlRunner, territoryId: string): Promise<LookupReportRow[]> {
  const rows = await select<Omit<LookupReportRow, 'auditorName'>>(
    db,
    `SELECT l.request_id AS "requestId", r.kind, l.auditor_user_id AS "auditorId", ${ISO('l.at')} AS at, l.candidates, l.confirmed
       FROM rights_request_lookups l JOIN rights_requests r ON r.id = l.request_id
      WHERE l.territory_id = $1 ORDER BY l.at DESC, l.id LIMIT $2`,
    [territoryId, MAX_RIGHTS_ROWS],
  );
  // The auditor who looked is often attached to no territory (a DPO for every territory): the
  // directory's row-level security hides that account from the coordinator's scope. Their names
  // are read through an explicit door, for the ids of these lookups only — who watched is what
  // this report is for.
  const ids = [...new Set(rows.map((r) => r.auditorId))];
  const names = ids.length
    ? await asSystem('rights.lookups.report:auditors', () =>
        select<{ id: string; name: string }>(db, `SELECT id::text, display_name AS name FROM users WHERE id = ANY($1::uuid[])`, [ids]),
      )
    : [];
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  return rows.map((r) => ({ ...r, auditorName: nameOf.get(r.auditorId) ?? '' }));
}

/** The account named as a handler: its roles and territory (to check it may hold the relation), if active. */
export async function accountOf(db: SqlRunner, userId: string): Promise<{ roles: string[]; territoryId: string | null } | undefined> {
  const [row] = await select<{ roles: string[]; territoryId: string | null }>(
    db,
    `SELECT u.roles, coalesce(o.territory_id, u.territory_id) AS "territoryId" FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [userId],
  );
  return row;
}

export async function territoryExists(db: SqlRunner, territoryId: string): Promise<boolean> {
  return (await select<{ one: number }>(db, `SELECT 1 AS one FROM territories WHERE id = $1`, [territoryId])).length > 0;
}

export interface CopyCandidateRow {
  requestId: string;
  receivedOn: string;
  dueOn: string;
  handlerNamedAt: string | null;
  caseId: string;
  reference: string;
  handlerUserId: string | null;
}

/**
 * The situations of open access requests tied to this account — as the referrer of the situation
 * or as the handler named on the request: the candidates the service asks rights.copy about.
 */
export function copyCandidates(db: SqlRunner, userId: string): Promise<CopyCandidateRow[]> {
  return select<CopyCandidateRow>(
    db,
    `SELECT r.id AS "requestId", r.received_on::text AS "receivedOn", r.due_on::text AS "dueOn", ${ISO('r.handler_named_at')} AS "handlerNamedAt",
            l.case_id AS "caseId", c.reference, r.handler_user_id AS "handlerUserId"
       FROM rights_requests r JOIN rights_request_cases l ON l.request_id = r.id JOIN cases c ON c.id = l.case_id
      WHERE r.kind = 'access' AND r.status = 'open' AND (r.handler_user_id = $1 OR c.referrer_user_id = $1)
      ORDER BY r.due_on, r.id, c.created_at, c.id LIMIT $2`,
    [userId, MAX_RIGHTS_ROWS],
  );
}

/** One download of the copy of the data (issue 15): kept with the request, so the DPO knows whether it was handed over. */
export async function recordCopy(db: SqlRunner, c: { requestId: string; caseId: string; territoryId: string; userId: string; at: Date }): Promise<void> {
  await execute(db, `INSERT INTO rights_request_copies (request_id, case_id, territory_id, user_id, at) VALUES ($1, $2, $3, $4, $5)`, [
    c.requestId,
    c.caseId,
    c.territoryId,
    c.userId,
    c.at,
  ]);
}

/** The professional who downloaded a copy, or was named to hand it over: their name and organisation (the DPO sees them in the access log too). */
export interface ProfessionalRow {
  userId: string;
  displayName: string;
  organisationName: string | null;
  roles: Role[];
}

export interface CopyDownloadRow extends ProfessionalRow {
  caseId: string;
  at: string;
}

/** The downloads of the copies of a request, newest first per situation, with how many there were in all. */
export function copyDownloads(db: SqlRunner, requestId: string): Promise<(CopyDownloadRow & { total: number })[]> {
  return select<CopyDownloadRow & { total: number }>(
    db,
    `SELECT "caseId", at, "userId", "displayName", "organisationName", roles, total FROM (
       SELECT d.case_id AS "caseId", ${ISO('d.at')} AS at, d.user_id::text AS "userId", coalesce(u.display_name, '') AS "displayName",
              o.name AS "organisationName", coalesce(u.roles, '{}') AS roles,
              row_number() OVER (PARTITION BY d.case_id ORDER BY d.at DESC, d.id) AS n, count(*) OVER (PARTITION BY d.case_id)::int AS total
         FROM rights_request_copies d LEFT JOIN users u ON u.id = d.user_id LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE d.request_id = $1) x
      WHERE n <= $2 ORDER BY "caseId", at DESC`,
    [requestId, MAX_COPY_DOWNLOADS],
  );
}

/** What the request's page needs beyond its row: the days left (Europe/Paris), the lookups made, the handler named. */
export async function requestFacts(
  db: SqlRunner,
  requestId: string,
  now: Date,
): Promise<{ daysLeft: number; lookups: number; handler: (ProfessionalRow & { namedAt: string }) | null }> {
  const [row] = await select<{
    daysLeft: number;
    lookups: number;
    userId: string | null;
    displayName: string;
    organisationName: string | null;
    roles: Role[];
    namedAt: string | null;
  }>(
    db,
    `SELECT r.due_on - ($2::timestamptz AT TIME ZONE 'Europe/Paris')::date AS "daysLeft",
            (SELECT count(*)::int FROM rights_request_lookups l WHERE l.request_id = r.id) AS lookups,
            r.handler_user_id::text AS "userId", coalesce(u.display_name, '') AS "displayName", o.name AS "organisationName",
            coalesce(u.roles, '{}') AS roles, ${ISO('r.handler_named_at')} AS "namedAt"
       FROM rights_requests r LEFT JOIN users u ON u.id = r.handler_user_id LEFT JOIN organisations o ON o.id = u.organisation_id
      WHERE r.id = $1`,
    [requestId, now],
  );
  const { daysLeft, lookups, userId, displayName, organisationName, roles, namedAt } = row;
  return { daysLeft, lookups, handler: userId ? { userId, displayName, organisationName, roles, namedAt: namedAt! } : null };
}

export interface DueRequestRow {
  id: string;
  territoryId: string;
  kind: RightsKind;
  receivedOn: string;
  dueOn: string;
  daysLeft: number;
  total: number;
  overdue: number;
  dueSoon: number;
}

/**
 * The open requests of these territories (null: every one), earliest due first, the first `limit`
 * of them, each row carrying the counts: all open, overdue, due within `soonDays` days (Europe/Paris).
 */
export function openRequestsByDue(db: SqlRunner, q: { territoryIds: string[] | null; now: Date; soonDays: number; limit: number }): Promise<DueRequestRow[]> {
  return select<DueRequestRow>(
    db,
    `SELECT id, "territoryId", kind, "receivedOn", "dueOn", "daysLeft", total, overdue, "dueSoon" FROM (
       SELECT r.id, r.territory_id AS "territoryId", r.kind, r.received_on::text AS "receivedOn", r.due_on::text AS "dueOn",
              r.due_on - ($2::timestamptz AT TIME ZONE 'Europe/Paris')::date AS "daysLeft", r.opened_at,
              count(*) OVER ()::int AS total,
              count(*) FILTER (WHERE r.due_on < ($2::timestamptz AT TIME ZONE 'Europe/Paris')::date) OVER ()::int AS overdue,
              count(*) FILTER (WHERE r.due_on >= ($2::timestamptz AT TIME ZONE 'Europe/Paris')::date
                                 AND r.due_on - ($2::timestamptz AT TIME ZONE 'Europe/Paris')::date <= $3) OVER ()::int AS "dueSoon"
         FROM rights_requests r
        WHERE r.status = 'open' AND ($1::uuid[] IS NULL OR r.territory_id = ANY($1::uuid[]))) x
      ORDER BY "dueOn", opened_at, id LIMIT $4`,
    [q.territoryIds, q.now, q.soonDays, q.limit],
  );
}
