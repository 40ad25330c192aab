import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION } from '../../test/http';

/** « Mon compte » says which profession the account has, and whether Pro Santé Connect proved it (issue 16). */
describe('« Mon compte »: the profession', () => {
  function open(user: typeof REFERRER | (Omit<typeof REFERRER, 'profession' | 'professionProven'> & { profession: string; professionProven: boolean })) {
    fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user } },
      'GET /me/notification-preferences': { status: 200, body: { email: 'each', mailEnabled: true } },
    });
    window.history.pushState({}, '', '/app/mon-compte');
    render(<App config={FALLBACK_CONFIG} />);
  }

  it('a profession an administrator declared: says so, and how to prove it', async () => {
    open(REFERRER);
    const section = await screen.findByRole('region', { name: 'Profession' });
    expect(section.textContent).toContain('Assistant ou assistante de service social — déclarée par l’administrateur');
    expect(within(section).getByText(/Une connexion par Pro Santé Connect/)).toBeTruthy();
  });

  it('a profession proven by Pro Santé Connect', async () => {
    open({ ...REFERRER, profession: 'nurse', professionProven: true });
    const section = await screen.findByRole('region', { name: 'Profession' });
    expect(section.textContent).toContain('Infirmier ou infirmière — prouvée par Pro Santé Connect');
    expect(within(section).queryByText(/Une connexion par Pro Santé Connect/)).toBeNull();
  });
});
