import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import type { SqlRunner } from '../database/sql.js';
import { enqueueJob, type OneOffJob } from '../jobs/job-queue.js';
import type { ScheduledTask } from '../jobs/scheduler.js';
import { lastDigestHour } from './digest-hour.js';
import { digestEmail, immediateEmail, type Email } from './emails.js';
import { MailError, type Mailer } from './mailer.js';
import type { DeliveryError } from './notification-kinds.js';
import {
  lockQueuedEmails,
  markDigestSent,
  markFailed,
  markSent,
  markSkipped,
  markWaiting,
  queueDigest,
  queueImmediateEmails,
  releaseOrphanEmails,
  waitingDigests,
  type QueuedEmail,
} from './notifications.repository.js';

/** The queue of the emails: one job per email (one notification, or one user's daily digest). Made by migration MailJobs. */
export const EMAIL_QUEUE = 'notification-email';

/**
 * What an email's job carries: the notifications it tells, by id — never an address, a
 * reference or a text (pg-boss keeps it in `pgboss.job`); the worker reads the rest when it sends.
 */
export interface EmailJob {
  notificationIds: string[];
  digest: boolean;
}

/**
 * pg-boss's retries of an email: `retryLimit` more attempts after the first, the n-th after
 * retryDelay × 2ⁿ⁻¹ to twice that (seconds). Default 7 retries from 1 minute: the last attempt
 * comes 1 to 2 hours after the one before, 2 to 4 hours after the first failure (NOTIFICATION_RETRY_LIMIT,
 * NOTIFICATION_RETRY_DELAY_SECONDS).
 */
export interface EmailRetry {
  retryLimit: number;
  retryDelay: number;
}

export interface DeliverySite {
  operator: string;
  publicUrl: string;
  digestHour: number;
  retry: EmailRetry;
}

/**
 * The emails of the outbox (SMTP_URL set), each one a pg-boss job on EMAIL_QUEUE:
 *
 * - a notification for a user who wants it at once is `queued` and its job enqueued in the
 *   transaction that writes it (Notifier → `queue`): rolled back, neither exists;
 * - a user who asked for the daily digest: the notifications wait (`pending`); the periodic
 *   round `notification-digest` (every minute, one replica at a time) takes those of each user
 *   whose digest hour (NOTIFICATION_DIGEST_HOUR, Europe/Paris) has passed since the last digest
 *   and since the oldest of them, and enqueues one job for them all; the same round queues any
 *   notification left `pending` for a user who no longer wants a digest;
 * - a user who wants none: `skipped`; a notification read in the workspace before its email
 *   goes, or an account disabled meanwhile: `skipped` by the job.
 *
 * The job (one worker of one replica fetches it) sends under the row locks of its notifications,
 * and marks them sent. SMTP refusing or unreachable: the attempt is counted with its category,
 * the job throws, pg-boss retries it with backoff (EmailRetry); after the last retry the
 * notifications are `failed` — both counted for the admin (GET /notifications/deliveries).
 * An email whose job is gone (a restored database) is queued again by the round; one whose job
 * failed for another reason than the mail is `failed` too (releaseOrphanEmails).
 */
export class NotificationDelivery {
  private readonly logger = new Logger('notifications');

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly site: DeliverySite,
  ) {
    if (!mailer.enabled) this.logger.log('Mail is off (no SMTP_URL): notifications are kept in the workspace only');
  }

  /**
   * The emails of notifications just written, in the writing transaction `db`: one job each for
   * those wanted at once. Mail off: nothing (they wait, `pending`, should mail be turned on).
   */
  async queue(db: SqlRunner, ids: readonly string[]): Promise<number> {
    if (!this.mailer.enabled || !ids.length) return 0;
    const queued = await queueImmediateEmails(db, ids);
    for (const id of queued) await this.enqueue(db, { notificationIds: [id], digest: false });
    return queued.length;
  }

  private enqueue(db: SqlRunner, job: EmailJob): Promise<string | null> {
    return enqueueJob(db, EMAIL_QUEUE, job, { retryLimit: this.site.retry.retryLimit, retryDelay: this.site.retry.retryDelay, retryBackoff: true });
  }

  /** The periodic round: the digests due, and what waits for a user who no longer wants one. Answers the jobs enqueued. */
  async round(): Promise<number> {
    if (!this.mailer.enabled) return 0;
    let jobs = await this.dataSource.transaction(async (m) => {
      await releaseOrphanEmails(m, EMAIL_QUEUE);
      const ids = await queueImmediateEmails(m, null);
      for (const id of ids) await this.enqueue(m, { notificationIds: [id], digest: false });
      return ids.length;
    });
    const digestHour = lastDigestHour(this.clock.now(), this.site.digestHour);
    for (const waiting of await waitingDigests(this.dataSource)) {
      // Due when the day's digest hour has passed since both the last digest and the oldest item
      // waiting: what came after today's hour waits for tomorrow's; a day without news sends nothing.
      if (digestHour.getTime() <= Math.max(waiting.digestSentAt?.getTime() ?? -Infinity, waiting.oldest.getTime())) continue;
      jobs += await this.dataSource.transaction(async (m) => {
        const taken = await queueDigest(m, waiting.ids);
        if (!taken.length) return 0;
        await this.enqueue(m, { notificationIds: taken, digest: true });
        return 1;
      });
    }
    return jobs;
  }

  /**
   * One email's job. Answers how many notifications it delivered; throws (a MailError naming the
   * category) for pg-boss to retry it.
   */
  async send(job: OneOffJob<EmailJob>): Promise<{ delivered: number }> {
    const last = job.retryCount >= job.retryLimit;
    const outcome = await this.dataSource.transaction(async (m): Promise<{ delivered: number } | { failed: DeliveryError }> => {
      const items = await lockQueuedEmails(m, job.data.notificationIds);
      const skipped = items.filter((n) => n.preference === 'none' || !n.address || n.readAt);
      if (skipped.length)
        await markSkipped(
          m,
          skipped.map((n) => n.id),
        );
      let wanted = items.filter((n) => !skipped.includes(n));
      if (!job.data.digest) {
        // The user chose the digest since: it will carry them.
        const later = wanted.filter((n) => n.preference === 'daily_digest');
        if (later.length)
          await markWaiting(
            m,
            later.map((n) => n.id),
          );
        wanted = wanted.filter((n) => !later.includes(n));
      }
      if (!wanted.length) return { delivered: 0 };
      const ids = wanted.map((n) => n.id);
      try {
        await this.mailer.send(wanted[0].address!, this.emailOf(wanted, job.data.digest));
      } catch (error) {
        const category = error instanceof MailError ? error.category : 'other';
        await markFailed(m, ids, category, last);
        return { failed: category };
      }
      const now = this.clock.now();
      await markSent(m, ids, now);
      if (job.data.digest) await markDigestSent(m, wanted[0].recipientUserId, now);
      return { delivered: ids.length };
    });
    if ('failed' in outcome) {
      this.logger.warn({ msg: last ? 'email given up' : 'email not delivered, will retry', category: outcome.failed, attempt: job.retryCount + 1 });
      throw new MailError(outcome.failed);
    }
    return outcome;
  }

  private emailOf(items: QueuedEmail[], digest: boolean): Email {
    return digest ? digestEmail(items, this.site.operator, this.site.publicUrl) : immediateEmail(items[0], this.site.operator, this.site.publicUrl);
  }

  /** The SMTP transport's connections end with the application. */
  onModuleDestroy(): Promise<void> {
    return this.mailer.close();
  }

  task(): ScheduledTask {
    return { name: 'notification-digest', everyMs: 60_000, run: () => this.round() };
  }
}
