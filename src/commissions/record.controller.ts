import { MAX_RECORD_PDF_BYTES } from '../common/limits.js';
import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { UuidParam } from '../common/params.js';
import { ContributionDto, GuestInputDto, MarkAttendanceDto, RecordItemInputDto, RecordQuery } from './dto/record.dto.js';
import {
  AttendanceMarkedDto,
  CaseSessionRecordsDto,
  AttendanceSheetDto,
  ContributionWrittenDto,
  GuestDto,
  RecordClosedDto,
  RecordItemDto,
  SessionRecordDto,
} from './dto/record.response.js';
import { SessionRecordService } from './record.service.js';

/**
 * The session as prepared and held (issue 12): the attendance sheet, the members' written
 * contributions, the record (relevé de décisions) and its PDF. Who may do what:
 * policies/access.yaml (session.attendance.*, session.contribute, session.record.*).
 */
@ApiTags('commissions')
@ApiBearerAuth()
@ApiExtraModels(SessionRecordDto)
@Controller('sessions/:id')
export class SessionRecordController {
  constructor(private readonly records: SessionRecordService) {}

  @Get('attendance')
  @Access('session.attendance.list')
  @ApiOkResponse({ type: AttendanceSheetDto })
  attendance(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string) {
    return this.records.attendance(viewer, id);
  }

  @Put('attendance/:userId')
  @Access('session.attendance.mark')
  @ApiOperation({ summary: 'The coordinator ticks (or unticks) a member, deputy or invited professional on the attendance sheet' })
  @ApiOkResponse({ type: AttendanceMarkedDto })
  mark(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @UuidParam('userId') userId: string, @Body() body: MarkAttendanceDto) {
    return this.records.mark(viewer, id, userId, body);
  }

  @Post('guests')
  @Access('session.attendance.mark')
  @ApiOperation({ summary: 'A partner present without an account: an organisation and a function, never a name' })
  @ApiCreatedResponse({ type: GuestDto })
  addGuest(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: GuestInputDto) {
    return this.records.addGuest(viewer, id, body);
  }

  @Delete('guests/:guestId')
  @HttpCode(204)
  @Access('session.attendance.mark')
  async removeGuest(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @UuidParam('guestId') guestId: string) {
    await this.records.removeGuest(viewer, id, guestId);
  }

  @Put('contributions/:caseId')
  @Access('session.contribute')
  @ApiOperation({ summary: 'A member preparing the session leaves a pseudonymised contribution on one situation (before the session opens)' })
  @ApiOkResponse({ type: ContributionWrittenDto })
  contribute(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @UuidParam('caseId') caseId: string, @Body() body: ContributionDto) {
    return this.records.contribute(viewer, id, caseId, body);
  }

  @Get('record')
  @Access('session.record.read')
  @ApiOperation({ summary: "The session's record (relevé de décisions); `?format=pdf`: the closed record as a PDF in French" })
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SessionRecordDto) } },
      'application/pdf': {
        schema: {
          type: 'string',
          format: 'binary',
          maxLength: MAX_RECORD_PDF_BYTES,
          description: `At most ${MAX_RECORD_PDF_BYTES} bytes (a longer record is refused, 422: read it as JSON)`,
        },
      },
    },
  })
  async record(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Query() q: RecordQuery, @Req() req: FastifyRequest) {
    if (q.format !== 'pdf') return this.records.read(viewer, id, String(req.id));
    const pdf = await this.records.pdf(viewer, id, String(req.id));
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="releve-de-decisions.pdf"` });
  }

  @Put('record/items/:caseId')
  @Access('session.record.write')
  @ApiOperation({ summary: 'The coordinator writes the record of one situation examined (409 once the record is closed)' })
  @ApiOkResponse({ type: RecordItemDto })
  writeItem(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @UuidParam('caseId') caseId: string, @Body() body: RecordItemInputDto) {
    return this.records.writeItem(viewer, id, caseId, body);
  }

  @Post('record/close')
  @HttpCode(200)
  @Access('session.record.close')
  @ApiOperation({ summary: 'The coordinator closes the record once the session is closed: it is then frozen' })
  @ApiOkResponse({ type: RecordClosedDto })
  close(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string) {
    return this.records.close(viewer, id);
  }
}

/** From the situation's page: the closed session records that hold it, as far as this viewer may read them. */
@ApiTags('commissions')
@ApiBearerAuth()
@Controller('cases/:id/session-records')
export class CaseSessionRecordsController {
  constructor(private readonly records: SessionRecordService) {}

  @Get()
  @Access('case.history')
  @ApiOperation({ summary: 'The closed session records (relevés de décisions) that hold this situation and that the caller may read, the latest first' })
  @ApiOkResponse({ type: CaseSessionRecordsDto })
  list(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.records.recordsOfCase(viewer, id, String(req.id));
  }
}
