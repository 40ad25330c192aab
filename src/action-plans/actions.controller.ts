import { Body, Controller, Param, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { uuidParam } from '../common/params.js';
import { ActionsService } from './actions.service.js';
import { UpdateActionDto } from './dto/update-action.dto.js';

@ApiTags('action plans')
@ApiBearerAuth()
@Controller('cases/:id/actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Patch(':actionId')
  @Access('case.action.update')
  update(
    @CurrentViewer() viewer: RequestViewer,
    @Param('id', uuidParam('id')) id: string,
    @Param('actionId', uuidParam('actionId')) actionId: string,
    @Body() body: UpdateActionDto,
    @Req() req: FastifyRequest,
  ) {
    return this.actions.update(viewer, id, actionId, body, String(req.id));
  }
}
