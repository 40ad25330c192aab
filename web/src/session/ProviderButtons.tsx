import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

export interface ProviderEntry {
  name: string;
  kind: 'proconnect' | 'prosanteconnect' | 'generic';
}

/** Where a provider's button goes: the server's redirect to it, with the admin's invitation when there is one. */
export function loginHref(provider: string, invitation?: string): string {
  return `/auth/oidc/${encodeURIComponent(provider)}/login${invitation ? `?invitation=${encodeURIComponent(invitation)}` : ''}`;
}

/** The configured providers (GET /auth/oidc/providers); none when the server has none or cannot say. */
export function useProviders(): ProviderEntry[] {
  const { data } = useQuery({
    queryKey: ['auth', 'oidc', 'providers'],
    queryFn: async () => (await api.GET('/auth/oidc/providers')).data?.items ?? [],
    staleTime: Infinity,
  });
  return data ?? [];
}

/**
 * The providers' buttons, as their display guidelines ask. ProConnect's is the button of its guide
 * for service providers (numerique-gouv/proconnect-documentation, doc_fs/bouton_proconnect.md):
 * the « bouton FranceConnect » of the Système de design de l'État in its ProConnect variant
 * (`fr-connect--pro` of @gouvfr/dsfr 1.15.3), « S’identifier avec » over « ProConnect » beside
 * its logo (./proconnect-logo.svg, the DSFR's asset), then « Qu’est-ce que ProConnect ? »
 * opening https://proconnect.gouv.fr/ in a new window; its sizes and colours are in
 * styles/app.css (.proconnect-button), taken from the DSFR's CSS rather than pulling the whole
 * DSFR into a Cunningham workspace.
 *
 * Pro Santé Connect's: the ANS hands its button out as pictures, and neither its display rules
 * nor a copy of the picture that could be read as text were found in public (the ANS's own
 * integrations show PNG files: a 224 × 56 px picture, blue at rest and in colours on hover, in
 * ansforge/keycloak-prosanteconnect's Keycloak theme; 230 × 60 px in prosanteconnect/simple-psc-app;
 * integrators name the kit's file `ProSanteConnect_sidentifier_COULEURS`). So this is the closest
 * faithful button, text only: the picture's words, « S’identifier avec » over « Pro Santé
 * Connect », in a box of the ANS's size (styles/app.css, .psc-button), then, as for ProConnect,
 * « Qu’est-ce que Pro Santé Connect ? » opening the ANS's page on the service in a new window.
 * The kit's picture, once at hand, goes inside the same link with these words as its text
 * alternative. A plain button for a generic provider. Each is a link (a full navigation to the
 * provider, never a request from the page).
 */
export function ProviderButtons({ providers, invitation }: { providers: ProviderEntry[]; invitation?: string }) {
  if (!providers.length) return null;
  return (
    <div className="providers stack">
      {providers.map((p) =>
        p.kind === 'proconnect' ? (
          <div key={p.name} className="provider proconnect-group">
            <a className="proconnect-button" href={loginHref(p.name, invitation)}>
              <span className="proconnect-button__login">S’identifier avec</span> <span className="proconnect-button__brand">ProConnect</span>
            </a>
            <p className="provider__about">
              <a href="https://proconnect.gouv.fr/" target="_blank" rel="noopener noreferrer" title="Qu’est-ce que ProConnect ? - nouvelle fenêtre">
                Qu’est-ce que ProConnect ?
              </a>
            </p>
          </div>
        ) : p.kind === 'prosanteconnect' ? (
          <div key={p.name} className="provider psc-group">
            <a className="psc-button" href={loginHref(p.name, invitation)}>
              <span className="psc-button__login">S’identifier avec</span> <span className="psc-button__brand">Pro Santé Connect</span>
            </a>
            <p className="provider__about">
              <a
                href="https://industriels.esante.gouv.fr/produits-et-services/pro-sante-connect"
                target="_blank"
                rel="noopener noreferrer"
                title="Qu’est-ce que Pro Santé Connect ? - nouvelle fenêtre"
              >
                Qu’est-ce que Pro Santé Connect ?
              </a>
            </p>
          </div>
        ) : (
          <a key={p.name} className="provider-button provider-button--generic" href={loginHref(p.name, invitation)}>
            Se connecter avec {p.name}
          </a>
        ),
      )}
      {!invitation && (
        <p className="providers__or" role="separator">
          ou
        </p>
      )}
    </div>
  );
}
