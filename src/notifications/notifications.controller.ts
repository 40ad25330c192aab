import { Body, Controller, Get, Headers, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { UuidParam } from '../common/params.js';
import {
  DeliveryFailuresDto,
  MarkedReadDto,
  NotificationPreferencesDto,
  NotificationsDto,
  NotificationsQuery,
  SetNotificationPreferencesDto,
} from './dto/notifications.dto.js';
import { NotificationsService } from './notifications.service.js';

/** Each account's notifications (kinds and references only) and how it wants them by email. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('me/notifications')
  @Access('me.notifications')
  @ApiOperation({ summary: 'My notifications: unread first, then the newest; a page of at most 50' })
  @ApiOkResponse({ type: NotificationsDto })
  list(@CurrentViewer() viewer: RequestViewer, @Query() query: NotificationsQuery): Promise<NotificationsDto> {
    return this.notifications.list(viewer, query.limit, query.offset);
  }

  @Post('me/notifications/read-all')
  @HttpCode(200)
  @Access('me.notifications')
  @ApiOperation({ summary: 'Marks all my notifications read' })
  @ApiOkResponse({ type: MarkedReadDto })
  readAll(@CurrentViewer() viewer: RequestViewer): Promise<MarkedReadDto> {
    return this.notifications.markAllRead(viewer);
  }

  /**
   * API.md: 204. The counts it answered before (200 { marked, unread }) are still served to a
   * client that asks for them with `Prefer: return=representation` (RFC 7240).
   */
  @Post('me/notifications/:id/read')
  @HttpCode(204)
  @Access('me.notifications')
  @ApiOperation({ summary: 'Marks one of my notifications read (another account’s: 404)' })
  @ApiHeader({
    name: 'Prefer',
    required: false,
    schema: { type: 'string', maxLength: 200 },
    description: '`return=representation`: answer 200 with the counts instead of 204',
  })
  @ApiNoContentResponse({ description: 'Marked read' })
  @ApiOkResponse({ type: MarkedReadDto, description: 'Marked read, with `Prefer: return=representation`' })
  async read(
    @CurrentViewer() viewer: RequestViewer,
    @UuidParam('id') id: string,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MarkedReadDto | undefined> {
    const marked = await this.notifications.markRead(viewer, id);
    if (!prefersRepresentation(prefer)) return undefined;
    void reply.status(200).header('preference-applied', 'return=representation');
    return marked;
  }

  @Get('me/notification-preferences')
  @Access('me.notifications')
  @ApiOperation({ summary: 'How I am told by email: at once, in a daily digest, or not at all' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  preferences(@CurrentViewer() viewer: RequestViewer): Promise<NotificationPreferencesDto> {
    return this.notifications.preferences(viewer);
  }

  @Put('me/notification-preferences')
  @Access('me.notifications')
  @ApiOperation({ summary: 'Sets how I am told by email' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  setPreferences(@CurrentViewer() viewer: RequestViewer, @Body() body: SetNotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    return this.notifications.setPreferences(viewer, body.email);
  }

  @Get('notifications/deliveries')
  @Access('notification.deliveries')
  @ApiOperation({ summary: 'Emails not delivered: still retried or given up, counted by error category (no address, no content)' })
  @ApiOkResponse({ type: DeliveryFailuresDto })
  deliveries(): Promise<DeliveryFailuresDto> {
    return this.notifications.failures();
  }
}

/** Whether a `Prefer` header (RFC 7240) asks for `return=representation`. */
function prefersRepresentation(prefer: string | undefined): boolean {
  return (prefer ?? '')
    .split(',')
    .some((p) => p.trim().toLowerCase().replace(/\s+/g, '') === 'return=representation');
}
