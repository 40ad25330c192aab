import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  DELIVERY_ERRORS,
  EMAIL_PREFERENCES,
  NOTIFICATION_KINDS,
  type DeliveryError,
  type EmailPreference,
  type NotificationKind,
} from '../notification-kinds.js';

/** The longest page of GET /me/notifications. */
export const MAX_PAGE = 50;

export class NotificationsQuery {
  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: MAX_PAGE }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) limit?: number;
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 100_000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100_000) offset?: number;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ maxLength: 19, nullable: true, type: String, example: 'CAS-2026-0042' }) caseReference: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sessionId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actionId: string | null;
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: 10_000, description: 'The agenda’s size (a convocation, a situation put on an agenda)' })
  agendaSize: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The due date, expiry or session start it is about' })
  dueAt: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it was written' }) at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
}

export class NotificationsDto {
  @ApiProperty({ type: [NotificationDto], maxItems: MAX_PAGE }) items: NotificationDto[];
  @ApiProperty({ minimum: 0, maximum: 1_000_000_000, description: 'Unread notifications in all' }) unread: number;
  @ApiProperty({ minimum: 0, maximum: 1_000_000_000 }) total: number;
  @ApiProperty({ minimum: 1, maximum: MAX_PAGE }) limit: number;
  @ApiProperty({ minimum: 0, maximum: 100_000 }) offset: number;
}

export class MarkedReadDto {
  @ApiProperty({ minimum: 0, maximum: 1_000_000_000, description: 'Notifications marked read now' }) marked: number;
  @ApiProperty({ minimum: 0, maximum: 1_000_000_000 }) unread: number;
}

export class NotificationPreferencesDto {
  @ApiProperty({ enum: EMAIL_PREFERENCES, description: 'immediate: one email each; daily_digest: one a day at most; none: the workspace only' })
  @IsIn(EMAIL_PREFERENCES)
  email: EmailPreference;
  @ApiProperty({ description: 'False: this server sends no email (no SMTP_URL); the choice applies once it does' })
  mailEnabled: boolean;
  @ApiProperty({ minimum: 0, maximum: 23, description: 'The hour the daily digest goes (NOTIFICATION_DIGEST_HOUR), in digestTimeZone' })
  digestHour: number;
  @ApiProperty({ enum: ['Europe/Paris'], description: 'The time zone of digestHour' })
  digestTimeZone: 'Europe/Paris';
}

export class SetNotificationPreferencesDto {
  @ApiProperty({ enum: EMAIL_PREFERENCES }) @IsIn(EMAIL_PREFERENCES) email: EmailPreference;
}

export class DeliveryFailureDto {
  @ApiProperty({ enum: ['retrying', 'failed'] }) status: 'retrying' | 'failed';
  @ApiProperty({ enum: DELIVERY_ERRORS }) error: DeliveryError;
  @ApiProperty({ minimum: 1, maximum: 1_000_000_000 }) count: number;
}

export class DeliveryFailuresDto {
  @ApiProperty({ description: 'False: no SMTP_URL, nothing is sent' }) mailEnabled: boolean;
  @ApiProperty({ type: [DeliveryFailureDto], maxItems: 2 * DELIVERY_ERRORS.length }) items: DeliveryFailureDto[];
}
