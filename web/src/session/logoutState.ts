/**
 * The `state` of a provider's logout (RP-initiated logout), checked at the return. ProConnect's
 * guide for service providers asks it (« Vérification du state » after « Implémentation de la
 * route post_logout_redirect_uri »: the `state` the provider sends back must be the one generated
 * and kept in the browser's session); the ANS's Pro Santé Connect connector checks it too. The
 * server generates it in the end-session URL (POST /auth/oidc/logout); this tab keeps it in its
 * session storage while it is away at the provider — it opens nothing, and is dropped at the return.
 */
const KEY = 'cellule.provider-logout-state';

/** Before leaving for the provider's end-session URL: keeps its `state`. */
export function rememberLogoutState(endSessionUrl: string): void {
  try {
    const state = new URL(endSessionUrl).searchParams.get('state');
    if (state) sessionStorage.setItem(KEY, state);
    else sessionStorage.removeItem(KEY);
  } catch {
    // No storage (a private mode that refuses it): the return is then not taken as the provider's.
  }
}

/** Back at the post-logout address (`?deconnexion=1&state=…`): whether the provider answered this tab's logout. */
export function logoutStateMatches(search: string): boolean {
  const params = new URLSearchParams(search);
  if (!params.has('deconnexion')) return false;
  const returned = params.get('state');
  try {
    const kept = sessionStorage.getItem(KEY);
    return Boolean(kept && returned && kept === returned);
  } catch {
    return false;
  }
}

/** The kept `state` is used once. */
export function forgetLogoutState(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing kept.
  }
}
