import type { DataSource } from 'typeorm';
import type { AccessService } from '../access/access.service.js';
import { sealingLag } from '../audit/audit-events.repository.js';
import { countDue } from '../cases/case.repository.js';
import type { Clock } from '../common/clock.js';
import type { MetricsProbe } from './metrics.js';
import { asSystem } from '../database/territory-scope.js';
import { select } from '../database/sql.js';
import { JOB_SCHEMA } from '../../migrations/1796500000001-JobQueue.js';

const CAP = 10_000;

/** The gauges' readings, from the database at scrape time (nothing kept in memory, so every replica reports the same). */
export function databaseProbe(dataSource: DataSource, access: AccessService, clock: Clock): MetricsProbe {
  return {
    jobQueue: () =>
      asSystem('metrics:job-queue', async () => {
        const now = clock.now();
        return {
          'follow-up-due': await countDue(dataSource, 'follow_up', { now, cap: CAP }),
          'retention-purge': await countDue(dataSource, 'end_of_retention', {
            now,
            retentionDays: access.policy.retention.protectedClassesAfterClosureDays,
            cap: CAP,
          }),
        };
      }),
    // pg-boss's table has no territory: no scope needed.
    jobStates: () =>
      select<{ queue: string; state: string; count: number }>(
        dataSource,
        `SELECT name AS queue, state::text AS state, count(*)::int AS count FROM ${JOB_SCHEMA}.job GROUP BY name, state ORDER BY name, state`,
      ),
    auditLag: () => asSystem('metrics:audit-lag', () => sealingLag(dataSource)),
  };
}
