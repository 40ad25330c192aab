import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import type { ScheduledTask } from '../jobs/scheduler.js';
import { lastDigestHour, nextDigestHour } from './digest-hour.js';
import { digestEmail, immediateEmail } from './emails.js';
import { MailError, type Mailer } from './mailer.js';
import { markDigestSent, markFailed, markSent, markSkipped, pendingEmails, postpone, type PendingEmail } from './notifications.repository.js';

/** Attempts of one email before it is given up (then listed to the admin as failed). */
export const MAX_ATTEMPTS = 8;
const MINUTE = 60_000;

/** When to try again after `attempts` failed attempts: 1, 2, 4… minutes, at most 6 hours apart; null: give up. */
export function nextAttempt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return new Date(now.getTime() + Math.min(MINUTE * 2 ** (attempts - 1), 6 * 60 * MINUTE));
}

const BATCH = 200;

/**
 * The emails of the outbox (SMTP_URL set): each notification's own email for a user who wants
 * them at once, one digest a day at the digest hour (NOTIFICATION_DIGEST_HOUR, Europe/Paris) for a
 * user who asked for it, none for a user who wants none (or
 * a notification already read in the workspace). A failure is kept by category, and tried again
 * with backoff (attempts, next attempt); after MAX_ATTEMPTS it is given up and counted for the
 * admin (GET /notifications/deliveries). Run by the periodic task `notification-delivery`, under
 * one replica at a time (src/jobs/scheduler.ts).
 */
export class NotificationDelivery {
  private readonly logger = new Logger('notifications');

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly site: { operator: string; publicUrl: string; digestHour: number },
  ) {
    if (!mailer.enabled) this.logger.log('Mail is off (no SMTP_URL): notifications are kept in the workspace only');
  }

  /** One round; answers the number of notifications delivered by email. */
  async deliver(): Promise<number> {
    if (!this.mailer.enabled) return 0;
    const now = this.clock.now();
    const due = await pendingEmails(this.dataSource, now, BATCH);
    const skipped = due.filter((n) => n.preference === 'none' || !n.address || n.readAt);
    if (skipped.length)
      await markSkipped(
        this.dataSource,
        skipped.map((n) => n.id),
      );
    const wanted = due.filter((n) => !skipped.includes(n));
    let sent = 0;
    for (const n of wanted.filter((w) => w.preference === 'immediate')) {
      sent += await this.attempt([n], immediateEmail(n, this.site.operator, this.site.publicUrl), now);
    }
    const digests = new Map<string, PendingEmail[]>();
    for (const n of wanted.filter((w) => w.preference === 'daily_digest')) digests.set(n.recipientUserId, [...(digests.get(n.recipientUserId) ?? []), n]);
    const digestHour = lastDigestHour(now, this.site.digestHour);
    for (const [userId, items] of digests) {
      // Due when the day's digest hour has passed since both the last digest and the oldest item
      // waiting: what came after today's hour waits for tomorrow's; a day without news sends nothing.
      const last = items[0].digestSentAt;
      const oldest = Math.min(...items.map((n) => n.createdAt.getTime()));
      if (digestHour.getTime() <= Math.max(last?.getTime() ?? -Infinity, oldest)) {
        // Not yet: waits for the next digest hour, without being read again meanwhile.
        await postpone(
          this.dataSource,
          items.map((n) => n.id),
          nextDigestHour(now, this.site.digestHour),
        );
        continue;
      }
      const delivered = await this.attempt(items, digestEmail(items, this.site.operator, this.site.publicUrl), now);
      if (delivered) await markDigestSent(this.dataSource, userId, now);
      sent += delivered;
    }
    return sent;
  }

  /** Sends one email for `items`: marked sent, or failed with the error's category and the next attempt. */
  private async attempt(items: PendingEmail[], email: ReturnType<typeof immediateEmail>, now: Date): Promise<number> {
    const ids = items.map((n) => n.id);
    try {
      await this.mailer.send(items[0].address!, email);
    } catch (error) {
      const category = error instanceof MailError ? error.category : 'other';
      const attempts = Math.max(...items.map((n) => n.attempts)) + 1;
      const next = nextAttempt(attempts, now);
      await markFailed(this.dataSource, ids, category, next);
      this.logger.warn({ msg: next ? 'email not delivered, will retry' : 'email given up', category, attempts, notifications: ids.length });
      return 0;
    }
    await markSent(this.dataSource, ids, now);
    return ids.length;
  }

  /** The SMTP transport's connections end with the application. */
  onModuleDestroy(): Promise<void> {
    return this.mailer.close();
  }

  task(): ScheduledTask {
    return { name: 'notification-delivery', everyMs: 60_000, run: () => this.deliver() };
  }
}
