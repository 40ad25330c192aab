import { ApiProperty } from '@nestjs/swagger';
import { MeResponseDto } from '../../users/dto/me.response.js';

/** POST /auth/session: the session is open, its secret is in the cookie, never in this body. */
export class SessionOpenedDto {
  @ApiProperty({ maxLength: 43, description: 'Send it as X-Cellule-CSRF on every POST, PUT, PATCH and DELETE of this session; keep it in memory only' })
  csrfToken: string;
  @ApiProperty({ description: 'The session ends after this many seconds without a request' }) idleTimeoutSeconds: number;
  @ApiProperty({ format: 'date-time', description: 'The session ends at this time at the latest' }) expiresAt: string;
}

/** GET /auth/session: the open session of this browser and its account (after a reload, say). */
export class SessionStateDto extends SessionOpenedDto {
  @ApiProperty({ type: MeResponseDto }) user: MeResponseDto;
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: 40,
    description: 'The OpenID Connect provider this session was opened with (sign out with POST /auth/oidc/logout to leave it too), or null',
  })
  provider: string | null;
}
