import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { InputGuard } from '../common/input.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { SessionController } from './session.controller.js';
import { WebSessions } from './web-sessions.js';
import { OidcController } from './oidc/oidc.controller.js';
import { OidcLinks } from './oidc/oidc-links.service.js';
import { OidcService } from './oidc/oidc.service.js';
import { SessionOpener } from './session-opener.js';

/**
 * Login (a token for API clients, a cookie session for the web workspace), and the global guard every request goes through (authentication, then the early refusal
 * of the route's action by the access service). The password hasher and the token signer are
 * built before Nest starts and come from the core module.
 */
@Module({
  controllers: [AuthController, SessionController, OidcController],
  providers: [
    AuthService,
    WebSessions,
    SessionOpener,
    OidcService,
    OidcLinks,
    // Global guards run in the order they are registered: who is calling and whether the route is
    // theirs first (401, 403 with its access-log row), then what no input may hold (400).
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: InputGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
