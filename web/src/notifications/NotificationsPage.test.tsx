import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION } from '../../test/http';

const CASE_ID = '55555555-5555-4555-8555-555555555555';
const unread = {
  id: '77777777-7777-4777-8777-777777777777',
  kind: 'referral_accepted',
  caseId: CASE_ID,
  caseReference: 'CAS-2026-0042',
  sessionId: null,
  actionId: null,
  agendaSize: null,
  dueAt: null,
  at: '2026-03-14T08:30:12.000Z',
  readAt: null,
};
const read = {
  ...unread,
  id: '88888888-8888-4888-8888-888888888888',
  kind: 'consent_expiring',
  dueAt: '2026-04-10T10:00:00.000Z',
  at: '2026-03-10T08:30:12.000Z',
  readAt: '2026-03-11T08:30:12.000Z',
};

describe('the notifications screen', () => {
  it('shows the counter in the header, the list with links to the situation, and marks one read', async () => {
    let marked = false;
    const { sent } = fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      'GET /me/notifications': () => ({
        status: 200,
        body: { items: [{ ...unread, readAt: marked ? '2026-03-15T08:00:00.000Z' : null }, read], unread: marked ? 0 : 1, total: 2, limit: 20, offset: 0 },
      }),
      [`POST /me/notifications/${unread.id}/read`]: () => {
        marked = true;
        return { status: 200, body: { marked: 1, unread: 0 } };
      },
    });
    window.history.pushState({}, '', '/app/notifications');
    render(<App config={FALLBACK_CONFIG} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Notifications' })).toBeTruthy();
    const link = await screen.findByRole('link', { name: 'Votre saisine est acceptée : la situation CAS-2026-0042.' });
    expect(link.getAttribute('href')).toBe(`/app/situations/${CASE_ID}`);
    expect(screen.getByRole('link', { name: 'Le consentement de la situation CAS-2026-0042 expire le 10 avril 2026 : pensez à le renouveler.' })).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('link', { name: 'Notifications, 1 non lue' })).toBeTruthy());
    const item = screen.getAllByRole('listitem').find((li) => within(li).queryByRole('link', { name: /acceptée/ }))!;
    await userEvent.setup().click(within(item).getByRole('button', { name: /Marquer comme lue/ }));
    await waitFor(() => expect(screen.getByRole('link', { name: 'Notifications, aucune non lue' })).toBeTruthy());
    expect(sent.some((s) => s.method === 'POST' && s.path === `/me/notifications/${unread.id}/read`)).toBe(true);
    expect(screen.getByText('Tout est lu.')).toBeTruthy();
  });
});
