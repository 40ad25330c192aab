import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION } from '../../test/http';

const situation = (n: number, state: string, unread: boolean) => ({
  id: `55555555-5555-4555-8555-55555555555${n}`,
  reference: `CAS-2026-000${n}`,
  state,
  version: 2,
  commissionId: '66666666-6666-4666-8666-666666666666',
  createdAt: '2026-03-14T09:00:00Z',
  updatedAt: '2026-03-15T09:00:00Z',
  closedAt: null,
  followUpAt: null,
  unread,
});

describe('my situations', () => {
  it('marks the situations changed since last opened, on their row and on their tab', async () => {
    fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      'GET /cases': { status: 200, body: { items: [situation(1, 'draft', true), situation(2, 'draft', false)], nextCursor: null } },
    });
    window.history.pushState({}, '', '/app/mes-situations');
    render(<App config={FALLBACK_CONFIG} />);
    const tab = await screen.findByRole('tab', { name: /À traiter/ });
    expect(tab.textContent).toContain('1 nouvelle');
    const table = await screen.findByRole('table');
    expect(within(within(table).getByRole('row', { name: /CAS-2026-0001/ })).getByText('Nouveau')).toBeTruthy();
    expect(within(within(table).getByRole('row', { name: /CAS-2026-0002/ })).queryByText('Nouveau')).toBeNull();
  });
});
