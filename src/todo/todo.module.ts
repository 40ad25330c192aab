import { Module } from '@nestjs/common';
import { ActionPlansModule } from '../action-plans/action-plans.module.js';
import { TodoController } from './todo.controller.js';
import { TodoService } from './todo.service.js';

/** GET /me/todo (src/todo). */
@Module({
  imports: [ActionPlansModule],
  controllers: [TodoController],
  providers: [TodoService],
})
export class TodoModule {}
