import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { closeEndedSession, sessionsPastTheirEnd } from '../commissions/sessions.repository.js';
import type { Clock } from '../common/clock.js';
import type { ScheduledTask } from './scheduler.js';

const BATCH = 200;

/**
 * A session releases only during it (DESIGN.md, "Sessions as held": it ends by itself at its end
 * time): an open session whose end time has passed is closed, which ends its attendees' relation
 * to the cases of its agenda and their access to its dossier. Each closing is its own
 * transaction, audited as `session.close` by the system; the UPDATE closes only a session still
 * open and past its end, so a session is closed once, even if the coordinator closes it at the
 * same moment or a round runs again (the job queue runs one round at a time, on one replica).
 */
export function sessionTasks(dataSource: DataSource, audit: AuditService, clock: Clock): ScheduledTask[] {
  return [
    {
      name: 'session-end',
      everyMs: 60_000,
      run: async () => {
        const now = clock.now();
        let closed = 0;
        for (const session of await sessionsPastTheirEnd(dataSource, now, BATCH)) {
          const done = await dataSource.transaction(async (m) => {
            if (!(await closeEndedSession(m, session.id, now))) return false;
            await audit.record(
              {
                actorId: null,
                organisationId: null,
                territoryId: session.territoryId,
                action: 'session.close',
                decision: 'allow',
                purpose: 'end time reached',
                detail: { sessionId: session.id },
              },
              m,
            );
            return true;
          });
          if (done) closed++;
        }
        return closed;
      },
    },
  ];
}
