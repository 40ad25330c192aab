import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
const ID = '77777777-7777-4777-8777-777777777777';
const TERRITORY = '33333333-3333-4333-8333-333333333333';
const CASE_ID = '55555555-5555-4555-8555-555555555555';
const REQUEST = {
  id: ID,
  territoryId: TERRITORY,
  kind: 'erasure',
  receivedOn: '2026-03-02',
  dueOn: '2026-04-02',
  status: 'open',
  openedBy: DPO.userId,
  openedAt: '2026-03-02T09:00:00.000Z',
  handlerUserId: null,
  outcome: null,
  closedBy: null,
  closedAt: null,
  daysLeft: 20,
  lookups: 0,
  handler: null,
  waitingFor: ['lookup'],
  situations: [] as unknown[],
};
const FOUND = {
  caseId: CASE_ID,
  reference: 'CAS-2026-0007',
  state: 'closed',
  linkedAt: '2026-03-03T09:00:00.000Z',
  measure: null,
  reason: null,
  measuredAt: null,
  copies: null,
};

function open() {
  let situations: unknown[] = [];
  let facts: Partial<typeof REQUEST> = {};
  const server = fakeServer({
    'GET /auth/session': { status: 200, body: { ...SESSION, user: DPO } },
    [`GET /rights-requests/${ID}`]: () => ({ status: 200, body: { ...REQUEST, ...facts, situations } }),
    [`POST /rights-requests/${ID}/lookup`]: () => {
      situations = [FOUND];
      facts = { lookups: 1, waitingFor: ['measure'] };
      return { status: 200, body: { requestId: ID, candidates: 2, situations } };
    },
    [`POST /rights-requests/${ID}/erase`]: () => {
      situations = [{ ...FOUND, state: 'purged', measure: 'shredded', reason: 'erasure_request', measuredAt: '2026-03-03T10:00:00.000Z' }];
      facts = { lookups: 1, waitingFor: [] };
      return { status: 200, body: { ...REQUEST, ...facts, situations } };
    },
  });
  window.history.pushState({}, '', `/app/droits/${ID}`);
  render(<App config={FALLBACK_CONFIG} />);
  return server;
}

describe('a rights request, for the DPO', () => {
  it('checks the identity before sending it, names the field, and sends nothing while something is wrong', async () => {
    const server = open();
    await userEvent.type(await screen.findByLabelText('Nom'), 'Zéphyrin');
    await userEvent.type(screen.getByLabelText('Prénom(s)'), 'Anatole');
    await userEvent.type(screen.getByLabelText('Date de naissance'), '1957-02-30');
    await userEvent.click(screen.getByRole('button', { name: 'Rechercher' }));
    expect(await screen.findByText('Écrivez une date réelle (AAAA-MM-JJ) ou une année (AAAA).')).toBeTruthy();
    expect(server.sent.filter((s) => s.path.endsWith('/lookup'))).toEqual([]);
  });

  it('sends the identity once, clears it, shows references only; the erasure asks for a confirmation', async () => {
    const server = open();
    await userEvent.type(await screen.findByLabelText('Nom'), 'Zéphyrin');
    await userEvent.type(screen.getByLabelText('Prénom(s)'), 'Anatole');
    await userEvent.type(screen.getByLabelText('Date de naissance'), '1957-03-14');
    await userEvent.click(screen.getByRole('button', { name: 'Rechercher' }));
    expect(await screen.findByText('1 situation trouvée : CAS-2026-0007.')).toBeTruthy();
    expect(server.sent.find((s) => s.path.endsWith('/lookup'))?.body).toEqual({ lastName: 'Zéphyrin', firstName: 'Anatole', birthDate: '1957-03-14' });
    expect((screen.getByLabelText('Nom') as HTMLInputElement).value).toBe('');
    await userEvent.click(await screen.findByRole('button', { name: 'Effacer les situations…' }));
    expect(server.sent.filter((s) => s.path.endsWith('/erase'))).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Confirmer' }));
    expect(await screen.findByText(/^Effacée : à la demande de la personne \(le 3 mars 2026/)).toBeTruthy();
    expect(server.sent.filter((s) => s.path.endsWith('/erase'))).toHaveLength(1);
    expect(await screen.findByText('Tout ce que la demande appelait est fait : elle peut être close.')).toBeTruthy();
    // Nothing left to apply: the measure's button is gone.
    expect(screen.queryByRole('button', { name: 'Effacer les situations…' })).toBeNull();
  });

  it('says what the closure still waits for: the lookup, then the measure; and the days left', async () => {
    open();
    expect(await screen.findByText('Retrouver les situations de la personne (aucune recherche faite).')).toBeTruthy();
    expect(screen.getByText('(dans 20 jours)')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Nom'), 'Zéphyrin');
    await userEvent.type(screen.getByLabelText('Prénom(s)'), 'Anatole');
    await userEvent.type(screen.getByLabelText('Date de naissance'), '1957-03-14');
    await userEvent.click(screen.getByRole('button', { name: 'Rechercher' }));
    expect(await screen.findByText('Appliquer la mesure demandée à chaque situation.')).toBeTruthy();
    expect(screen.getByText('1 recherche faite ; 1 situation trouvée.')).toBeTruthy();
    expect(screen.getByText('Situations traitées : 0 sur 1 (ce qui a été fait, et pourquoi, est noté ci-dessous).')).toBeTruthy();
  });
});

describe('an access request, for the DPO', () => {
  it('shows who was named to hand the copy over, and each situation’s download (when, by whom)', async () => {
    fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: DPO } },
      [`GET /rights-requests/${ID}`]: {
        status: 200,
        body: {
          ...REQUEST,
          kind: 'access',
          daysLeft: -2,
          lookups: 1,
          handlerUserId: '88888888-8888-4888-8888-888888888888',
          handler: {
            userId: '88888888-8888-4888-8888-888888888888',
            displayName: 'Jordan Bailleur',
            organisationName: 'Office HLM',
            roles: ['member'],
            namedAt: '2026-03-04T09:00:00.000Z',
          },
          waitingFor: ['copy'],
          situations: [
            {
              ...FOUND,
              copies: {
                count: 2,
                downloads: [
                  { at: '2026-03-05T09:30:00.000Z', by: { userId: 'x', displayName: 'Jordan Bailleur', organisationName: 'Office HLM', roles: ['member'] } },
                ],
              },
            },
            { ...FOUND, caseId: '99999999-9999-4999-8999-999999999999', reference: 'CAS-2026-0008', copies: { count: 0, downloads: [] } },
          ],
        },
      },
    });
    window.history.pushState({}, '', `/app/droits/${ID}`);
    render(<App config={FALLBACK_CONFIG} />);
    expect((await screen.findByText('(en retard de 2 jours)')).className).toBe('late');
    expect(
      screen.getByText('Remise de la copie confiée par la coordination à Jordan Bailleur (Office HLM), membre de la cellule, le 4 mars 2026.'),
    ).toBeTruthy();
    expect(screen.getByText('Copie téléchargée pour 1 situation sur 2.')).toBeTruthy();
    expect(screen.getByRole('row', { name: /CAS-2026-0007/ }).textContent).toContain(
      'Téléchargée le 5 mars 2026 à 10:30 par Jordan Bailleur (Office HLM) (2 téléchargements)',
    );
    expect(screen.getByRole('row', { name: /CAS-2026-0008/ }).textContent).toContain('Pas encore téléchargée');
    expect(screen.getByText(/^Faire remettre la copie des données/)).toBeTruthy();
  });
});
