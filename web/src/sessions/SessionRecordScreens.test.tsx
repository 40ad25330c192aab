import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Session } from '../api/queries';
import { fakeServer } from '../../test/http';
import { ContributionForm } from './ContributionForm';
import { RecordEditor } from './RecordEditor';

const S = '77777777-7777-4777-8777-777777777777';
const C = '66666666-6666-4666-8666-666666666666';
const LEAK = {
  type: 'x/identifying_text',
  title: 'Identifying text',
  status: 422,
  detail: 'analysis contains a phone number; pseudonymise it before saving',
  errors: [{ field: 'analysis', message: 'contains a phone number' }],
};

function wrap(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>{children}</MemoryRouter>
    </QueryClientProvider>,
  );
}

const session = (over: Partial<Session> = {}): Session => ({
  id: S,
  commissionId: 'c1',
  startsAt: '2026-04-14T12:00:00Z',
  endsAt: '2026-04-14T14:00:00Z',
  status: 'open',
  openedAt: '2026-04-14T12:00:00Z',
  closedAt: null,
  agendaCount: 1,
  invited: false,
  attendanceRecorded: false,
  dossierOpen: false,
  dossierOpensAt: '2026-04-07T12:00:00Z',
  recordClosed: false,
  ...over,
});

const record = (over: object = {}) => ({
  sessionId: S,
  commissionId: 'c1',
  commissionName: 'Cellule Val-Fictif',
  startsAt: '2026-04-14T12:00:00Z',
  endsAt: '2026-04-14T14:00:00Z',
  status: 'open',
  closedAt: null,
  attendees: [{ displayName: 'Dr Martin', organisationName: 'CMP', as: 'member', caseReference: null }],
  guests: [],
  items: [
    {
      caseId: C,
      reference: 'CAS-2026-0012',
      decision: 'deferred',
      decisionSource: 'event',
      deferralReason: null,
      outcome: null,
      analysis: null,
      recommendations: null,
      contributions: [{ authorName: 'Agent', organisationName: 'Mairie', writtenAt: '2026-04-10T09:00:00Z', text: 'Le CCAS peut aider.', held: false }],
      updatedAt: null,
    },
  ],
  ...over,
});

describe('a member’s written contribution', () => {
  it('checks it before sending, sends it trimmed, and shows the leak guard’s refusal on the field', async () => {
    let answer = { status: 422, body: { ...LEAK, errors: [{ field: 'text', message: 'contains a phone number' }] } };
    const { sent } = fakeServer({ [`PUT /sessions/${S}/contributions/${C}`]: () => answer });
    wrap(<ContributionForm sessionId={S} caseId={C} reference="CAS-2026-0012" />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Envoyer la contribution' }));
    expect(await screen.findByText(/Écrivez votre contribution/)).toBeTruthy();
    expect(sent).toEqual([]);

    const field = screen.getByLabelText('Votre contribution écrite pour CAS-2026-0012');
    await user.type(field, '  Joignable au 06 00 00 00 00  ');
    await user.click(screen.getByRole('button', { name: 'Envoyer la contribution' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(sent[0].body).toEqual({ text: 'Joignable au 06 00 00 00 00' });

    answer = { status: 200, body: { sessionId: S, caseId: C, writtenAt: '2026-04-10T09:00:00Z' } } as never;
    await user.clear(field);
    await user.type(field, 'Le bailleur peut suspendre la procédure.');
    await user.click(screen.getByRole('button', { name: 'Envoyer la contribution' }));
    expect(await screen.findByText(/Votre contribution est enregistrée/)).toBeTruthy();
  });
});

describe('the coordinator’s record of the session', () => {
  it('takes the decision from the session’s events, asks for the deferral’s reason, shows the leak guard’s refusal on the field', async () => {
    const { sent } = fakeServer({
      [`GET /sessions/${S}/record`]: { status: 200, body: record() },
      [`PUT /sessions/${S}/record/items/${C}`]: { status: 422, body: LEAK },
    });
    wrap(<RecordEditor session={session()} />);
    const user = userEvent.setup();
    const item = await screen.findByRole('form', { name: 'Situation CAS-2026-0012' });
    expect(within(item).getByText(/Examen reporté/)).toBeTruthy();
    expect(within(item).getByText(/Le CCAS peut aider/)).toBeTruthy();
    await user.click(within(item).getByRole('button', { name: 'Enregistrer pour CAS-2026-0012' }));
    expect(await within(item).findByText('Indiquez le motif du report.')).toBeTruthy();
    expect(sent.filter((s) => s.method === 'PUT')).toEqual([]);

    await user.selectOptions(within(item).getByLabelText('Motif du report'), 'partner_absent');
    await user.type(within(item).getByLabelText('Analyse de la commission'), 'Rappeler au 06 00 00 00 00');
    await user.click(within(item).getByRole('button', { name: 'Enregistrer pour CAS-2026-0012' }));
    expect(await within(item).findByText(/Cette valeur n'est pas acceptée|Certains champs/)).toBeTruthy();
    expect(within(item).getByLabelText('Analyse de la commission').getAttribute('aria-invalid')).toBe('true');
    expect(sent.find((s) => s.method === 'PUT')!.body).toEqual({
      deferralReason: 'partner_absent',
      analysis: 'Rappeler au 06 00 00 00 00',
      recommendations: null,
    });
    // Closing the record waits for the session's end.
    expect(screen.getByText('Le relevé se clôt une fois la séance close.')).toBeTruthy();
  });

  it('shows a closed record read only, with its PDF', async () => {
    fakeServer({ [`GET /sessions/${S}/record`]: { status: 200, body: record({ status: 'closed', closedAt: '2026-04-14T15:00:00Z' }) } });
    wrap(<RecordEditor session={session({ status: 'closed', recordClosed: true })} />);
    const link = await screen.findByRole('link', { name: 'Télécharger le relevé (PDF)' });
    expect(link.getAttribute('href')).toBe(`/sessions/${S}/record?format=pdf`);
    expect(screen.queryByRole('button', { name: /Enregistrer/ })).toBeNull();
    expect(screen.getByText(/Dr Martin \(CMP\), membre/)).toBeTruthy();
  });
});
