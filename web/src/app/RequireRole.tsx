import type { PropsWithChildren } from 'react';
import NotFoundPage from '../pages/NotFoundPage';
import { useUser } from '../session/SessionProvider';
import { allowed, type AppRoute } from './routes';

/** A screen of another role answers as an unknown page: the server decides access anyway. */
export function RequireRole({ route, children }: PropsWithChildren<{ route: AppRoute }>) {
  const user = useUser();
  return allowed(route, user) ? <>{children}</> : <NotFoundPage />;
}
