import { Button } from '@gouvfr-lasuite/cunningham-react';
import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession, useUser } from '../session/SessionProvider';
import { IdleWarning } from '../session/IdleWarning';
import { NotificationBell } from '../notifications/NotificationBell';
import { useClientConfig } from '../shared/ClientConfigContext';
import { ROLE_LABEL } from '../shared/labels';
import { useMyRightsCopies } from '../rights/queries';
import { allowed, ROUTES, type AppRoute } from './routes';

/** The frame of every signed-in screen: skip link, header with the operator's identity, navigation by role, main. */
export function Layout() {
  const user = useUser();
  const { signOut } = useSession();
  const { operator } = useClientConfig();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const copiesRoute = ROUTES.find((route) => route.navOnlyWhen === 'copies-to-hand-over');
  // Asked only of the accounts that may hand copies over; the entry shows while there are some.
  const copies = useMyRightsCopies(copiesRoute !== undefined && allowed(copiesRoute, user));
  const waiting = (route: AppRoute) => (route.navOnlyWhen === 'copies-to-hand-over' ? (copies.data?.items.length ?? 0) : undefined);

  // After a navigation, focus goes to the new page's heading, so a screen reader announces it.
  useEffect(() => {
    const heading = main.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="header">
        <div className="header__inner">
          <NavLink to="/" className="header__brand">
            <img src="/app/logo" alt="" width="32" height="32" />
            <span>{operator.name}</span>
          </NavLink>
          <nav aria-label="Navigation principale" className="header__nav">
            <ul>
              {ROUTES.filter((route) => route.nav && allowed(route, user) && waiting(route) !== 0).map((route) => (
                <li key={route.path}>
                  <NavLink to={`/${route.path}`} end>
                    {route.nav}
                    {waiting(route) !== undefined && ` (${waiting(route)})`}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="header__user">
            <span className="header__who">
              {user.displayName}
              <span className="header__roles">{user.roles.map((r) => ROLE_LABEL[r]).join(', ')}</span>
            </span>
            <NotificationBell />
            <NavLink to="/mon-compte">Mon compte</NavLink>
            <Button size="small" color="brand" variant="secondary" onClick={() => void signOut()}>
              Se déconnecter
            </Button>
          </div>
        </div>
      </header>
      <main id="contenu" ref={main} tabIndex={-1} className="main">
        <Outlet />
      </main>
      <footer className="footer">
        <p>
          {operator.name} — espace de travail de la cellule de cas complexes. Les informations affichées relèvent du secret partagé : ne les copiez pas hors de
          cet espace.
        </p>
      </footer>
      <IdleWarning />
    </>
  );
}
