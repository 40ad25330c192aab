import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { preparedQuery } from '../database/sql.js';

export interface AuditEntry {
  actorId: string | null;
  organisationId: string | null;
  territoryId?: string | null;
  /** What was attempted: `case.read`, `case.event.SUBMIT`, `auth.login`, `admin.user.create`… */
  action: string;
  caseId?: string | null;
  classes?: string[];
  decision: 'allow' | 'deny';
  /** Why: the relation or purpose under which the access happened, or the reason of a denial. */
  purpose?: string | null;
  requestId?: string | null;
  /** Non-identifying details only (ids, state names, counts). */
  detail?: Record<string, unknown>;
}

/**
 * The access log. Every read of an encrypted class, every event, every denial, every login and
 * every administrative change is written here — never a protected value.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes one entry, inside `manager`'s transaction when given (so it commits with the change). */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  async recordMany(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (!entries.length) return;
    const params: unknown[] = [];
    const rows = entries.map((e) => {
      const base = params.length;
      params.push(...auditValues(e));
      return `(${AUDIT_COLUMNS.map((_, i) => `$${base + i + 1}`).join(',')})`;
    });
    const text = `INSERT INTO audit_events (${AUDIT_COLUMNS.join(', ')}) VALUES ${rows.join(',')}`;
    const runner = manager ?? this.dataSource.manager;
    // One entry (nearly every call) is a fixed text, prepared; a batch's text depends on its size.
    await (entries.length === 1 ? preparedQuery(runner, text, params) : runner.query(text, params));
  }

  /**
   * The entry as columns and values, for a statement that appends it in the same round trip as
   * the change it records (the transition's UPDATE, src/cases/case.repository.ts); null when
   * nothing is to be written (the benchmark's audit-off variant, bench/variants.ts).
   */
  rowOf(entry: AuditEntry): { columns: readonly string[]; values: unknown[] } | null {
    return auditRow(entry);
  }
}

/** The columns a request writes; the chain columns (seq, prev_id, hash) are the sealer's. */
const AUDIT_COLUMNS = ['actor_id', 'organisation_id', 'territory_id', 'action', 'case_id', 'classes', 'decision', 'purpose', 'request_id', 'detail'] as const;

/** One entry as the columns and values of its row (what rowOf answers when the audit is on). */
export function auditRow(entry: AuditEntry): { columns: readonly string[]; values: unknown[] } {
  return { columns: AUDIT_COLUMNS, values: auditValues(entry) };
}

function auditValues(e: AuditEntry): unknown[] {
  return [
    e.actorId,
    e.organisationId,
    e.territoryId ?? null,
    e.action,
    e.caseId ?? null,
    e.classes ?? [],
    e.decision,
    e.purpose ?? null,
    e.requestId ?? null,
    JSON.stringify(e.detail ?? {}),
  ];
}
