import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { CommissionsController } from './commissions.controller.js';
import { CommissionsService } from './commissions.service.js';
import { CaseSessionRecordsController, SessionRecordController } from './record.controller.js';
import { SessionRecordService } from './record.service.js';

@Module({
  imports: [CasesModule],
  controllers: [CommissionsController, SessionRecordController, CaseSessionRecordsController],
  providers: [CommissionsService, SessionRecordService],
})
export class CommissionsModule {}
