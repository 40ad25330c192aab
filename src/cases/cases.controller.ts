import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { uuidParam } from '../common/params.js';
import { CasesService } from './cases.service.js';
import { DuplicatesService } from './duplicates.service.js';
import { CreateCaseDto, ListCasesQuery } from './dto/create-case.dto.js';
import { CaseEventPipe } from './events/payload.pipe.js';
import { HTTP_EVENTS, type CaseEventPayload } from './events/registry.js';
import { WorkflowService } from './workflow.service.js';

const EVENT_PAYLOADS = HTTP_EVENTS.map((m) => m.payload);

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly workflow: WorkflowService,
    private readonly duplicates: DuplicatesService,
  ) {}

  @Post()
  @Access('case.create')
  create(@CurrentViewer() viewer: RequestViewer, @Body() body: CreateCaseDto, @Req() req: FastifyRequest) {
    return this.cases.create(viewer, body, String(req.id));
  }

  @Get()
  @Access('case.list')
  list(@CurrentViewer() viewer: RequestViewer, @Query() query: ListCasesQuery) {
    return this.cases.list(viewer, query);
  }

  @Get(':id')
  @Access('case.read')
  get(@CurrentViewer() viewer: RequestViewer, @Param('id', uuidParam()) id: string, @Req() req: FastifyRequest) {
    return this.cases.view(viewer, id, String(req.id));
  }

  @Post(':id/events')
  @Access('case.event')
  @HttpCode(200)
  @ApiExtraModels(...EVENT_PAYLOADS)
  @ApiBody({
    description: 'One event of the lifecycle; `type` says which, and which members it takes',
    schema: {
      oneOf: EVENT_PAYLOADS.map((payload) => ({ $ref: getSchemaPath(payload) })),
      discriminator: { propertyName: 'type', mapping: Object.fromEntries(HTTP_EVENTS.map((m) => [m.type, getSchemaPath(m.payload)])) },
    },
  })
  event(@CurrentViewer() viewer: RequestViewer, @Param('id', uuidParam()) id: string, @Body(CaseEventPipe) body: CaseEventPayload, @Req() req: FastifyRequest) {
    return this.workflow.send(viewer, id, body, String(req.id));
  }

  @Get(':id/history')
  @Access('case.history')
  history(@CurrentViewer() viewer: RequestViewer, @Param('id', uuidParam()) id: string, @Req() req: FastifyRequest) {
    return this.cases.history(viewer, id, String(req.id));
  }

  @Get(':id/duplicates')
  @Access('case.duplicates')
  findDuplicates(@CurrentViewer() viewer: RequestViewer, @Param('id', uuidParam()) id: string, @Req() req: FastifyRequest) {
    return this.duplicates.find(viewer, id, String(req.id));
  }
}
