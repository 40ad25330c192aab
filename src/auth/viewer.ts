import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Viewer } from '../access/access.js';

export interface AuthenticatedRequest extends FastifyRequest {
  viewer?: Viewer & { email: string; displayName: string };
}

export const PUBLIC_ROUTE = 'cellule:public';

/**
 * The route needs no token (login, health, docs). Every other route is authenticated. The OpenAPI
 * document says so from the same mark: an empty security requirement (`security: [{}]`), OpenAPI's
 * way of saying a caller may come without credentials (signing in is how one gets them).
 */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiSecurity({}));

/** The authenticated caller of this request. */
export const CurrentViewer = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const viewer = ctx.switchToHttp().getRequest<AuthenticatedRequest>().viewer;
  if (!viewer) throw new Error('CurrentViewer used on a public route');
  return viewer;
});

export type RequestViewer = NonNullable<AuthenticatedRequest['viewer']>;
