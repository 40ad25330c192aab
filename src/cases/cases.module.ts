import { Module } from '@nestjs/common';
import { ActionsController } from '../action-plans/actions.controller.js';
import { ActionsService } from '../action-plans/actions.service.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';
import { DuplicatesService } from './duplicates.service.js';
import { WorkflowService } from './workflow.service.js';

@Module({
  controllers: [CasesController, ActionsController],
  providers: [CasesService, WorkflowService, DuplicatesService, ActionsService],
  exports: [CasesService, WorkflowService],
})
export class CasesModule {}
