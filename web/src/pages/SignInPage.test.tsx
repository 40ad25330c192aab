import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION, spoken } from '../../test/http';

const UNAUTHENTICATED = { status: 401, body: { type: 'x/unauthenticated', title: 'Authentication required', status: 401, detail: 'No such session' } };

function start(path = '/app/connexion') {
  window.history.pushState({}, '', path);
  render(<App config={FALLBACK_CONFIG} />);
}

async function typeCredentials() {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Adresse électronique'), REFERRER.email);
  await user.type(screen.getByLabelText('Mot de passe'), 'demo-cellule-2026');
  await user.click(screen.getByRole('button', { name: 'Se connecter' }));
  return user;
}

describe('sign-in', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('opens a cookie session and lands on the home page, keeping nothing in the browser’s storage', async () => {
    let open = false;
    const { sent } = fakeServer({
      'GET /auth/session': () => (open ? { status: 200, body: { ...SESSION, user: REFERRER } } : UNAUTHENTICATED),
      'POST /auth/session': () => {
        open = true;
        return { status: 200, body: SESSION };
      },
      'GET /cases': { status: 200, body: { items: [], nextCursor: null } },
      'GET /me/recent-situations': { status: 200, body: { items: [] } },
    });
    start();
    await typeCredentials();
    expect(await screen.findByRole('heading', { level: 1, name: `Bonjour ${REFERRER.displayName}` })).toBeTruthy();
    expect(window.location.pathname).toBe('/app/accueil');
    expect(sent.find((s) => s.method === 'POST' && s.path === '/auth/session')?.body).toEqual({ email: REFERRER.email, password: 'demo-cellule-2026' });
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(document.title).toBe('Accueil — Cellule');
  });

  it('says "incorrect" for a refused sign-in, whatever the reason', async () => {
    fakeServer({
      'GET /auth/session': UNAUTHENTICATED,
      'POST /auth/session': { status: 401, body: { type: 'x', title: 'x', status: 401, detail: 'Wrong email or password' } },
    });
    start();
    await typeCredentials();
    // What a screen reader reads: the kind in French, the message, no icon name.
    expect(spoken(await screen.findByRole('alert'))).toBe('Erreur : Adresse électronique ou mot de passe incorrect.');
  });

  it('asks for the second factor when the server does, and sends it with the challenge', async () => {
    let open = false;
    const { sent } = fakeServer({
      'GET /auth/session': () => (open ? { status: 200, body: { ...SESSION, user: REFERRER } } : UNAUTHENTICATED),
      'POST /auth/session': { status: 200, body: { mfa: 'required', challengeToken: 'challenge-1' } },
      'POST /auth/session/mfa': () => {
        open = true;
        return { status: 200, body: SESSION };
      },
      'GET /cases': { status: 200, body: { items: [], nextCursor: null } },
      'GET /me/recent-situations': { status: 200, body: { items: [] } },
    });
    start();
    const user = await typeCredentials();
    expect(await screen.findByRole('heading', { name: 'Second facteur' })).toBeTruthy();
    await user.type(screen.getByLabelText('Code à 6 chiffres'), '123 456');
    await user.click(screen.getByRole('button', { name: 'Valider' }));
    expect(await screen.findByRole('heading', { level: 1, name: `Bonjour ${REFERRER.displayName}` })).toBeTruthy();
    expect(sent.find((s) => s.path === '/auth/session/mfa')?.body).toEqual({ challengeToken: 'challenge-1', code: '123456' });
  });

  it('shows the secret once at enrolment', async () => {
    fakeServer({
      'GET /auth/session': UNAUTHENTICATED,
      'POST /auth/session': {
        status: 200,
        body: { mfa: 'enroll', challengeToken: 'c', secret: 'JBSWY3DPEHPK3PXP', otpauthUrl: 'otpauth://totp/Cellule:x?secret=JBSWY3DPEHPK3PXP' },
      },
    });
    start();
    await typeCredentials();
    expect((await screen.findByLabelText("Clé à saisir dans l'application")).textContent).toBe('JBSW Y3DP EHPK 3PXP');
  });

  it('replaces a temporary password before opening the session', async () => {
    let open = false;
    const { sent } = fakeServer({
      'GET /auth/session': () => (open ? { status: 200, body: { ...SESSION, user: REFERRER } } : UNAUTHENTICATED),
      'POST /auth/session': { status: 200, body: { passwordChange: 'required', challengeToken: 'challenge-2' } },
      'POST /auth/session/password': () => {
        open = true;
        return { status: 200, body: SESSION };
      },
      'GET /cases': { status: 200, body: { items: [], nextCursor: null } },
      'GET /me/recent-situations': { status: 200, body: { items: [] } },
    });
    start();
    const user = await typeCredentials();
    await screen.findByRole('heading', { name: 'Nouveau mot de passe' });
    await user.type(screen.getByLabelText('Nouveau mot de passe'), 'court');
    await user.type(screen.getByLabelText('Confirmez le nouveau mot de passe'), 'court');
    await user.click(screen.getByRole('button', { name: 'Enregistrer et continuer' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/au moins 12 caractères/);
    expect(sent.some((s) => s.path === '/auth/session/password')).toBe(false);
    await user.clear(screen.getByLabelText('Nouveau mot de passe'));
    await user.clear(screen.getByLabelText('Confirmez le nouveau mot de passe'));
    await user.type(screen.getByLabelText('Nouveau mot de passe'), 'une phrase de passe solide');
    await user.type(screen.getByLabelText('Confirmez le nouveau mot de passe'), 'une phrase de passe solide');
    await user.click(screen.getByRole('button', { name: 'Enregistrer et continuer' }));
    await waitFor(() => expect(window.location.pathname).toBe('/app/accueil'));
    expect(sent.find((s) => s.path === '/auth/session/password')?.body).toEqual({ challengeToken: 'challenge-2', newPassword: 'une phrase de passe solide' });
  });

  it('sends the CSRF token on writes, and ends on the sign-in page with the reason when the session ended', async () => {
    const { sent } = fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      'GET /cases': {
        status: 401,
        body: { type: 'x/unauthenticated', title: 'x', status: 401, detail: 'The session ended after 15 minutes without activity', reason: 'session_idle' },
      },
      'POST /auth/logout': { status: 204 },
    });
    start('/app/mes-situations');
    expect(await screen.findByText(/déconnecté après 15 minutes sans activité/)).toBeTruthy();
    expect(window.location.pathname).toBe('/app/connexion');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Adresse électronique'), 'x@y.fr');
    // Reads never carry the CSRF header; this page sent no write.
    expect(sent.filter((s) => s.headers.get('x-cellule-csrf')).length).toBe(0);
  });
});
