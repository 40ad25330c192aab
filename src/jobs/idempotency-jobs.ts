import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { expireIdempotencyKeys } from '../common/idempotency.js';
import type { ScheduledTask } from './scheduler.js';

/**
 * Answers of idempotent requests are kept 24 hours (src/common/idempotency.ts); then they go, in
 * one transaction with the audit entry that says how many went (a sealed answer may hold a
 * situation's identity: its deletion is recorded like any erasure, as the system).
 */
export function idempotencyTasks(dataSource: DataSource, audit: AuditService): ScheduledTask[] {
  return [
    {
      name: 'idempotency-expiry',
      everyMs: 3_600_000,
      run: () =>
        dataSource.transaction(async (m) => {
          const deleted = await expireIdempotencyKeys(m);
          if (deleted > 0) {
            await audit.record(
              { actorId: null, organisationId: null, action: 'idempotency.expire', decision: 'allow', purpose: 'kept 24 hours', detail: { deleted } },
              m,
            );
          }
          return deleted;
        }),
    },
  ];
}
