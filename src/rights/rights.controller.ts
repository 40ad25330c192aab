import { Body, Controller, Get, HttpCode, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { ProblemDto } from '../common/dto/problem.response.js';
import { UuidParam } from '../common/params.js';
import {
  CloseRightsRequestDto,
  OpenRightsRequestDto,
  RightsAccessReportsDto,
  RightsCopyListDto,
  RightsHandlerDto,
  RightsListQuery,
  RightsLookupDto,
  RightsLookupReportDto,
  RightsLookupResultDto,
  RightsRequestDetailDto,
  OpenedRightsRequestDto,
  RightsRequestListDto,
} from './rights.dto.js';
import { RightsService } from './rights.service.js';

/** The most a copy of the data may weigh, as published (a situation's text fields are bounded far below it). */
const MAX_COPY_PDF_BYTES = 5_000_000;

/**
 * A person's rights requests (issue 15): the DPO opens, looks up, acts and closes; the
 * coordinator reads them, names the handler of an access request and reads the report of the
 * lookups; the referrer or the named handler downloads the copy of the data.
 */
@ApiTags('rights')
@ApiBearerAuth()
@Controller()
export class RightsController {
  constructor(private readonly rights: RightsService) {}

  @Post('rights-requests')
  @Access('rights.request.open')
  @ApiOperation({
    summary:
      'The DPO opens a rights request received from a person (kind, date received): due one month later. With `identity`, her situations are looked up at once (references only; the identity is kept nowhere).',
  })
  @ApiCreatedResponse({ type: OpenedRightsRequestDto })
  open(@CurrentViewer() viewer: RequestViewer, @Body() body: OpenRightsRequestDto, @Req() req: FastifyRequest) {
    return this.rights.open(viewer, body, String(req.id));
  }

  @Get('rights-requests')
  @Access('rights.request.list')
  @ApiOperation({ summary: 'The rights requests of the territory, open ones first by due date' })
  @ApiOkResponse({ type: RightsRequestListDto })
  async list(@CurrentViewer() viewer: RequestViewer, @Query() q: RightsListQuery, @Req() req: FastifyRequest): Promise<RightsRequestListDto> {
    return { items: await this.rights.list(viewer, q, String(req.id)) };
  }

  @Get('rights-requests/lookups')
  @Access('rights.lookups.report')
  @ApiOperation({
    summary: "The auditors' lookups by identity in the coordinator's territory: who, when, for which request, how many found (who watches the watchers)",
  })
  @ApiOkResponse({ type: RightsLookupReportDto })
  async lookups(@CurrentViewer() viewer: RequestViewer, @Req() req: FastifyRequest): Promise<RightsLookupReportDto> {
    return { items: await this.rights.lookupsReport(viewer, String(req.id)) };
  }

  @Get('me/rights-copies')
  @Access('rights.copies.mine')
  @ApiOperation({
    summary:
      "The copies of a person's data this account may download and hand over (open access requests: situations it referred, or requests the coordinator named it on), earliest due first; references only",
  })
  @ApiOkResponse({ type: RightsCopyListDto })
  async copies(@CurrentViewer() viewer: RequestViewer): Promise<RightsCopyListDto> {
    return { items: await this.rights.copiesOf(viewer) };
  }

  @Get('rights-requests/:id')
  @Access('rights.request.read')
  @ApiOperation({ summary: 'One rights request: its dates, status, closing record and the references of the situations found' })
  @ApiOkResponse({ type: RightsRequestDetailDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  read(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.rights.read(viewer, id, String(req.id));
  }

  @Post('rights-requests/:id/lookup')
  @HttpCode(200)
  @Access('rights.request.lookup')
  @ApiOperation({
    summary:
      'The person’s situations from the identity she gave, for an open request only (409 otherwise): confirmed by the server, each decryption audited with the request; references only. The identity is kept nowhere.',
  })
  @ApiOkResponse({ type: RightsLookupResultDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'The request is closed' })
  lookup(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: RightsLookupDto, @Req() req: FastifyRequest) {
    return this.rights.lookup(viewer, id, body, String(req.id));
  }

  @Get('rights-requests/:id/access-report')
  @Access('rights.request.act')
  @ApiOperation({ summary: 'The access report of every situation of the request: which organisations read which classes, when' })
  @ApiOkResponse({ type: RightsAccessReportsDto })
  accessReports(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.rights.accessReports(viewer, id, String(req.id));
  }

  @Post('rights-requests/:id/erase')
  @HttpCode(200)
  @Access('rights.request.act')
  @ApiOperation({ summary: 'Erasure request: crypto-shreds each closed situation without a legal report now; keeps the others, with the reason' })
  @ApiOkResponse({ type: RightsRequestDetailDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'The request is closed, or not an erasure request' })
  erase(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.rights.erase(viewer, id, String(req.id));
  }

  @Post('rights-requests/:id/object')
  @HttpCode(200)
  @Access('rights.request.act')
  @ApiOperation({ summary: 'Objection: consent withdrawn on each open situation (WITHDRAW_CONSENT through the machine, the system acting for the request)' })
  @ApiOkResponse({ type: RightsRequestDetailDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'The request is closed, or not an objection' })
  object(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.rights.object(viewer, id, String(req.id));
  }

  @Post('rights-requests/:id/forward')
  @HttpCode(200)
  @Access('rights.request.act')
  @ApiOperation({ summary: 'Rectification: forwarded to the referrer of each situation (a notification, no content)' })
  @ApiOkResponse({ type: RightsRequestDetailDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'The request is closed, or not a rectification' })
  forward(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.rights.forward(viewer, id, String(req.id));
  }

  @Post('rights-requests/:id/close')
  @HttpCode(200)
  @Access('rights.request.act')
  @ApiOperation({ summary: 'Closes the request with its record: the outcome, when, by whom' })
  @ApiOkResponse({ type: RightsRequestDetailDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'Already closed' })
  close(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: CloseRightsRequestDto, @Req() req: FastifyRequest) {
    return this.rights.close(viewer, id, body.outcome, String(req.id));
  }

  @Post('rights-requests/:id/handler')
  @HttpCode(200)
  @Access('rights.request.handler')
  @ApiOperation({ summary: 'The coordinator names the professional (a referrer or member of the territory) who hands the person the copy of her data' })
  @ApiOkResponse({ type: RightsRequestDetailDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'Not an open access request' })
  handler(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: RightsHandlerDto, @Req() req: FastifyRequest) {
    return this.rights.nameHandler(viewer, id, body.userId, String(req.id));
  }

  @Get('rights-requests/:id/situations/:caseId/copy')
  @Access('rights.copy')
  @ApiOperation({
    summary: "The copy of the person's data in one situation of an open access request (PDF): for the referrer or the named handler only; audited",
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ content: { 'application/pdf': { schema: { type: 'string', format: 'binary', maxLength: MAX_COPY_PDF_BYTES } } } })
  @ApiNotFoundResponse({ type: ProblemDto })
  async copy(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @UuidParam('caseId') caseId: string, @Req() req: FastifyRequest) {
    const pdf = await this.rights.copy(viewer, id, caseId, String(req.id));
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: 'attachment; filename="copie-de-vos-donnees.pdf"' });
  }
}
