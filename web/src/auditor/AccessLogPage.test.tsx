import { render, screen, within } from '@testing-library/react';
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
const CASE_ID = '55555555-5555-4555-8555-555555555555';
const REFERRER_ID = '11111111-1111-4111-8111-111111111111';
const ORG_ID = '22222222-2222-4222-8222-222222222222';
const TERRITORY = '33333333-3333-4333-8333-333333333333';
const ENTRY = {
  id: '42',
  at: '2026-03-14T08:30:12.000000Z',
  actorId: REFERRER_ID,
  organisationId: ORG_ID,
  territoryId: TERRITORY,
  action: 'case.read',
  caseId: CASE_ID,
  classes: ['identity', 'health'],
  decision: 'allow',
  purpose: 'referrer',
  requestId: 'r',
  seq: '42',
  detail: {},
};

function open(path: string) {
  const server = fakeServer({
    'GET /auth/session': { status: 200, body: { ...SESSION, user: DPO } },
    'GET /users': {
      status: 200,
      body: [
        {
          id: REFERRER_ID,
          email: 'referente@val-fictif.invalid',
          displayName: 'Camille Référente',
          organisationId: ORG_ID,
          territoryId: TERRITORY,
          roles: ['referrer'],
          profession: 'social_worker',
          disabled: false,
          createdAt: '',
        },
      ],
    },
    'GET /organisations': { status: 200, body: [{ id: ORG_ID, name: 'CCAS de Val-Fictif', sector: 'social', territoryId: TERRITORY }] },
    'GET /territories': { status: 200, body: [{ id: TERRITORY, name: 'Val-Fictif', createdAt: '' }] },
    'GET /audit/situations': { status: 200, body: { items: [{ id: CASE_ID, reference: 'CAS-2026-0007', territoryId: TERRITORY }] } },
    'GET /audit/events': { status: 200, body: { items: [ENTRY], nextCursor: 'next-page' } },
  });
  window.history.pushState({}, '', path);
  render(<App config={FALLBACK_CONFIG} />);
  return server;
}

const urls = (fetch: ReturnType<typeof fakeServer>['fetch']) => fetch.mock.calls.map(([input]) => new URL((input as Request).url));

describe('the access log', () => {
  it('shows entries with names, references and words, never bare ids', async () => {
    open('/app/journal');
    const row = (await screen.findByText('Camille Référente')).closest('tr')!;
    const cells = within(row)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells).toEqual([
      '14/03/2026 09:30:12',
      'Camille RéférenteCCAS de Val-Fictif',
      'Consultation de la situation',
      'CAS-2026-0007',
      'Identité de la personne, Éléments de santé',
      'Autoriséréférent de la situation',
    ]);
    expect(within(row).getByRole('link', { name: 'CAS-2026-0007' }).getAttribute('href')).toBe('/app/journal/rapport-acces?situation=CAS-2026-0007');
  });

  it('finds the situation by its reference, sends the server its id and the Paris period, and exports the same filters', async () => {
    const { fetch } = open('/app/journal');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Situation (référence)'), 'cas-2026-0007');
    await user.type(screen.getByLabelText('Du'), '01/03/2026');
    await user.type(screen.getByLabelText('Au'), '31/03/2026');
    await user.click(screen.getByRole('button', { name: 'Rechercher' }));
    await screen.findByText('Filtres : situation CAS-2026-0007 · depuis le 01/03/2026 · jusqu’au 31/03/2026.');
    expect(window.location.search).toBe('?situation=CAS-2026-0007&du=01%2F03%2F2026&au=31%2F03%2F2026');
    const lookup = urls(fetch).find((u) => u.pathname === '/audit/situations' && u.searchParams.has('reference'))!;
    expect(lookup.searchParams.get('reference')).toBe('CAS-2026-0007');
    await screen.findAllByText('Camille Référente');
    const events = urls(fetch)
      .filter((u) => u.pathname === '/audit/events')
      .at(-1)!;
    expect(Object.fromEntries(events.searchParams)).toEqual({
      caseId: CASE_ID,
      from: '2026-03-01T00:00:00+01:00',
      to: '2026-03-31T23:59:59.999+02:00',
      limit: '50',
    });
    const csv = screen.getByRole('link', { name: 'CSV (tableur)' }).getAttribute('href')!;
    expect(csv).toBe(`/audit/events/export?format=csv&caseId=${CASE_ID}&from=2026-03-01T00%3A00%3A00%2B01%3A00&to=2026-03-31T23%3A59%3A59.999%2B02%3A00`);
  });

  it('turns pages with the server’s cursor', async () => {
    const { fetch } = open('/app/journal');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Entrées plus anciennes' }));
    await screen.findByRole('heading', { name: 'Entrées — page 2' });
    expect(
      urls(fetch)
        .filter((u) => u.pathname === '/audit/events')
        .at(-1)!
        .searchParams.get('cursor'),
    ).toBe('next-page');
  });
});
