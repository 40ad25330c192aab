import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { CommissionsController } from './commissions.controller.js';
import { CommissionsService } from './commissions.service.js';

@Module({
  imports: [CasesModule],
  controllers: [CommissionsController],
  providers: [CommissionsService],
})
export class CommissionsModule {}
