import type { TerritoryScope } from '../access/permissions.js';
import { MAX_ACCESS_REPORT_ACTIONS } from '../common/limits.js';
import { select, type SqlRunner } from '../database/sql.js';
import type { AuditEventDto, AuditFiltersQuery } from './dto/audit-query.dto.js';

/**
 * The reading side of audit_events (the writes are AuditService's, the chain the sealer's): the
 * auditors' filters as SQL, pages and exports of entries, the access report of a case.
 */

/** The columns of an entry as auditors see it (never anything beyond the audit row itself). */
const ITEM_COLUMNS = `e.id::text AS id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
  e.actor_id AS "actorId", e.organisation_id AS "organisationId", e.territory_id AS "territoryId", e.action, e.case_id AS "caseId",
  e.classes, e.decision, e.purpose, e.request_id AS "requestId", e.seq::text AS seq, e.detail`;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const instant = (param: string, value: string) =>
  /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) ? `${param}::timestamptz` : `${param}::timestamp AT TIME ZONE 'UTC'`;

/** WHERE clauses over `audit_events e` and their parameters, added to in order. */
export class AuditWhere {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(sql: (placeholder: string) => string, value: unknown): this {
    this.params.push(value);
    this.clauses.push(sql(`$${this.params.length}`));
    return this;
  }

