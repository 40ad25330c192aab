import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { TodoDto } from './todo.dto.js';
import { TodoService } from './todo.service.js';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('me')
export class TodoController {
  constructor(private readonly todos: TodoService) {}

  @Get('todo')
  @Access('me.todo')
  @ApiOperation({
    summary:
      'What waits on the caller (coordination, their referrals, their organisation’s actions, the DPO’s open rights requests): counts and references only',
  })
  @ApiOkResponse({ type: TodoDto })
  todo(@CurrentViewer() viewer: RequestViewer): Promise<TodoDto> {
    return this.todos.todo(viewer);
  }
}
