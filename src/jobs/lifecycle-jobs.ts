import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { PolicyService } from '../access/policy.service.js';
import type { WorkflowService } from '../cases/workflow.service.js';
import type { Clock } from '../common/clock.js';
import type { ScheduledTask } from './scheduler.js';

const BATCH = 200;

async function sendEach(ids: string[], send: (id: string) => Promise<unknown>, logger: Logger, task: string): Promise<number> {
  let done = 0;
  for (const id of ids) {
    try {
      await send(id);
      done++;
    } catch (error) {
      // One case that cannot move (changed meanwhile, refused by the policy) does not stop the round.
      logger.warn({ msg: 'case skipped', task, caseId: id, reason: (error as Error).message });
    }
  }
  return done;
}

/**
 * The lifecycle's scheduled events, sent as `system` through the workflow (so the machine and
 * the policy decide, and history and audit record them like any event):
 * - FOLLOW_UP_DUE when a plan's follow-up date is reached;
 * - PURGE (crypto-shredding of identity, health, social) at the end of the retention period of
 *   policies/retention.yaml: that long after closure, or, for a case left open, after its last
 *   activity (an event, an action update).
 */
/** Cases whose follow-up date is reached (`c` is the cases row; $1: the clock's time). */
const FOLLOW_UP_DUE = `c.state = 'plan_active' AND c.follow_up_at <= $1`;
/** Cases at the end of retention ($1: the clock's time, $2: the retention in days): that long after closure, or idle that long while open. */
const RETENTION_CLOSED = `c.state = 'closed' AND c.closed_at < $1::timestamptz - make_interval(days => $2)`;
const RETENTION_OPEN = `c.state NOT IN ('closed', 'purged') AND c.last_activity_at < $1::timestamptz - make_interval(days => $2)`;

export function lifecycleTasks(dataSource: DataSource, workflow: WorkflowService, policy: PolicyService, clock: Clock): ScheduledTask[] {
  const logger = new Logger('jobs');
  return [
    {
      name: 'follow-up-due',
      everyMs: 60_000,
      run: async () => {
        const now = clock.now();
        const due = (await dataSource.query(`SELECT c.id FROM cases c WHERE ${FOLLOW_UP_DUE} ORDER BY c.follow_up_at LIMIT ${BATCH}`, [now])) as {
          id: string;
        }[];
        return sendEach(
          due.map((r) => r.id),
          (id) => workflow.sendAsSystem(id, 'FOLLOW_UP_DUE', { stillDue: (m) => stillMatches(m, id, FOLLOW_UP_DUE, [clock.now()]) }),
          logger,
          'follow-up-due',
        );
      },
    },
    {
      name: 'retention-purge',
      everyMs: 3_600_000,
      run: async () => {
        const days = policy.policy.retention.protectedClassesAfterClosureDays;
        const expired = (await dataSource.query(
          `SELECT id FROM (
             SELECT c.id, c.closed_at AS since FROM cases c WHERE ${RETENTION_CLOSED}
             UNION ALL
             SELECT c.id, c.last_activity_at FROM cases c WHERE ${RETENTION_OPEN}
           ) expired ORDER BY since LIMIT ${BATCH}`,
          [clock.now(), days],
        )) as { id: string }[];
        return sendEach(
          expired.map((r) => r.id),
          (id) =>
            workflow.sendAsSystem(id, 'PURGE', { stillDue: (m) => stillMatches(m, id, `(${RETENTION_CLOSED}) OR (${RETENTION_OPEN})`, [clock.now(), days]) }),
          logger,
          'retention-purge',
        );
      },
    },
  ];
}

/** Whether the case (its row locked by the transition) still meets the condition it was chosen for. */
async function stillMatches(manager: EntityManager, caseId: string, condition: string, params: unknown[]): Promise<boolean> {
  const rows = (await manager.query(`SELECT 1 FROM cases c WHERE (${condition}) AND c.id = $${params.length + 1}`, [...params, caseId])) as unknown[];
  return rows.length === 1;
}
