import { CunninghamProvider, Loader } from '@gouvfr-lasuite/cunningham-react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from '../api/client';
import NotFoundPage from '../pages/NotFoundPage';
import SignInPage from '../pages/SignInPage';
import { ConfirmLinkPage, InvitationPage, NoAccountPage } from '../pages/ProviderPages';
import { SessionProvider, useSession } from '../session/SessionProvider';
import { ClientConfigContext } from '../shared/ClientConfigContext';
import type { ClientConfig } from '../shared/config';
import { RequireRole } from './RequireRole';
import { RequireSession } from './RequireSession';
import { homeOf, ROUTES } from './routes';

// The signed-in frame loads after the first screen (the sign-in needs none of it).
// The person's transparency page: outside sign-in, loaded only when opened.
const TransparencyPage = lazy(() => import('../transparency/TransparencyPage'));
const Layout = lazy(() => import('./Layout').then((m) => ({ default: m.Layout })));

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A refusal (403, 404) or an ended session (401) is an answer, not a glitch to retry.
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      },
    },
  });
}

function Home() {
  const { state } = useSession();
  if (state.status !== 'signed-in') return null;
  return <Navigate to={homeOf(state.user)} replace />;
}

function PageLoader() {
  return (
    <div className="page-loader">
      <Loader aria-label="Chargement de la page" />
    </div>
  );
}

export function App({ config, queryClient = createQueryClient() }: { config: ClientConfig; queryClient?: QueryClient }) {
  return (
    <ClientConfigContext.Provider value={config}>
      <CunninghamProvider currentLocale="fr-FR">
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <BrowserRouter basename="/app">
              <Routes>
                <Route path="connexion" element={<SignInPage />} />
                <Route path="connexion/sans-compte" element={<NoAccountPage />} />
                <Route path="connexion/lier" element={<ConfirmLinkPage />} />
                <Route path="connexion/invitation" element={<InvitationPage />} />
                <Route
                  path="transparence"
                  element={
                    <Suspense fallback={<PageLoader />}>
                      <TransparencyPage />
                    </Suspense>
                  }
                />
                <Route
                  element={
                    <RequireSession>
                      <Suspense fallback={<PageLoader />}>
                        <Layout />
                      </Suspense>
                    </RequireSession>
                  }
                >
                  <Route index element={<Home />} />
                  {ROUTES.map((route) => (
                    <Route
                      key={route.path}
                      path={route.path}
                      element={
                        <RequireRole route={route}>
                          <Suspense fallback={<PageLoader />}>
                            <route.component />
                          </Suspense>
                        </RequireRole>
                      }
                    />
                  ))}
                  <Route path="*" element={<NotFoundPage />} />
                </Route>
              </Routes>
            </BrowserRouter>
          </SessionProvider>
        </QueryClientProvider>
      </CunninghamProvider>
    </ClientConfigContext.Provider>
  );
}
