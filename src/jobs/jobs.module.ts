import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditSealer } from '../audit/audit-sealer.js';
import { AuditService } from '../audit/audit.service.js';
import { CasesModule } from '../cases/cases.module.js';
import { WorkflowService } from '../cases/workflow.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Metrics } from '../metrics/metrics.js';
import { EMAIL_QUEUE, NotificationDelivery, type EmailJob } from '../notifications/delivery.js';
import { Notifier } from '../notifications/notifier.js';
import { JobQueue } from './job-queue.js';
import { auditTasks } from './audit-jobs.js';
import { lifecycleTasks } from './lifecycle-jobs.js';
import { idempotencyTasks } from './idempotency-jobs.js';
import { sessionTasks } from './session-jobs.js';

/**
 * The scheduled work (the lifecycle's events, the sessions' end, housekeeping) on the job queue
 * (src/jobs/job-queue.ts). Built with the application; started by the server only (src/app.ts,
 * when config.jobs), never by a command. A task added here needs its queue created by a migration
 * (createJobQueues).
 */
@Module({
  imports: [CasesModule],
  providers: [
    {
      provide: JobQueue,
      inject: [DataSource, WorkflowService, AccessService, AuditService, Clock, APP_CONFIG, Metrics, Notifier, NotificationDelivery, AuditSealer],
      useFactory: async (
        dataSource: DataSource,
        workflow: WorkflowService,
        policy: AccessService,
        audit: AuditService,
        clock: Clock,
        config: AppConfig,
        metrics: Metrics,
        notifier: Notifier,
        delivery: NotificationDelivery,
        sealer: AuditSealer,
      ) => {
        const queue = new JobQueue(
          dataSource,
          [
            ...lifecycleTasks(dataSource, workflow, policy, clock),
            ...sessionTasks(dataSource, audit, clock),
            ...idempotencyTasks(dataSource, audit),
            ...auditTasks(sealer),
            // Notifications (issue 13): the time-driven kinds (due actions, consents, convocations), then the digests.
            notifier.dueTask(dataSource, clock),
            delivery.task(),
          ],
          {
            url: (dataSource.options as { url?: string }).url ?? '',
            stopTimeoutMs: config.shutdownTimeoutMs,
            observe: (name, outcome) => metrics.jobRun(name, outcome),
          },
        );
        // Each email is a job of its own, enqueued with its notification (src/notifications/delivery.ts).
        await queue.work<EmailJob>(EMAIL_QUEUE, (job) => delivery.send(job));
        return queue;
      },
    },
  ],
  exports: [JobQueue],
})
export class JobsModule {}