  get sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }

  /** The entries of the territories in scope (an auditor attached to a territory reads that territory's only). */
  static of(scope: TerritoryScope, f: AuditFiltersQuery): AuditWhere {
    const w = new AuditWhere();
    if (!scope.all) w.add((p) => `e.territory_id = ANY(${p}::uuid[])`, scope.territoryIds);
    if (f.territoryId) w.add((p) => `e.territory_id = ${p}`, f.territoryId);
    if (f.caseId) w.add((p) => `e.case_id = ${p}`, f.caseId);
    if (f.userId) w.add((p) => `e.actor_id = ${p}`, f.userId);
    if (f.organisationId) w.add((p) => `e.organisation_id = ${p}`, f.organisationId);
    if (f.decision) w.add((p) => `e.decision = ${p}`, f.decision);
    // Dates alone are whole UTC days (both ends included); times without an offset are UTC.
    if (f.from) {
      const from = f.from;
      if (DATE_ONLY.test(from)) w.add((p) => `e.at >= ${p}::date::timestamp AT TIME ZONE 'UTC'`, from);
      else w.add((p) => `e.at >= ${instant(p, from)}`, from);
    }
    if (f.to) {
      const to = f.to;
      if (DATE_ONLY.test(to)) w.add((p) => `e.at < (${p}::date + 1)::timestamp AT TIME ZONE 'UTC'`, to);
      else w.add((p) => `e.at <= ${instant(p, to)}`, to);
    }
    if (f.action) {
      if (f.action.endsWith('*')) w.add((p) => `e.action LIKE ${p} ESCAPE '\\'`, `${f.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      else w.add((p) => `e.action = ${p}`, f.action);
    }
    return w;
  }
}

/** Up to `limit` entries matching `where`, by id in `order`. */
export function listEntries(runner: SqlRunner, where: AuditWhere, order: 'asc' | 'desc', limit: number): Promise<AuditEventDto[]> {
  where.params.push(limit);
  return select<AuditEventDto>(
    runner,
    `SELECT ${ITEM_COLUMNS} FROM audit_events e ${where.sql} ORDER BY e.id ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT $${where.params.length}`,
    where.params,
  );
}

/**
 * How many entries match `where` (counting stops past `cap`), and an upper bound of their CSV
 * lines' length: each of the 13 fields is at most twice its text's length in bytes (quotes
 * doubled; a UTF-8 byte count is never below the UTF-16 length) plus 3 (enclosing quotes, the
 * formula guard's apostrophe), the date is 27 characters, then 12 commas and CRLF.
 */
export async function exportSize(runner: SqlRunner, where: AuditWhere, cap: number): Promise<{ entries: number; csvChars: number }> {
  where.params.push(cap + 1);
  const [row] = await select<{ entries: number; csvChars: string }>(
    runner,
    `SELECT count(*)::int AS entries, coalesce(sum(2 * x.bytes + 13 * 3 + 2 * 27 + 14), 0)::text AS "csvChars"
       FROM (SELECT octet_length(e.id::text) + coalesce(octet_length(e.actor_id::text), 0) + coalesce(octet_length(e.organisation_id::text), 0)
                  + coalesce(octet_length(e.territory_id::text), 0) + octet_length(e.action) + coalesce(octet_length(e.case_id::text), 0)
                  + coalesce(octet_length(array_to_string(e.classes, ';')), 0) + octet_length(e.decision) + coalesce(octet_length(e.purpose), 0)
                  + coalesce(octet_length(e.request_id), 0) + coalesce(octet_length(e.seq::text), 0) + octet_length(e.detail::text) AS bytes
               FROM audit_events e ${where.sql} LIMIT $${where.params.length}) x`,
    where.params,
  );
  return { entries: row.entries, csvChars: Number(row.csvChars) };
}

/** The id of the newest entry (an export stops there), as text. */
export async function newestEntryId(runner: SqlRunner): Promise<string> {
  const [{ maxId }] = await select<{ maxId: string }>(runner, `SELECT coalesce(max(id), 0)::text AS "maxId" FROM audit_events`);
  return maxId;
}

/** Allowed accesses to a case, by organisation and class: first and last time, how many, which actions. */
export interface AccessReportRow {
  id: string | null;
  name: string | null;
  sector: string | null;
  class: string;
  first: string;
  last: string;
  count: number;
  actions: string[];
}

export function accessReportRows(runner: SqlRunner, scope: TerritoryScope, caseId: string): Promise<AccessReportRow[]> {
  const where = new AuditWhere().add((p) => `e.case_id = ${p}`, caseId);
  if (!scope.all) where.add((p) => `e.territory_id = ANY(${p}::uuid[])`, scope.territoryIds);
  return select<AccessReportRow>(
    runner,
    `SELECT e.organisation_id AS "id", o.name, o.sector, c.class,
            to_char(min(e.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS first,
            to_char(max(e.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last,
            count(*)::int AS count, (array_agg(DISTINCT e.action ORDER BY e.action))[1:${MAX_ACCESS_REPORT_ACTIONS}] AS actions
       FROM audit_events e
       CROSS JOIN LATERAL unnest(e.classes) AS c(class)
       LEFT JOIN organisations o ON o.id = e.organisation_id
      ${where.sql} AND e.decision = 'allow'
      GROUP BY e.organisation_id, o.name, o.sector, c.class
      ORDER BY min(e.at), c.class`,
    where.params,
  );
}

/** The sealer's backlog: entries not chained yet, and the age of the oldest (seconds; 0 when none). Reads the partial index of unsealed rows only. */
export async function sealingLag(db: SqlRunner): Promise<{ unsealed: number; oldestSeconds: number }> {
  const [row] = await select<{ unsealed: number; oldestSeconds: number }>(
    db,
    `SELECT count(*)::int AS unsealed, coalesce(extract(epoch FROM now() - min(at)), 0)::float8 AS "oldestSeconds" FROM audit_events WHERE seq IS NULL`,
  );
  return row;
}

/** A situation the account opened, and when last (its own `case.read` entries). */
export interface RecentReadRow {
  id: string;
  reference: string;
  viewedAt: string;
}

/**
 * The situations this account opened most recently (its allowed reads of a situation page; the
 * session dossier's reads are not "opened"), newest first, one line per situation.
 */
export function recentCaseReads(runner: SqlRunner, actorId: string, limit: number): Promise<RecentReadRow[]> {
  return select<RecentReadRow>(
    runner,
    `SELECT c.id, c.reference, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "viewedAt"
       FROM (SELECT e.case_id, max(e.at) AS at FROM audit_events e
              WHERE e.actor_id = $1 AND e.action = 'case.read' AND e.decision = 'allow' AND e.case_id IS NOT NULL
                AND (e.purpose IS NULL OR e.purpose NOT LIKE 'dossier:%')
              GROUP BY e.case_id ORDER BY max(e.at) DESC LIMIT $2) r
       JOIN cases c ON c.id = r.case_id
      ORDER BY r.at DESC`,
    [actorId, limit],
  );
}
