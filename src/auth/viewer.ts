import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Viewer } from '../access/access.js';

export interface AuthenticatedRequest extends FastifyRequest {
  viewer?: Viewer & { email: string; displayName: string };
}

export const PUBLIC_ROUTE = 'cellule:public';

/** The route needs no token (login, health, docs). Every other route is authenticated. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The authenticated caller of this request. */
export const CurrentViewer = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const viewer = ctx.switchToHttp().getRequest<AuthenticatedRequest>().viewer;
  if (!viewer) throw new Error('CurrentViewer used on a public route');
  return viewer;
});

export type RequestViewer = NonNullable<AuthenticatedRequest['viewer']>;
