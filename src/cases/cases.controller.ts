import { Body, Controller, Get, HttpCode, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { AccessReportDto } from '../audit/dto/audit-responses.dto.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { UuidParam } from '../common/params.js';
import { ApiPageOf, pageOf, PageQuery } from '../common/pagination.js';
import { CasesService } from './cases.service.js';
import { DuplicatesService } from './duplicates.service.js';
import { ProblemDto } from '../common/dto/problem.response.js';
import { CaseEventResultDto, CaseHistoryEntryDto, CaseListDto, CaseViewDto, DuplicatesDto, HandoverCandidateDto } from './dto/case.response.js';
import { CreateCaseDto, ListCasesQuery } from './dto/create-case.dto.js';
import { CaseEventPipe } from './events/payload.pipe.js';
import { CaseChangesDto } from './events/referral-changes.js';
import { AppError } from '../common/errors.js';
import { HTTP_EVENTS, type CaseEventPayload } from './events/registry.js';
import { WorkflowService } from './workflow.service.js';
import { Idempotent } from '../common/idempotency.js';

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

  private readonly eventPipe = new CaseEventPipe();

  @Post()
  @Access('case.create')
  @Idempotent()
  @ApiCreatedResponse({ type: CaseViewDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A field is missing or invalid (errors names it)' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'A pseudonymised text would identify the person (errors names the field, never the value), or the situation is an emergency',
  })
  create(@CurrentViewer() viewer: RequestViewer, @Body() body: CreateCaseDto, @Req() req: FastifyRequest) {
    return this.cases.create(viewer, body, String(req.id));
  }

  @Get()
  @Access('case.list')
  @ApiOkResponse({ type: CaseListDto })
  list(@CurrentViewer() viewer: RequestViewer, @Query() query: ListCasesQuery) {
    return this.cases.list(viewer, query);
  }

  @Get(':id')
  @Access('case.read')
  @ApiOkResponse({ type: CaseViewDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such situation, or none this account is related to (the same answer)' })
  get(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.cases.view(viewer, id, String(req.id));
  }

  @Post(':id/events')
  @Access('case.event')
  @HttpCode(200)
  @ApiOkResponse({ type: CaseEventResultDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'The event is not allowed in this state, or the version is stale' })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'The policy forbids this account the event' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'A text would identify the person' })
  @ApiExtraModels(...EVENT_PAYLOADS)
  @ApiBody({
    description: 'One event of the lifecycle; `type` says which, and which members it takes',
    schema: {
      oneOf: EVENT_PAYLOADS.map((payload) => ({ $ref: getSchemaPath(payload) })),
      discriminator: { propertyName: 'type', mapping: Object.fromEntries(HTTP_EVENTS.map((m) => [m.type, getSchemaPath(m.payload)])) },
    },
  })
  event(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body(CaseEventPipe) body: CaseEventPayload, @Req() req: FastifyRequest) {
    return this.workflow.send(viewer, id, body, String(req.id));
  }

  @Patch(':id')
  @Access('case.event')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Edits a draft or rectifies a submitted situation (GDPR art. 16): API.md's form of EDIT_DRAFT and RECTIFY, chosen by the situation's state; the members as theirs",
  })
  @ApiBody({ type: CaseChangesDto })
  @ApiOkResponse({ type: CaseEventResultDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'The version is stale, or the situation can no longer change (purged)' })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'Only the referrer edits or rectifies' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'A text would identify the person' })
  async change(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: unknown, @Req() req: FastifyRequest) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw AppError.validation('body', 'must be a JSON object');
    const type = await this.workflow.referralChangeType(viewer, id);
    const payload = await this.eventPipe.transform({ ...body, type });
    return this.workflow.send(viewer, id, payload, String(req.id));
  }

  @Get(':id/history')
  @Access('case.history')
  @ApiPageOf(CaseHistoryEntryDto, 'One page of the transitions, oldest first (at most 1000, the default limit): a page shorter than limit is the last')
  history(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Query() query: PageQuery, @Req() req: FastifyRequest) {
    return this.cases.history(viewer, id, pageOf(query), String(req.id));
  }

  @Get(':id/access-report')
  @Access('case.access-report')
  @ApiOkResponse({
    type: AccessReportDto,
    description: 'Which organisations read or wrote which classes of the situation, and when: never a name, never content',
  })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'The caller may read the situation but not who accessed it' })
  @ApiNotFoundResponse({ type: ProblemDto })
  accessReport(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Query() query: PageQuery, @Req() req: FastifyRequest) {
    return this.cases.accessReport(viewer, id, pageOf(query), String(req.id));
  }

  @Get(':id/handover-candidates')
  @Access('case.read')
  @ApiPageOf(HandoverCandidateDto, 'One page of the referrers of the referring organisation who may take the situation over (at most 1000, the default limit)')
  @ApiForbiddenResponse({ type: ProblemDto, description: 'The caller may read the situation but not hand it over' })
  @ApiNotFoundResponse({ type: ProblemDto })
  handoverCandidates(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Query() query: PageQuery, @Req() req: FastifyRequest) {
    return this.cases.handoverCandidates(viewer, id, pageOf(query), String(req.id));
  }

  @Get(':id/duplicates')
  @Access('case.duplicates')
  @ApiOkResponse({ type: DuplicatesDto })
  findDuplicates(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.duplicates.find(viewer, id, String(req.id));
  }
}
