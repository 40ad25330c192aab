import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { Role } from '../access/policy.types.js';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors.js';
import { preparedQuery } from '../database/sql.js';
import { TokenSigner } from './tokens.js';
import { WebSessions } from './web-sessions.js';
import { PUBLIC_ROUTE, REQUIRED_ROLES, type AuthenticatedRequest } from './viewer.js';

/**
 * Global guard: denied by default. A route is reachable without a token only when marked
 * @Public(). The token's user is read from the database on every request, so disabling a user
 * (or changing their roles) takes effect at once, not at token expiry.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenSigner,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: WebSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // A bearer token (API clients), or the web workspace's session cookie (src/auth/web-sessions.ts).
    const userId = await this.sessions.authenticate(request, (token) => this.tokens.verify(token)?.sub);
    const rows: {
      id: string;
      email: string;
      display_name: string;
      organisation_id: string | null;
      territory_id: string | null;
      roles: Role[];
      profession: string;
      sector: string | null;
      disabled_at: Date | null;
    }[] = await preparedQuery(
      this.dataSource,
      `SELECT u.id, u.email, u.display_name, u.organisation_id, coalesce(o.territory_id, u.territory_id) AS territory_id, u.roles, u.profession, o.sector, u.disabled_at
           FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`,
      [userId],
    );
    const user = rows[0];
    if (!user || user.disabled_at) throw new AppError('unauthenticated', 'A valid bearer token is required');
    request.viewer = {
      userId: user.id,
      email: user.email,
      displayName: user.display_name,
      organisationId: user.organisation_id,
      territoryId: user.territory_id,
      sector: user.sector as never,
      roles: user.roles,
      profession: user.profession as never,
    };
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required?.length && !required.some((r) => user.roles.includes(r))) {
      await this.audit.record({
        actorId: user.id,
        organisationId: user.organisation_id,
        territoryId: user.territory_id,
        action: `route:${request.method} ${request.routeOptions?.url ?? ''}`,
        decision: 'deny',
        purpose: `requires role ${required.join('|')}`,
        requestId: String(request.id),
      });
      throw AppError.forbidden(`This call requires the role ${required.join(' or ')}`);
    }
    return true;
  }
}
