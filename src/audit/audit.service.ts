import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { benchSwitchOff } from '../common/bench-switch.js';

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
  /** BENCHMARK ONLY: CELLULE_BENCH_AUDIT=off skips every write; refused (start error) in production. */
  private readonly benchAuditOff = benchSwitchOff('CELLULE_BENCH_AUDIT');

  constructor(private readonly dataSource: DataSource) {}

  /** Writes one entry, inside `manager`'s transaction when given (so it commits with the change). */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  async recordMany(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (this.benchAuditOff) return; // BENCHMARK ONLY (npm run bench): src/common/bench-switch.ts
    if (!entries.length) return;
    const runner = manager ?? this.dataSource.manager;
    const params: unknown[] = [];
    const rows = entries.map((e) => {
      const base = params.length;
      params.push(
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
      );
      return `(${Array.from({ length: 10 }, (_, i) => `$${base + i + 1}`).join(',')})`;
    });
    await runner.query(
      `INSERT INTO audit_events (actor_id, organisation_id, territory_id, action, case_id, classes, decision, purpose, request_id, detail) VALUES ${rows.join(',')}`,
      params,
    );
  }
}
