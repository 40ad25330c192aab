import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import { findCaseReferences, type CaseReferenceRow } from '../cases/case.repository.js';
import {
  accessReportRows,
  AuditWhere,
  type AccessReportRow,
  listEntries,
  newestEntryId,
  recentCaseReads,
  type RecentReadRow,
} from './audit-events.repository.js';
import type { AuditEventDto, AuditFiltersQuery } from './dto/audit-query.dto.js';

/** How many situations GET /me/recent-situations lists at most. */
export const RECENT_SITUATIONS = 8;
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

/**
 * A case's access report from its rows (src/audit/audit-events.repository.ts, accessReportRows):
 * which organisations read (or wrote) which classes, first and last time, how many times — for the
 * auditor answering a person's request and for the situation's Accès tab alike.
 */
export function accessReportOf(caseId: string, rows: AccessReportRow[], generatedAt = new Date()): AccessReport {
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
  return { caseId, generatedAt: generatedAt.toISOString(), organisations: [...byOrg.values()] };
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

/**
 * Reads the audit log for auditors: filtered pages, streamed exports, the access report of a case,
 * each within the territories the access service gives the caller (theirs, or all for an auditor
 * attached to none).
 */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
  ) {}

  /** One page, by entry id (newest first unless `order=asc`). */
  async list(
    viewer: RequestViewer,
    f: AuditFiltersQuery & { limit?: number; cursor?: string },
  ): Promise<{ items: AuditEventDto[]; nextCursor: string | null }> {
    const order = f.order ?? 'desc';
    const limit = f.limit ?? 100;
    const where = AuditWhere.of(this.access.scope(viewer, 'audit.events.list'), f);
    if (f.cursor) {
      const after = decodeCursor(f.cursor, order);
      where.add((p) => `e.id ${order === 'asc' ? '>' : '<'} ${p}::bigint`, after);
    }
    const rows = await listEntries(this.dataSource, where, order, limit + 1);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(order, items[items.length - 1].id) : null };
  }

  /**
   * Every matching entry (oldest first unless `order=desc`), page by page, up to the newest entry
   * that existed when the export started.
   */
  async *exportItems(viewer: RequestViewer, f: AuditFiltersQuery, pageSize = 1000): AsyncGenerator<AuditEventDto> {
    const order = f.order ?? 'asc';
    const scope = this.access.scope(viewer, 'audit.events.export');
    const maxId = await newestEntryId(this.dataSource);
    let after: string | null = null;
    for (;;) {
      const where = AuditWhere.of(scope, f).add((p) => `e.id <= ${p}::bigint`, maxId);
      if (after !== null) where.add((p) => `e.id ${order === 'asc' ? '>' : '<'} ${p}::bigint`, after);
      const rows = await listEntries(this.dataSource, where, order, pageSize);
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
    return accessReportOf(caseId, await accessReportRows(this.dataSource, this.access.scope(viewer, 'audit.access-report'), caseId));
  }

  /**
   * Situations by reference (an auditor answering a person's request knows the reference, not the
   * id) or by ids (to name the situations of a page of the log): id, reference, territory, within
   * the caller's territories. Nothing of their content is read.
   */
  situations(viewer: RequestViewer, by: { reference?: string; ids?: string[] }): Promise<CaseReferenceRow[]> {
    if (!by.reference && !by.ids?.length) throw AppError.validation('reference', 'give a reference or ids');
    return findCaseReferences(this.dataSource, this.access.scope(viewer, 'audit.situation.find'), {
      reference: by.reference?.trim().toUpperCase(),
      ids: by.ids?.length ? by.ids : undefined,
    });
  }

  /** The situations this account itself opened lately, newest first (its own entries of the log). */
  recent(viewer: RequestViewer, limit = RECENT_SITUATIONS): Promise<RecentReadRow[]> {
    return recentCaseReads(this.dataSource, viewer.userId, limit);
  }
}
