import { Loader } from '@gouvfr-lasuite/cunningham-react';
import type { PropsWithChildren } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../session/SessionProvider';

/** Signed-in screens only: others go to the sign-in, which brings them back afterwards. */
export function RequireSession({ children }: PropsWithChildren) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'checking') {
    return (
      <div className="page-loader">
        <Loader aria-label="Chargement de votre session" />
      </div>
    );
  }
  if (state.status === 'signed-out') return <Navigate to="/connexion" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}
