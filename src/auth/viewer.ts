import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Viewer } from '../access/access.js';
import type { Role } from '../access/policy.types.js';

export interface AuthenticatedRequest extends FastifyRequest {
  viewer?: Viewer & { email: string; displayName: string };
}

export const PUBLIC_ROUTE = 'cellule:public';
export const REQUIRED_ROLES = 'cellule:roles';

/** The route needs no token (login, health, docs). Every other route is authenticated. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * @deprecated Declare the route's action with `@Access(...)` (src/access/access.decorator.ts):
 * policies/access.yaml then says which roles may ever perform it. Kept only for the two routes of
 * src/cases/cases.controller.ts that still carry it.
 */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The authenticated caller of this request. */
export const CurrentViewer = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const viewer = ctx.switchToHttp().getRequest<AuthenticatedRequest>().viewer;
  if (!viewer) throw new Error('CurrentViewer used on a public route');
  return viewer;
});

export type RequestViewer = NonNullable<AuthenticatedRequest['viewer']>;
