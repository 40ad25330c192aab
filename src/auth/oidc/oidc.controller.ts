import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../../access/access.decorator.js';
import { AuditService } from '../../audit/audit.service.js';
import { AppError } from '../../common/errors.js';
import { UuidParam } from '../../common/params.js';
import { AuthService } from '../auth.service.js';
import { SessionOpenedDto } from '../dto/session.dto.js';
import { SessionOpener } from '../session-opener.js';
import { CurrentViewer, Public, type RequestViewer } from '../viewer.js';
import { CSRF_HEADER, cookieSecret, WebSessions } from '../web-sessions.js';
import { clearOidcCookie, oidcCookieSecret, setOidcCookie } from './oidc.cookie.js';
import { CreateLinkInvitationDto, LinkedIdentitiesDto, LinkInvitationDto, OidcLogoutDto, OidcProvidersDto } from './oidc.dto.js';
import { OidcLinks } from './oidc-links.service.js';
import { OidcRefused, OidcService } from './oidc.service.js';

/** Where the callback sends the browser: pages of the workspace (web/src/pages/SignInPage.tsx and its neighbours). */
const SIGNED_IN = '/app/';
const CONTINUE = '/app/connexion?oidc=suite';
const CONFIRM = '/app/connexion/lier';
const NO_ACCOUNT = '/app/connexion/sans-compte';
const FAILED = '/app/connexion?oidc=echec';

/** The `:provider` path parameter, published with the bounds of a provider's name (OIDC_<NAME>_…). */
function ProviderParam(): ParameterDecorator {
  return (target, key, index) => {
    Param('provider')(target, key, index);
    const method = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key === undefined || !method) throw new Error('@ProviderParam() belongs on a route handler parameter');
    ApiParam({ name: 'provider', schema: { type: 'string', pattern: '^[a-z0-9_]{1,40}$', maxLength: 40 } })(target, key, method);
  };
}

/**
 * Sign-in with OpenID Connect providers (issue 16): the redirect to the provider, its callback,
 * the steps after it (second factor, confirmation of an email link), the logout of both; and the
 * admin's links of accounts to identities.
 */
