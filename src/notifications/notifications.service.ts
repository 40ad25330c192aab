import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestViewer } from '../auth/viewer.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DIGEST_TIME_ZONE } from './digest-hour.js';
import { AppError } from '../common/errors.js';
import { asSystem } from '../database/territory-scope.js';
import type { NotificationDto, NotificationPreferencesDto, NotificationsDto } from './dto/notifications.dto.js';
import { Mailer } from './mailer.js';
import type { EmailPreference } from './notification-kinds.js';
import {
  countNotifications,
  deliveryFailures,
  emailPreferenceOf,
  listNotifications,
  markAllRead,
  markRead,
  setEmailPreference,
  type DeliveryFailureRow,
  type NotificationRow,
} from './notifications.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A user's own notifications, whatever the caller's territory scope: the row-level security of
 * `notifications` is by the territory of the situation or request they are about, and an account
 * attached to no territory (an administrator, a DPO for every territory) has no scope that shows
 * them. Every query run through here names the recipient (the caller), so this explicit door reads
 * and marks the caller's own rows only.
 */
function ownRows<T>(fn: () => Promise<T>): Promise<T> {
  return asSystem('own-notifications', fn);
}

function dto(n: NotificationRow): NotificationDto {
  return { ...n, dueAt: iso(n.dueAt), at: n.at.toISOString(), readAt: iso(n.readAt) };
}

/** A user's own notifications and email preference; the admin's view of failed deliveries. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(viewer: RequestViewer, limit = 20, offset = 0): Promise<NotificationsDto> {
    const db = this.dataSource.manager;
    const [rows, counts] = await ownRows(() => Promise.all([listNotifications(db, viewer.userId, limit, offset), countNotifications(db, viewer.userId)]));
    return { items: rows.map(dto), ...counts, limit, offset };
  }

  /** Marks one of the caller's notifications read; another's, or none, is 404 (never confirmed). */
  async markRead(viewer: RequestViewer, id: string): Promise<{ marked: number; unread: number }> {
    const db = this.dataSource.manager;
    return ownRows(async () => {
      if (!(await markRead(db, viewer.userId, id, this.clock.now()))) throw AppError.notFound('Notification');
      return { marked: 1, unread: (await countNotifications(db, viewer.userId)).unread };
    });
  }

  async markAllRead(viewer: RequestViewer): Promise<{ marked: number; unread: number }> {
    const db = this.dataSource.manager;
    return ownRows(async () => {
      const marked = await markAllRead(db, viewer.userId, this.clock.now());
      return { marked, unread: (await countNotifications(db, viewer.userId)).unread };
    });
  }

  async preferences(viewer: RequestViewer): Promise<NotificationPreferencesDto> {
    return {
      email: await emailPreferenceOf(this.dataSource.manager, viewer.userId),
      mailEnabled: this.mailer.enabled,
      digestHour: this.config.mail.digestHour,
      digestTimeZone: DIGEST_TIME_ZONE,
    };
  }

  async setPreferences(viewer: RequestViewer, email: EmailPreference): Promise<NotificationPreferencesDto> {
    await setEmailPreference(this.dataSource.manager, viewer.userId, email, this.clock.now());
    return this.preferences(viewer);
  }

  async failures(): Promise<{ mailEnabled: boolean; items: DeliveryFailureRow[] }> {
    return { mailEnabled: this.mailer.enabled, items: await deliveryFailures(this.dataSource.manager) };
  }
}
