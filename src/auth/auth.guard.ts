import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ACCESS_ACTION } from '../access/access.decorator.js';
import { AccessService } from '../access/access.service.js';
import type { Action } from '../access/policy.types.js';
import { AppError } from '../common/errors.js';
import { accountDoor } from '../users/account-door.js';
import { findViewerRow } from '../users/users.repository.js';
import { TokenSigner } from './tokens.js';
import { WebSessions } from './web-sessions.js';
import { PUBLIC_ROUTE, type AuthenticatedRequest } from './viewer.js';

/**
 * Global guard: denied by default. A route is reachable without a token only when marked
 * @Public(). The token's user is read from the database on every request, so disabling a user
 * (or changing their roles) takes effect at once, not at token expiry; and the token must be of
 * the account's current generation (users.token_generation), which a password change, a
 * disabling, a role change or a removed second factor moves on: every earlier token ends. Then the route's action
 * (@Access) refuses early a caller none of whose roles could ever be permitted it — the access
 * service decides, from the same policy as its decision on the resource itself.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenSigner,
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly sessions: WebSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // A bearer token (API clients), or the web workspace's session cookie (src/auth/web-sessions.ts),
    // each of the account generation it was issued under.
    const credential = await this.sessions.authenticate(request, (token) => {
      const claims = this.tokens.verify(token);
      return claims && { userId: claims.sub, generation: claims.gen };
    });
    const user = await accountDoor('authenticate', () => findViewerRow(this.dataSource, credential.userId));
    // Of an earlier generation: ended by a password change, a disabling, a role change, a removed factor.
    if (!user || user.disabled_at || user.token_generation !== credential.generation) throw new AppError('unauthenticated', 'A valid bearer token is required');
    request.viewer = {
      userId: user.id,
      email: user.email,
      displayName: user.display_name,
      organisationId: user.organisation_id,
      territoryId: user.territory_id,
      sector: user.sector,
      roles: user.roles,
      profession: user.profession,
    };
    const route = `${request.method} ${request.routeOptions?.url ?? ''}`;
    const action = this.reflector.getAllAndOverride<Action | undefined>(ACCESS_ACTION, targets);
    if (action) await this.access.requireRoute(request.viewer, action, route, String(request.id));
    return true;
  }
}
