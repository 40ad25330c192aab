import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse, getSchemaPath } from '@nestjs/swagger';
import { MAX_EXPORT_CSV_CHARS, MAX_EXPORT_ENTRIES } from '../common/limits.js';
import { pageOf } from '../common/pagination.js';
import { captureScope } from '../database/territory-scope.js';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { AuditQueryService, type AccessReport } from './audit-query.service.js';
import { AuditSealer } from './audit-sealer.js';
import type { VerifyReport } from './audit-verify.js';
import { AuditService } from './audit.service.js';
import { AccessReportQuery, AuditEventDto, AuditEventsPageDto, AuditEventsQuery, AuditExportQuery, type AuditFiltersQuery } from './dto/audit-query.dto.js';
import { AccessReportDto, AuditSituationsDto, AuditSituationsQuery, AuditVerifyQuery, VerifyReportDto } from './dto/audit-responses.dto.js';

/** The filters as written in the auditor's own audit entry (ids and dates only). */
function filtersOf(q: AuditFiltersQuery & { format?: string; limit?: number; cursor?: string }): Record<string, unknown> {
  const { caseId, userId, organisationId, territoryId, from, to, decision, action, order, format, limit } = q;
  return Object.fromEntries(
    Object.entries({
      caseId,
      userId,
      organisationId,
      territoryId,
      from,
      to,
      decision,
      action,
      order,
      format,
      limit,
      page: q.cursor ? 'next' : undefined,
    }).filter(([, v]) => v !== undefined),
  );
}

/**
 * The auditor's window on the access log: entries, exports, verification, the access report of a
 * case. Auditors only (policies/access.yaml: the guard answers 403 to every other role, and logs
 * it), within their territory's entries when attached to one; nothing here reads case content.
 * Every call is itself written to the log.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly query: AuditQueryService,
    private readonly audit: AuditService,
    @Inject(AuditSealer) private readonly sealer: AuditSealer,
  ) {}

  private record(viewer: RequestViewer, req: FastifyRequest, action: string, detail: Record<string, unknown>, caseId?: string) {
    return this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: viewer.territoryId,
      action,
      caseId: caseId ?? null,
      decision: 'allow',
      purpose: 'audit',
      requestId: String(req.id),
      detail,
    });
  }

  @Get('events')
  @Access('audit.events.list')
  @ApiOperation({ summary: 'Audit entries, filtered and paginated (newest first)' })
  @ApiOkResponse({ type: AuditEventsPageDto })
  async events(@CurrentViewer() viewer: RequestViewer, @Query() q: AuditEventsQuery, @Req() req: FastifyRequest) {
    const page = await this.query.list(viewer, q);
    await this.record(viewer, req, 'audit.events.list', { filters: filtersOf(q), returned: page.items.length });
    return page;
  }

  @Get('events/export')
  @Access('audit.events.export')
  @ApiOperation({
    summary: 'Every matching entry as CSV (header line, RFC 4180) or a JSON array (oldest first)',
    description: `At most ${MAX_EXPORT_ENTRIES} entries, and a CSV of at most ${MAX_EXPORT_CSV_CHARS} characters: a larger export is refused (422) before anything is sent; narrow it with from and to.`,
  })
  @ApiUnprocessableEntityResponse({ description: 'More entries match than one export holds: narrow it (from, to, or another filter)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'A file to save (Content-Disposition: attachment)',
    content: {
      'application/json': { schema: { type: 'array', maxItems: MAX_EXPORT_ENTRIES, items: { $ref: getSchemaPath(AuditEventDto) } } },
      'text/csv': { schema: { type: 'string', maxLength: MAX_EXPORT_CSV_CHARS, description: 'One header line, then one line per entry' } },
    },
  })
  async export(@CurrentViewer() viewer: RequestViewer, @Query() q: AuditExportQuery, @Req() req: FastifyRequest): Promise<StreamableFile> {
    const format = q.format ?? 'json';
    const maxId = await this.query.prepareExport(viewer, q, format);
    await this.record(viewer, req, 'audit.events.export', { filters: filtersOf({ ...q, format }) });
    const day = new Date().toISOString().slice(0, 10);
    // The stream's pages are read after this handler returns: in the request's territory scope, captured here.
    const inScope = captureScope();
    const source = format === 'csv' ? this.query.exportCsv(viewer, q, maxId, inScope) : this.query.exportJson(viewer, q, maxId, inScope);
    return new StreamableFile(Readable.from(source, { objectMode: false }), {
      type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      disposition: `attachment; filename="cellule-audit-${day}.${format}"`,
    });
  }

  @Get('verify')
  @Access('audit.verify')
  @ApiOperation({
    summary:
      'Seals pending entries, then recomputes the hash chain and checks the signed checkpoints: what was sealed since the last intact verification, or everything with ?full=true',
  })
  @ApiOkResponse({ type: VerifyReportDto })
  async verify(
    @CurrentViewer() viewer: RequestViewer,
    @Query() q: AuditVerifyQuery,
    @Req() req: FastifyRequest,
  ): Promise<Omit<VerifyReport, 'verified'> & { publicKey: string | null }> {
    const { verified: _mark, ...report } = await this.sealer.verify({ full: q.full === 'true' });
    await this.record(viewer, req, 'audit.verify', {
      ok: report.ok,
      mode: report.mode,
      checked: report.checked,
      firstBrokenId: report.firstBrokenId,
      reason: report.reason,
    });
    return { ...report, publicKey: this.sealer.publicKey ?? null };
  }

  @Get('access-report')
  @Access('audit.access-report')
  @ApiOperation({ summary: "Which organisations read which classes of a case, and when (for a person's access request)" })
  @ApiOkResponse({ type: AccessReportDto })
  async accessReport(@CurrentViewer() viewer: RequestViewer, @Query() q: AccessReportQuery, @Req() req: FastifyRequest): Promise<AccessReport> {
    const report = await this.query.accessReport(viewer, q.caseId, pageOf(q));
    await this.record(viewer, req, 'audit.access-report', { organisations: report.organisations.length }, q.caseId);
    return report;
  }

  @Get('situations')
  @Access('audit.situation.find')
  @ApiOperation({ summary: 'Situations by reference, or by ids (the references of a page of the log): id, reference and territory only' })
  @ApiOkResponse({ type: AuditSituationsDto })
  async situations(@CurrentViewer() viewer: RequestViewer, @Query() q: AuditSituationsQuery, @Req() req: FastifyRequest): Promise<AuditSituationsDto> {
    const items = await this.query.situations(viewer, q);
    const detail = { by: q.reference ? 'reference' : 'ids', asked: q.reference ? 1 : (q.ids?.length ?? 0), found: items.length };
    await this.record(viewer, req, 'audit.situation.find', detail, q.reference && items.length === 1 ? items[0].id : undefined);
    return { items };
  }
}
