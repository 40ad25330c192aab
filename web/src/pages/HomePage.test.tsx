import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, SESSION } from '../../test/http';

const DPO = {
  userId: '66666666-6666-4666-8666-666666666666',
  email: 'dpo@val-fictif.invalid',
  displayName: 'Alex DPO',
  organisationId: null,
  territoryId: null,
  sector: null,
  roles: ['auditor' as const],
  profession: 'none' as const,
};
const request = (id: string, kind: string, dueOn: string, daysLeft: number) => ({
  id,
  territoryId: '33333333-3333-4333-8333-333333333333',
  kind,
  receivedOn: '2026-03-02',
  dueOn,
  daysLeft,
});

function home(rights: unknown) {
  fakeServer({
    'GET /auth/session': { status: 200, body: { ...SESSION, user: DPO } },
    'GET /me/todo': { status: 200, body: { at: '2026-04-04T08:00:00.000Z', rights } },
  });
  window.history.pushState({}, '', '/app/accueil');
  render(<App config={FALLBACK_CONFIG} />);
}

describe('the DPO’s home: what waits on them', () => {
  it('lists the open rights requests by due date, the late ones said as such, each a link to its page', async () => {
    home({
      count: 2,
      overdue: 1,
      dueSoon: 1,
      items: [
        request('77777777-7777-4777-8777-777777777777', 'erasure', '2026-04-02', -2),
        request('88888888-8888-4888-8888-888888888888', 'access', '2026-04-08', 4),
      ],
    });
    const section = (await screen.findByRole('heading', { level: 2, name: 'Ce qui vous attend' })).closest('section')!;
    expect(await within(section).findByText(/2 demandes de droits ouvertes dont 1 en retard et 1 à échéance dans les 7 jours/)).toBeTruthy();
    const late = within(section).getByRole('link', { name: 'Effacement, reçue le 2 mars 2026' });
    expect(late.getAttribute('href')).toBe('/app/droits/77777777-7777-4777-8777-777777777777');
    expect(late.closest('li')!.textContent).toContain('réponse due le 2 avril 2026 (en retard de 2 jours)');
    expect(late.closest('li')!.className).toBe('late');
    expect(within(section).getByRole('link', { name: 'Accès à ses données, reçue le 2 mars 2026' }).closest('li')!.textContent).toContain('(dans 4 jours)');
  });

  it('says when none is open', async () => {
    home({ count: 0, overdue: 0, dueSoon: 0, items: [] });
    expect(await screen.findByText('Aucune demande de droits n’est ouverte.')).toBeTruthy();
  });
});
