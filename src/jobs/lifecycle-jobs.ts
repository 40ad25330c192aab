import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AccessService } from '../access/access.service.js';
import { caseStillDue, casesDue } from '../cases/case.repository.js';
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
export function lifecycleTasks(dataSource: DataSource, workflow: WorkflowService, policy: AccessService, clock: Clock): ScheduledTask[] {
  const logger = new Logger('jobs');
  return [
    {
      name: 'follow-up-due',
      everyMs: 60_000,
      run: async () => {
        const due = await casesDue(dataSource, 'follow_up', { now: clock.now(), limit: BATCH });
        return sendEach(
          due,
          (id) => workflow.sendAsSystem(id, 'FOLLOW_UP_DUE', { stillDue: (m) => caseStillDue(m, id, 'follow_up', { now: clock.now() }) }),
          logger,
          'follow-up-due',
        );
      },
    },
    {
      name: 'retention-purge',
      everyMs: 3_600_000,
      run: async () => {
        const retentionDays = policy.policy.retention.protectedClassesAfterClosureDays;
        const expired = await casesDue(dataSource, 'end_of_retention', { now: clock.now(), retentionDays, limit: BATCH });
        return sendEach(
          expired,
          (id) => workflow.sendAsSystem(id, 'PURGE', { stillDue: (m) => caseStillDue(m, id, 'end_of_retention', { now: clock.now(), retentionDays }) }),
          logger,
          'retention-purge',
        );
      },
    },
  ];
}
