import { Module } from '@nestjs/common';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';
import { DuplicatesService } from './duplicates.service.js';
import { DocumentsController } from './documents/documents.controller.js';
import { DocumentsService } from './documents/documents.service.js';
import { WorkflowService } from './workflow.service.js';

@Module({
  controllers: [CasesController, DocumentsController],
  providers: [CasesService, WorkflowService, DuplicatesService, DocumentsService],
  exports: [CasesService, WorkflowService],
})
export class CasesModule {}
