import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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

  @Post('me/notifications/:id/read')
  @HttpCode(200)
  @Access('me.notifications')
  @ApiOperation({ summary: 'Marks one of my notifications read (another account’s: 404)' })
  @ApiOkResponse({ type: MarkedReadDto })
  read(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string): Promise<MarkedReadDto> {
    return this.notifications.markRead(viewer, id);
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
