import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { NotificationDelivery } from './delivery.js';
import { Mailer, NoMailer, SmtpMailer } from './mailer.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { Notifier } from './notifier.js';

/**
 * Notifications (issue 13, item 2): who is told what (Notifier, used by the workflow and the
 * session record in their transactions), the user's list and preference, the emails. Global: the
 * services that cause notifications and the jobs reach the Notifier without importing this module.
 */
@Global()
@Module({
  controllers: [NotificationsController],
  providers: [
    Notifier,
    NotificationsService,
    {
      provide: Mailer,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<Mailer> => (config.mail.smtpUrl ? SmtpMailer.open(config.mail.smtpUrl, config.mail.from) : new NoMailer()),
    },
    {
      provide: NotificationDelivery,
      inject: [DataSource, Mailer, Clock, APP_CONFIG],
      useFactory: (dataSource: DataSource, mailer: Mailer, clock: Clock, config: AppConfig) =>
        new NotificationDelivery(dataSource, mailer, clock, {
          operator: config.web.operator.name,
          publicUrl: config.mail.publicUrl,
          digestHour: config.mail.digestHour,
          retry: config.mail.retry,
        }),
    },
  ],
  exports: [Notifier, NotificationDelivery, Mailer],
})
export class NotificationsModule {}
