import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/viewer.js';
import { asSystem, withTerritories } from '../database/territory-scope.js';
import { ACCESS_ACTION } from './access.decorator.js';
import { AccessService } from './access.service.js';
import type { Action } from './policy.types.js';

/**
 * Sets the territory scope of every request from its caller, before any handler, service or
 * repository runs: the row-level security (migration TerritoryRowSecurity) then shows the request
 * only rows of the caller's territory, whatever its queries forget. A caller whose action the
 * policy grants everywhere (scopeOf: an administrator, an auditor attached to no territory) gets
 * every territory — the explicit wide door, written to the audit log the first time the request
 * uses it. A public route (no caller) sees no territorial row.
 */
@Injectable()
export class TerritoryScopeInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const viewer = request.viewer;
    const who = { actorId: viewer?.userId ?? null, requestId: String(request.id) };
    if (!viewer) return withTerritories([], () => next.handle(), who);
    const action = this.reflector.getAllAndOverride<Action | undefined>(ACCESS_ACTION, [context.getHandler(), context.getClass()]);
    const scope = action ? this.access.scope(viewer, action) : null;
    if (scope?.all) return asSystem(`route:${action}`, () => next.handle(), { ...who, audit: true });
    // The caller's own territory, where the relations decided one resource at a time (a
    // membership, an attendance, a referral) can only lie (eligibility refuses another's).
    const territories = new Set(scope?.territoryIds ?? []);
    if (viewer.territoryId) territories.add(viewer.territoryId);
    return withTerritories([...territories], () => next.handle(), who);
  }
}
