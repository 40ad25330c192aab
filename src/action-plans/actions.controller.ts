import { Body, Controller, Get, Patch, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { UuidParam } from '../common/params.js';
import { ActionsService } from './actions.service.js';
import { ActionListDto, ListActionsQuery, UpdatedActionDto } from './dto/action-list.dto.js';
import { UpdateActionDto } from './dto/update-action.dto.js';

@ApiTags('action plans')
@ApiBearerAuth()
@Controller()
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Get('actions')
  @Access('case.action.list')
  @ApiOkResponse({ type: ActionListDto })
  list(@CurrentViewer() viewer: RequestViewer, @Query() query: ListActionsQuery) {
    return this.actions.list(viewer, query);
  }

  @Patch('cases/:id/actions/:actionId')
  @Access('case.action.update')
  @ApiOkResponse({ type: UpdatedActionDto })
  update(
    @CurrentViewer() viewer: RequestViewer,
    @UuidParam('id') id: string,
    @UuidParam('actionId') actionId: string,
    @Body() body: UpdateActionDto,
    @Req() req: FastifyRequest,
  ) {
    return this.actions.update(viewer, id, actionId, body, String(req.id));
  }
}
