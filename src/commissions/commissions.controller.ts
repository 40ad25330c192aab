import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { UuidParam } from '../common/params.js';
import { ApiPageOf, pageOf, PageQuery } from '../common/pagination.js';
import { CommissionsService } from './commissions.service.js';
import {
  AgendaDto,
  AttendanceDto,
  CharterAcceptedDto,
  CharterPublishedDto,
  CharterViewDto,
  CommissionDto,
  CreatedCommissionDto,
  CreatedSessionDto,
  DossierDto,
  InvitationCreatedDto,
  InvitationsDto,
  MemberDto,
  MembershipDto,
  SessionDto,
  SessionStatusDto,
} from './dto/commission.response.js';
import { AcceptCharterDto, AddMemberDto, CharterDto, CreateCommissionDto, CreateSessionDto, InviteDto } from './dto/commission.dto.js';
import { Idempotent } from '../common/idempotency.js';

@ApiTags('commissions')
@ApiBearerAuth()
@Controller()
export class CommissionsController {
  constructor(private readonly commissions: CommissionsService) {}

  @Post('commissions')
  @Idempotent()
  @Access('commission.create')
  @ApiCreatedResponse({ type: CreatedCommissionDto })
  create(@CurrentViewer() viewer: RequestViewer, @Body() body: CreateCommissionDto) {
    return this.commissions.create(viewer, body);
  }

  @Get('commissions')
  @Access('commission.list')
  @ApiPageOf(CommissionDto)
  list(@CurrentViewer() viewer: RequestViewer, @Query() query: PageQuery) {
    return this.commissions.list(viewer, pageOf(query));
  }

  @Post('commissions/:id/members')
  @Idempotent()
  @Access('commission.member.add')
  @ApiCreatedResponse({ type: MembershipDto })
  addMember(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: AddMemberDto) {
    return this.commissions.addMember(viewer, id, body);
  }

  @Delete('commissions/:id/members/:userId')
  @HttpCode(204)
  @Access('commission.member.remove')
  async removeMember(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @UuidParam('userId') userId: string) {
    await this.commissions.removeMember(viewer, id, userId);
  }

  @Get('commissions/:id/members')
  @Access('commission.member.list')
  @ApiPageOf(MemberDto)
  members(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Query() query: PageQuery) {
    return this.commissions.members(viewer, id, pageOf(query));
  }

  @Put('commissions/:id/charter')
  @Access('commission.charter.publish')
  @ApiOkResponse({ type: CharterPublishedDto })
  putCharter(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: CharterDto) {
    return this.commissions.putCharter(viewer, id, body);
  }

  @Get('commissions/:id/charter')
  @Access('commission.charter.read')
  @ApiOkResponse({ type: CharterViewDto })
  charter(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string) {
    return this.commissions.charter(viewer, id);
  }

  @Post('commissions/:id/charter/accept')
  @Access('commission.charter.accept')
  @ApiCreatedResponse({ type: CharterAcceptedDto })
  acceptCharter(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: AcceptCharterDto) {
    return this.commissions.acceptCharter(viewer, id, body.version);
  }

  @Post('commissions/:id/sessions')
  @Idempotent()
  @Access('session.create')
  @ApiCreatedResponse({ type: CreatedSessionDto })
  createSession(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: CreateSessionDto) {
    return this.commissions.createSession(viewer, id, body);
  }

  @Get('commissions/:id/sessions')
  @Access('session.list')
  @ApiPageOf(SessionDto, 'One page, newest first (at most 1000, the default limit): a page shorter than limit is the last')
  sessions(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Query() query: PageQuery) {
    return this.commissions.sessions(viewer, id, pageOf(query));
  }

  @Post('sessions/:id/open')
  @HttpCode(200)
  @Access('session.open')
  @ApiOkResponse({ type: SessionStatusDto })
  open(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string) {
    return this.commissions.setStatus(viewer, id, 'open');
  }

  @Post('sessions/:id/close')
  @HttpCode(200)
  @Access('session.close')
  @ApiOkResponse({ type: SessionStatusDto })
  close(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string) {
    return this.commissions.setStatus(viewer, id, 'closed');
  }

  @Post('sessions/:id/attendance')
  @Access('session.attend')
  @ApiCreatedResponse({ type: AttendanceDto })
  attend(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string) {
    return this.commissions.attend(viewer, id);
  }

  @Post('sessions/:id/invitations')
  @Idempotent()
  @Access('session.invite')
  @ApiCreatedResponse({ type: InvitationCreatedDto })
  invite(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Body() body: InviteDto) {
    return this.commissions.invite(viewer, id, body);
  }

  @Get('sessions/:id/invitations')
  @Access('session.invitations.list')
  @ApiOkResponse({ type: InvitationsDto })
  invitations(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string) {
    return this.commissions.invitations(viewer, id);
  }

  @Get('sessions/:id/agenda')
  @Access('session.agenda')
  @ApiOkResponse({ type: AgendaDto })
  agenda(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string) {
    return this.commissions.agenda(viewer, id);
  }

  @Get('sessions/:id/dossier')
  @Access('session.dossier')
  @ApiOkResponse({ type: DossierDto })
  dossier(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.commissions.dossier(viewer, id, String(req.id));
  }
}
