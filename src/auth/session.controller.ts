import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors.js';
import { AuthService, type LoginAnswer, type LoginSource } from './auth.service.js';
import { LoginDto, ReplacePasswordDto, SecondFactorDto } from './dto/login.dto.js';
import { SessionOpenedDto, SessionStateDto } from './dto/session.dto.js';
import { TokenSigner } from './tokens.js';
import { CurrentViewer, Public, type RequestViewer } from './viewer.js';
import { CSRF_HEADER, cookieSecret, sessionOf, WebSessions } from './web-sessions.js';
import { clearOidcCookie, oidcCookieSecret } from './oidc/oidc.cookie.js';
import { OidcService } from './oidc/oidc.service.js';
import { OidcLinks } from './oidc/oidc-links.service.js';
import { SessionOpener } from './session-opener.js';

const sourceOf = (request: FastifyRequest): LoginSource => ({ requestId: String(request.id), ip: request.ip });

/**
 * The web workspace's sign-in: the same checks as POST /auth/login (throttle, audit, the same 401
 * for every failure), answered with a session cookie instead of a token. API clients keep using
 * POST /auth/login and bearer tokens.
 */
@ApiTags('auth')
@Controller('auth')
export class SessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenSigner,
    private readonly sessions: WebSessions,
    private readonly audit: AuditService,
    private readonly opener: SessionOpener,
    private readonly oidc: OidcService,
    private readonly links: OidcLinks,
  ) {}

  @Public()
  @Post('session')
  @HttpCode(200)
  @ApiOkResponse({
    type: SessionOpenedDto,
    description:
      'Signed in: the session cookie is set (httpOnly, Secure, SameSite=Strict). When the account has a further step to take (second factor, temporary password), the answer is that step as POST /auth/login gives it, and no cookie',
  })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password, or too many attempts for this account: the same answer for all' })
  async open(@Body() body: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionOpenedDto | object> {
    return this.toSession(await this.auth.login(body.email, body.password, sourceOf(request)), request, reply);
  }

  /** The cookie form of POST /auth/password: the temporary password replaced, then as POST /auth/session. */
  @Public()
  @Post('session/password')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionOpenedDto, description: 'Signed in (cookie set), or the second-factor step as POST /auth/password gives it' })
  @ApiUnauthorizedResponse({ description: 'The challenge is over (used, expired): sign in again' })
  async password(
    @Body() body: ReplacePasswordDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionOpenedDto | object> {
    return this.toSession(await this.auth.replaceTemporaryPassword(body.challengeToken, body.newPassword, sourceOf(request)), request, reply);
  }

  /** The cookie form of POST /auth/mfa: the second factor, then the session. */
  @Public()
  @Post('session/mfa')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionOpenedDto, description: 'Signed in: the session cookie is set' })
  @ApiUnauthorizedResponse({ description: 'A wrong or already used code; after 5 wrong codes the challenge is over: sign in again' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this account: Retry-After says when to try again' })
  async secondFactor(
    @Body() body: SecondFactorDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionOpenedDto | object> {
    const answer = await this.auth.secondFactor(body.challengeToken, body.code, sourceOf(request));
    // After a sign-in at a provider (POST /auth/oidc/continue): the session keeps the provider, for the logout of both.
    const pending = await this.oidc.pending(oidcCookieSecret(request), true);
    const userId = this.tokens.verify(answer.accessToken)?.sub;
    if (pending && pending.outcome === 'second_factor' && pending.userId === userId) {
      void reply.header('set-cookie', clearOidcCookie());
      return this.opener.open(answer, request, reply, { name: pending.provider, idToken: pending.openIdToken });
    }
    return this.toSession(answer, request, reply);
  }

  private toSession(answer: LoginAnswer, request: FastifyRequest, reply: FastifyReply): Promise<SessionOpenedDto | object> {
    return this.opener.open(answer, request, reply);
  }

  @Get('session')
  @Access('me.read')
  @ApiOkResponse({ type: SessionStateDto })
  @ApiUnauthorizedResponse({ description: 'No open session in this browser (signed out, ended after inactivity, or past its maximum duration)' })
  async state(@CurrentViewer() viewer: RequestViewer, @Req() request: FastifyRequest): Promise<SessionStateDto> {
    // The guard opened (and touched) the session of this request; a bearer token has none.
    const session = sessionOf(request);
    if (!session) throw new AppError('unauthenticated', 'This request carries a bearer token, not a browser session');
    const provider = await this.links.sessionProvider(session.secret);
    return { ...this.opener.describe(session.secret, session.expiresAt), user: { ...viewer, professionProven: viewer.professionProven === true }, provider: provider?.name ?? null };
  }

  @Public()
  // The browser session it ends, when there is one (signing out without one is answered too).
  @ApiCookieAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The browser session is ended and its cookie cleared (a bearer token cannot be revoked: it expires by itself)' })
  @ApiForbiddenResponse({ description: `An open session without its ${CSRF_HEADER} header` })
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const secret = cookieSecret(request);
    if (secret) {
      const session = await this.sessions.resume(secret);
      // Another site must not sign a person out either: an open session needs its CSRF header.
      if (!('ended' in session) && !this.sessions.csrfMatches(secret, request.headers[CSRF_HEADER])) {
        throw new AppError('forbidden', `Signing out of a session needs the ${CSRF_HEADER} header of that session`, { reason: 'csrf' });
      }
      const userId = await this.sessions.close(secret);
      if (userId) {
        await this.audit.record({ actorId: userId, organisationId: null, action: 'auth.logout', decision: 'allow', requestId: String(request.id) });
      }
    }
    void reply.header('set-cookie', this.sessions.clearCookie());
  }
}
