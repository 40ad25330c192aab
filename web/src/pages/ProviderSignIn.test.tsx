import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION } from '../../test/http';

const UNAUTHENTICATED = { status: 401, body: { type: 'x/unauthenticated', title: 'Authentication required', status: 401, detail: 'No such session' } };

function start(path: string) {
  window.history.pushState({}, '', path);
  render(<App config={FALLBACK_CONFIG} />);
}

describe('sign-in with ProConnect and Pro Santé Connect (issue 16)', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('shows the configured providers’ buttons above the local form, each a link to the server’s redirect', async () => {
    fakeServer({
      'GET /auth/session': UNAUTHENTICATED,
      'GET /auth/oidc/providers': {
        status: 200,
        body: {
          items: [
            { name: 'pc', kind: 'proconnect' },
            { name: 'psc', kind: 'prosanteconnect' },
          ],
        },
      },
    });
    start('/app/connexion');
    const proconnect = await screen.findByRole('link', { name: /S’identifier avec\s*ProConnect/ });
    expect(proconnect.getAttribute('href')).toBe('/auth/oidc/pc/login');
    // Pro Santé Connect's: the words of the ANS's button picture as the link's whole accessible name.
    const psc = screen.getByRole('link', { name: 'S’identifier avec Pro Santé Connect' });
    expect(psc.getAttribute('href')).toBe('/auth/oidc/psc/login');
    const about = screen.getByRole('link', { name: 'Qu’est-ce que Pro Santé Connect ?' });
    expect(about.getAttribute('href')).toBe('https://industriels.esante.gouv.fr/produits-et-services/pro-sante-connect');
    expect(about.getAttribute('target')).toBe('_blank');
    expect(about.getAttribute('rel')).toBe('noopener noreferrer');
    expect(about.getAttribute('title')).toBe('Qu’est-ce que Pro Santé Connect ? - nouvelle fenêtre');
    expect(screen.getByRole('link', { name: 'Qu’est-ce que ProConnect ?' }).getAttribute('target')).toBe('_blank');
    // The address ProConnect's display guidelines give for that link.
    expect(screen.getByRole('link', { name: 'Qu’est-ce que ProConnect ?' }).getAttribute('href')).toBe('https://proconnect.gouv.fr/');
    // Above the local form.
    const email = screen.getByLabelText('Adresse électronique');
    expect(proconnect.compareDocumentPosition(email) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(psc.compareDocumentPosition(email) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('the invitation page’s Pro Santé Connect button carries the invitation, with no « ou » before a local form', async () => {
    fakeServer({
      'GET /auth/session': UNAUTHENTICATED,
      'GET /auth/oidc/providers': { status: 200, body: { items: [{ name: 'psc', kind: 'prosanteconnect' }] } },
    });
    start('/app/connexion/invitation#invitation-token_0123456789');
    const psc = await screen.findByRole('link', { name: 'S’identifier avec Pro Santé Connect' });
    expect(psc.getAttribute('href')).toBe('/auth/oidc/psc/login?invitation=invitation-token_0123456789');
    expect(screen.queryByRole('separator')).toBeNull();
  });

  it('shows no button when no provider is configured', async () => {
    fakeServer({ 'GET /auth/session': UNAUTHENTICATED, 'GET /auth/oidc/providers': { status: 200, body: { items: [] } } });
    start('/app/connexion');
    await screen.findByLabelText('Adresse électronique');
    expect(screen.queryByRole('link', { name: /ProConnect/ })).toBeNull();
  });

  it('back from a provider with the second factor to pass: asks the code, then signs in', async () => {
    let open = false;
    const { sent } = fakeServer({
      'GET /auth/session': () => (open ? { status: 200, body: { ...SESSION, user: REFERRER, provider: 'pc' } } : UNAUTHENTICATED),
      'GET /auth/oidc/providers': { status: 200, body: { items: [{ name: 'pc', kind: 'proconnect' }] } },
      'POST /auth/oidc/continue': { status: 200, body: { mfa: 'required', challengeToken: 'challenge-token' } },
      'POST /auth/session/mfa': () => {
        open = true;
        return { status: 200, body: SESSION };
      },
      'GET /cases': { status: 200, body: { items: [], nextCursor: null } },
      'GET /me/recent-situations': { status: 200, body: { items: [] } },
    });
    start('/app/connexion?oidc=suite');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Code à 6 chiffres'), '123 456');
    await user.click(screen.getByRole('button', { name: 'Valider' }));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST' && r.path === '/auth/session/mfa')).toBe(true));
    expect(sent.find((r) => r.path === '/auth/session/mfa')?.body).toEqual({ challengeToken: 'challenge-token', code: '123456' });
  });

  it('says when the provider’s sign-in failed, and the no-account page says whom to ask', async () => {
    fakeServer({ 'GET /auth/session': UNAUTHENTICATED, 'GET /auth/oidc/providers': { status: 200, body: { items: [] } } });
    start('/app/connexion?oidc=echec');
    expect(await screen.findByText(/La connexion avec votre fournisseur d’identité n’a pas abouti/)).toBeTruthy();
  });

  it('back from the provider’s logout: says so only when the provider answers this tab’s own logout (its state), once', async () => {
    fakeServer({ 'GET /auth/session': UNAUTHENTICATED, 'GET /auth/oidc/providers': { status: 200, body: { items: [] } } });
    const signedOutThere = /Vous êtes déconnecté, de Cellule et de votre fournisseur d’identité/;
    sessionStorage.setItem('cellule.provider-logout-state', 'state-kept-by-this-tab-0123456789abcdef');
    start('/app/connexion?deconnexion=1&state=another-state-0123456789abcdef0123');
    await screen.findByLabelText('Adresse électronique');
    expect(screen.queryByText(signedOutThere)).toBeNull();
    cleanup();

    sessionStorage.setItem('cellule.provider-logout-state', 'state-kept-by-this-tab-0123456789abcdef');
    start('/app/connexion?deconnexion=1&state=state-kept-by-this-tab-0123456789abcdef');
    expect(await screen.findByText(signedOutThere)).toBeTruthy();
    // Used once: the same return again says nothing.
    await waitFor(() => expect(sessionStorage.getItem('cellule.provider-logout-state')).toBeNull());
    cleanup();
    start('/app/connexion?deconnexion=1&state=state-kept-by-this-tab-0123456789abcdef');
    await screen.findByLabelText('Adresse électronique');
    expect(screen.queryByText(signedOutThere)).toBeNull();
  });

  it('the no-account page says to ask the coordinator', async () => {
    fakeServer({ 'GET /auth/session': UNAUTHENTICATED });
    start('/app/connexion/sans-compte');
    expect(await screen.findByText(/Demandez à votre coordinateur/)).toBeTruthy();
  });
});
