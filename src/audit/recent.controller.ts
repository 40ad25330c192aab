import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { AuditQueryService, RECENT_SITUATIONS } from './audit-query.service.js';

export class RecentSituationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 19, example: 'CAS-2026-0042' }) reference: string;
  @ApiProperty({ maxLength: 35, description: 'When this account last opened it (ISO-8601 UTC)' }) viewedAt: string;
}

export class RecentSituationsDto {
  @ApiProperty({ maxItems: RECENT_SITUATIONS, type: [RecentSituationDto] }) items: RecentSituationDto[];
}

/**
 * "Recently viewed" on the workspace's home page, from the server's own access log of this
 * account: nothing is kept in the browser. References only; opening one asks for the situation
 * again, and the access decision of that moment applies.
 */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('me')
export class RecentController {
  constructor(private readonly query: AuditQueryService) {}

  @Get('recent-situations')
  @Access('me.recent')
  @ApiOperation({ summary: 'The situations this account opened lately (its own reads in the access log), newest first' })
  @ApiOkResponse({ type: RecentSituationsDto })
  async recent(@CurrentViewer() viewer: RequestViewer): Promise<RecentSituationsDto> {
    return { items: await this.query.recent(viewer) };
  }
}
