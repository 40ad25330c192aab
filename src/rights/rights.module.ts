import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { RightsController } from './rights.controller.js';
import { RightsService } from './rights.service.js';

/** The person's rights requests, handled by the DPO (src/rights, issue 15). */
@Module({
  imports: [CasesModule, NotificationsModule],
  controllers: [RightsController],
  providers: [RightsService],
})
export class RightsModule {}