@ApiTags('auth')
@Controller()
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly links: OidcLinks,
    private readonly auth: AuthService,
    private readonly opener: SessionOpener,
    private readonly sessions: WebSessions,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @Get('auth/oidc/providers')
  @ApiOkResponse({ type: OidcProvidersDto, description: 'The providers configured (OIDC_<NAME>_ISSUER…): the sign-in page shows their buttons' })
  providers(): OidcProvidersDto {
    return { items: this.oidc.list() };
  }

  @Public()
  @Get('auth/oidc/:provider/login')
  @ApiQuery({ name: 'invitation', required: false, description: "An admin's one-time link invitation: the identity is linked to its account at the callback" })
  @ApiFoundResponse({ description: "To the provider's authorization endpoint (state, nonce, PKCE); a short-lived cookie binds the sign-in to this browser" })
  async login(@ProviderParam() provider: string, @Query('invitation') invitation: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const { url, secret } = await this.oidc.start(provider, typeof invitation === 'string' ? invitation : undefined);
    void reply.header('set-cookie', setOidcCookie(secret)).header('cache-control', 'no-store').redirect(url, 302);
  }

  @Public()
  @Get('auth/oidc/:provider/callback')
  @ApiFoundResponse({
    description: `To the workspace: signed in (${SIGNED_IN}, session cookie set), the second factor to pass (${CONTINUE}), a link to confirm (${CONFIRM}), no account linked (${NO_ACCOUNT}), or refused (${FAILED}: forged or replayed state, wrong issuer, audience, nonce or signature, expired token — in the access log)`,
  })
  async callback(
    @ProviderParam() provider: string,
    @Query() query: Record<string, string | undefined>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const secret = oidcCookieSecret(request);
    const source = { requestId: String(request.id), ip: request.ip };
    void reply.header('cache-control', 'no-store');
    try {
      const outcome = await this.oidc.callback(provider, query, secret);
      if (outcome.kind === 'no_account') return void reply.header('set-cookie', clearOidcCookie()).redirect(NO_ACCOUNT, 302);
      if (outcome.kind === 'confirm_email') return void reply.redirect(CONFIRM, 302);
      if (outcome.kind === 'second_factor') return void reply.redirect(CONTINUE, 302);
      const answer = await this.auth.providerSignIn(outcome.userId, outcome.provider, outcome.strong, source);
      if (!('accessToken' in answer)) {
        await this.oidc.awaitSecondFactor(secret!, outcome);
        return void reply.redirect(CONTINUE, 302);
      }
      await this.opener.open(answer, request, reply, { name: outcome.provider, idToken: outcome.idToken });
      // Fastify appends a second set-cookie to the session's.
      void reply.header('set-cookie', clearOidcCookie()).redirect(SIGNED_IN, 302);
    } catch (error) {
      if (!(error instanceof OidcRefused)) throw error;
      await this.audit.record({
        actorId: null,
        organisationId: null,
        action: 'auth.oidc.login',
        decision: 'deny',
        purpose: error.reason.slice(0, 100),
        requestId: source.requestId,
        detail: { provider: provider.slice(0, 40) },
      });
      void reply.header('set-cookie', clearOidcCookie()).redirect(FAILED, 302);
    }
  }

  /** After the callback sent the browser to the second factor: its step, as POST /auth/session answers it. */
  @Public()
  @Post('auth/oidc/continue')
  @HttpCode(200)
  @ApiOkResponse({
    type: SessionOpenedDto,
    description: 'The second factor to pass (`mfa`: `required` or `enroll`, as POST /auth/session), then POST /auth/session/mfa',
  })
  @ApiUnauthorizedResponse({ description: 'No sign-in at a provider waits in this browser (over, or never started)' })
  async continue(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionOpenedDto | object> {
    const pending = await this.oidc.pending(oidcCookieSecret(request), false);
    if (!pending || pending.outcome !== 'second_factor') throw new AppError('unauthenticated', 'This sign-in is over: sign in with your provider again');
    const answer = await this.auth.providerSignIn(pending.userId, pending.provider, false, { requestId: String(request.id), ip: request.ip });
    return this.opener.open(answer, request, reply, { name: pending.provider, idToken: pending.openIdToken });
  }

  /** The user confirms that the account their provider's email matched is theirs: linked, then signed in. */
  @Public()
  @Post('auth/oidc/confirm-link')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionOpenedDto, description: 'Linked and signed in (cookie set), or the second factor to pass first' })
  @ApiUnauthorizedResponse({ description: 'No link to confirm waits in this browser' })
  async confirmLink(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionOpenedDto | object> {
    const secret = oidcCookieSecret(request);
    const linked = await this.oidc.confirmEmailLink(secret);
    const answer = await this.auth.providerSignIn(linked.userId, linked.provider, linked.strong, { requestId: String(request.id), ip: request.ip });
    if (!('accessToken' in answer)) {
      await this.oidc.awaitSecondFactor(secret!, linked);
      return answer;
    }
    void reply.header('set-cookie', clearOidcCookie());
    return this.opener.open(answer, request, reply, { name: linked.provider, idToken: linked.idToken });
  }

  /** Signs out of the workspace and answers where to sign out of the provider too (RP-initiated logout). */
  @Public()
  @ApiCookieAuth()
  @Post('auth/oidc/logout')
  @HttpCode(200)
  @ApiOkResponse({ type: OidcLogoutDto })
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<OidcLogoutDto> {
    const secret = cookieSecret(request);
    let redirectTo = '/app/connexion';
    if (secret) {
      const session = await this.sessions.resume(secret);
      if (!('ended' in session) && !this.sessions.csrfMatches(secret, request.headers[CSRF_HEADER])) {
        throw new AppError('forbidden', `Signing out of a session needs the ${CSRF_HEADER} header of that session`, { reason: 'csrf' });
      }
      const provider = await this.links.sessionProvider(secret);
      const userId = await this.sessions.close(secret);
      if (userId) {
        await this.audit.record({
          actorId: userId,
          organisationId: null,
          action: 'auth.logout',
          decision: 'allow',
          purpose: provider?.name ?? null,
          requestId: String(request.id),
        });
      }
      if (provider) redirectTo = (await this.oidc.endSessionUrl(provider.name, provider.idToken)) ?? redirectTo;
    }
    void reply.header('set-cookie', this.sessions.clearCookie());
    return { redirectTo };
  }

  @Post('users/:id/oidc-invitations')
  @ApiBearerAuth()
  @Access('user.oidc.invite')
  @ApiOkResponse({ type: LinkInvitationDto })
  @HttpCode(201)
  invite(@CurrentViewer() admin: RequestViewer, @UuidParam('id') id: string, @Body() body: CreateLinkInvitationDto, @Req() request: FastifyRequest) {
    return this.links.invite(admin, id, body.kind ?? 'invitation', String(request.id));
  }

  @Get('users/:id/oidc-identities')
  @ApiBearerAuth()
  @Access('user.oidc.list')
  @ApiOkResponse({ type: LinkedIdentitiesDto })
  identities(@UuidParam('id') id: string): Promise<LinkedIdentitiesDto> {
    return this.links.identities(id);
  }

  @Delete('users/:id/oidc-identities/:provider')
  @ApiBearerAuth()
  @Access('user.oidc.unlink')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Unlinked (in the access log); the account signs in through that provider only after a new link' })
  async unlink(
    @CurrentViewer() admin: RequestViewer,
    @UuidParam('id') id: string,
    @ProviderParam() provider: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.links.unlink(admin, id, provider, String(request.id));
  }
}
