import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import type { AuditEventDto, AuditFiltersQuery } from './dto/audit-query.dto.js';

/** The columns of an entry as auditors see it (never anything beyond the audit row itself). */
const ITEM_COLUMNS = `e.id::text AS id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
  e.actor_id AS "actorId", e.organisation_id AS "organisationId", e.territory_id AS "territoryId", e.action, e.case_id AS "caseId",
  e.classes, e.decision, e.purpose, e.request_id AS "requestId", e.seq::text AS seq, e.detail`;

export const CSV_COLUMNS = [
  'id',
  'at',
  'actorId',
  'organisationId',
  'territoryId',
  'action',
  'caseId',
  'classes',
  'decision',
  'purpose',
  'requestId',
  'seq',
  'detail',
] as const;

export interface AccessReport {
  caseId: string;
  generatedAt: string;
  organisations: {
    id: string | null;
    name: string | null;
    sector: string | null;
    first: string;
    last: string;
    classes: { class: string; first: string; last: string; count: number; actions: string[] }[];
  }[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const instant = (param: string, value: string) =>
  /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) ? `${param}::timestamptz` : `${param}::timestamp AT TIME ZONE 'UTC'`;

interface Where {
  clauses: string[];
  params: unknown[];
}

function encodeCursor(order: 'asc' | 'desc', id: string): string {
  return Buffer.from(`${order}:${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, order: 'asc' | 'desc'): string {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(asc|desc):(\d{1,19})$/.exec(text);
  if (!match || match[1] !== order) throw AppError.validation('cursor', 'is not a cursor of this listing');
  return match[2];
}

/** One CSV field (RFC 4180); a leading = + - @ or control character gets an apostrophe (spreadsheet formula guard). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(item: AuditEventDto): string {
  return (
    CSV_COLUMNS.map((column) => {
      if (column === 'classes') return csvField(item.classes.join(';'));
      if (column === 'detail') return csvField(JSON.stringify(item.detail));
      return csvField(item[column]);
    }).join(',') + '\r\n'
  );
}

/** Reads the audit log for auditors: filtered pages, streamed exports, the access report of a case. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly dataSource: DataSource) {}

  private where(viewer: RequestViewer, f: AuditFiltersQuery): Where {
    const w: Where = { clauses: [], params: [] };
    const add = (sql: (p: string) => string, value: unknown) => {
      w.params.push(value);
      w.clauses.push(sql(`$${w.params.length}`));
    };
    // An auditor attached to a territory reads that territory's log only; a deployment-wide auditor (the DPO) reads all.
    if (viewer.territoryId) add((p) => `e.territory_id = ${p}`, viewer.territoryId);
    if (f.territoryId) add((p) => `e.territory_id = ${p}`, f.territoryId);
    if (f.caseId) add((p) => `e.case_id = ${p}`, f.caseId);
    if (f.userId) add((p) => `e.actor_id = ${p}`, f.userId);
    if (f.organisationId) add((p) => `e.organisation_id = ${p}`, f.organisationId);
    if (f.decision) add((p) => `e.decision = ${p}`, f.decision);
    // Dates alone are whole UTC days (both ends included); times without an offset are UTC.
    if (f.from) {
      if (DATE_ONLY.test(f.from)) add((p) => `e.at >= ${p}::date::timestamp AT TIME ZONE 'UTC'`, f.from);
      else add((p) => `e.at >= ${instant(p, f.from!)}`, f.from);
    }
    if (f.to) {
      if (DATE_ONLY.test(f.to)) add((p) => `e.at < (${p}::date + 1)::timestamp AT TIME ZONE 'UTC'`, f.to);
      else add((p) => `e.at <= ${instant(p, f.to!)}`, f.to);
    }
    if (f.action) {
      if (f.action.endsWith('*')) add((p) => `e.action LIKE ${p} ESCAPE '\\'`, `${f.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      else add((p) => `e.action = ${p}`, f.action);
    }
    return w;
  }

  /** One page, by entry id (newest first unless `order=asc`). */
  async list(
    viewer: RequestViewer,
    f: AuditFiltersQuery & { limit?: number; cursor?: string },
  ): Promise<{ items: AuditEventDto[]; nextCursor: string | null }> {
    const order = f.order ?? 'desc';
    const limit = f.limit ?? 100;
    const w = this.where(viewer, f);
    if (f.cursor) {
      w.params.push(decodeCursor(f.cursor, order));
      w.clauses.push(`e.id ${order === 'asc' ? '>' : '<'} $${w.params.length}::bigint`);
    }
    w.params.push(limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS} FROM audit_events e ${w.clauses.length ? `WHERE ${w.clauses.join(' AND ')}` : ''}
        ORDER BY e.id ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT $${w.params.length}`,
      w.params,
    )) as AuditEventDto[];
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(order, items[items.length - 1].id) : null };
  }

  /**
   * Every matching entry (oldest first unless `order=desc`), page by page, up to the newest entry
   * that existed when the export started.
   */
  async *exportItems(viewer: RequestViewer, f: AuditFiltersQuery, pageSize = 1000): AsyncGenerator<AuditEventDto> {
    const order = f.order ?? 'asc';
    const [{ maxId }] = (await this.dataSource.query(`SELECT coalesce(max(id), 0)::text AS "maxId" FROM audit_events`)) as { maxId: string }[];
    let after: string | null = null;
    for (;;) {
      const w = this.where(viewer, f);
      w.params.push(maxId);
      w.clauses.push(`e.id <= $${w.params.length}::bigint`);
      if (after !== null) {
        w.params.push(after);
        w.clauses.push(`e.id ${order === 'asc' ? '>' : '<'} $${w.params.length}::bigint`);
      }
      w.params.push(pageSize);
      const rows = (await this.dataSource.query(
        `SELECT ${ITEM_COLUMNS} FROM audit_events e WHERE ${w.clauses.join(' AND ')} ORDER BY e.id ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT $${w.params.length}`,
        w.params,
      )) as AuditEventDto[];
      yield* rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].id;
    }
  }

  async *exportJson(viewer: RequestViewer, f: AuditFiltersQuery): AsyncGenerator<string> {
    let first = true;
    yield '[';
    for await (const item of this.exportItems(viewer, f)) {
      yield `${first ? '\n' : ',\n'}${JSON.stringify(item)}`;
      first = false;
    }
    yield '\n]\n';
  }

  async *exportCsv(viewer: RequestViewer, f: AuditFiltersQuery): AsyncGenerator<string> {
    yield CSV_COLUMNS.join(',') + '\r\n';
    for await (const item of this.exportItems(viewer, f)) yield csvLine(item);
  }

  /**
   * For a person's access request: which organisations read (or wrote) which classes of the case,
   * first and last time, how many times. Allowed accesses only; denied attempts are in the log.
   */
  async accessReport(viewer: RequestViewer, caseId: string): Promise<AccessReport> {
    const params: unknown[] = [caseId];
    let territory = '';
    if (viewer.territoryId) {
      params.push(viewer.territoryId);
      territory = `AND e.territory_id = $2`;
    }
    const rows = (await this.dataSource.query(
      `SELECT e.organisation_id AS "id", o.name, o.sector, c.class,
              to_char(min(e.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS first,
              to_char(max(e.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last,
              count(*)::int AS count, array_agg(DISTINCT e.action ORDER BY e.action) AS actions
         FROM audit_events e
         CROSS JOIN LATERAL unnest(e.classes) AS c(class)
         LEFT JOIN organisations o ON o.id = e.organisation_id
        WHERE e.case_id = $1 AND e.decision = 'allow' ${territory}
        GROUP BY e.organisation_id, o.name, o.sector, c.class
        ORDER BY min(e.at), c.class`,
      params,
    )) as { id: string | null; name: string | null; sector: string | null; class: string; first: string; last: string; count: number; actions: string[] }[];
    const byOrg = new Map<string, AccessReport['organisations'][number]>();
    for (const r of rows) {
      const key = r.id ?? '';
      let org = byOrg.get(key);
      if (!org) {
        org = { id: r.id, name: r.name, sector: r.sector, first: r.first, last: r.last, classes: [] };
        byOrg.set(key, org);
      }
      if (r.first < org.first) org.first = r.first;
      if (r.last > org.last) org.last = r.last;
      org.classes.push({ class: r.class, first: r.first, last: r.last, count: r.count, actions: r.actions });
    }
    return { caseId, generatedAt: new Date().toISOString(), organisations: [...byOrg.values()] };
  }
}
