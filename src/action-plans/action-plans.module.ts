import { Module } from '@nestjs/common';
import { ActionsController } from './actions.controller.js';
import { ActionsService } from './actions.service.js';

/** The actions of adopted plans: their owners move them (PATCH /cases/:id/actions/:actionId). */
@Module({
  controllers: [ActionsController],
  providers: [ActionsService],
  exports: [ActionsService],
})
export class ActionPlansModule {}
