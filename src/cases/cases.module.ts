import { Module } from '@nestjs/common';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';
import { DuplicatesService } from './duplicates.service.js';
import { WorkflowService } from './workflow.service.js';

@Module({
  controllers: [CasesController],
  providers: [CasesService, WorkflowService, DuplicatesService],
  exports: [CasesService, WorkflowService],
})
export class CasesModule {}
