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
};

function open() {
  let situations: unknown[] = [];
  const server = fakeServer({
    'GET /auth/session': { status: 200, body: { ...SESSION, user: DPO } },
    [`GET /rights-requests/${ID}`]: () => ({ status: 200, body: { ...REQUEST, situations } }),
    [`POST /rights-requests/${ID}/lookup`]: () => {
      situations = [FOUND];
      return { status: 200, body: { requestId: ID, candidates: 2, situations } };
    },
    [`POST /rights-requests/${ID}/erase`]: () => {
      situations = [{ ...FOUND, state: 'purged', measure: 'shredded', reason: 'erasure_request', measuredAt: '2026-03-03T10:00:00.000Z' }];
      return { status: 200, body: { ...REQUEST, situations } };
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
    expect(await screen.findByText('Effacée : à la demande de la personne')).toBeTruthy();
    expect(server.sent.filter((s) => s.path.endsWith('/erase'))).toHaveLength(1);
  });
});
