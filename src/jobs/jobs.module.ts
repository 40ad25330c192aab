import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import { CasesModule } from '../cases/cases.module.js';
import { WorkflowService } from '../cases/workflow.service.js';
import { Clock } from '../common/clock.js';
import { expireIdempotencyKeys } from '../common/idempotency.js';
import { NotificationDelivery } from '../notifications/delivery.js';
import { Notifier } from '../notifications/notifier.js';
import { lifecycleTasks } from './lifecycle-jobs.js';
import { Scheduler } from './scheduler.js';
import { sessionTasks } from './session-jobs.js';

/** The lifecycle's scheduled work (and the sessions' end). Built with the application; started by the server only (src/app.ts), never by a command. */
@Module({
  imports: [CasesModule],
  providers: [
    {
      provide: Scheduler,
      inject: [DataSource, WorkflowService, AccessService, AuditService, Clock, Notifier, NotificationDelivery],
      useFactory: (
        dataSource: DataSource,
        workflow: WorkflowService,
        policy: AccessService,
        audit: AuditService,
        clock: Clock,
        notifier: Notifier,
        delivery: NotificationDelivery,
      ) =>
        new Scheduler(dataSource, [
          ...lifecycleTasks(dataSource, workflow, policy, clock),
          ...sessionTasks(dataSource, audit, clock),
          // Answers of idempotent requests are kept 24 hours (src/common/idempotency.ts).
          { name: 'idempotency-expiry', everyMs: 3_600_000, run: () => expireIdempotencyKeys(dataSource) },
          // Notifications (issue 13): the time-driven kinds (due actions, consents, convocations), then the emails.
          notifier.dueTask(dataSource, clock),
          delivery.task(),
        ]),
    },
  ],
  exports: [Scheduler],
})
export class JobsModule {}
