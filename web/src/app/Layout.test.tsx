import { render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION } from '../../test/http';

const COPY = {
  requestId: '77777777-7777-4777-8777-777777777777',
  receivedOn: '2026-03-02',
  dueOn: '2026-04-02',
  caseId: '55555555-5555-4555-8555-555555555555',
  reference: 'CAS-2026-0007',
  as: 'referrer',
};

function signedIn(copies: unknown[]) {
  const server = fakeServer({
    'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
    'GET /me/rights-copies': { status: 200, body: { items: copies } },
  });
  window.history.pushState({}, '', '/app/mot-de-passe');
  render(<App config={FALLBACK_CONFIG} />);
  return server;
}

describe('« Copies à remettre » in the navigation', () => {
  it('is absent while the account has no copy to hand over (the page stays reachable)', async () => {
    const server = signedIn([]);
    const nav = await screen.findByRole('navigation', { name: 'Navigation principale' });
    await within(nav).findByRole('link', { name: 'Mes situations' });
    await waitForCopies(server.sent);
    expect(within(nav).queryByRole('link', { name: /Copies à remettre/ })).toBeNull();
  });

  it('appears with how many there are when there are some', async () => {
    signedIn([COPY, { ...COPY, caseId: '66666666-6666-4666-8666-666666666666', reference: 'CAS-2026-0008' }]);
    const nav = await screen.findByRole('navigation', { name: 'Navigation principale' });
    expect(await within(nav).findByRole('link', { name: 'Copies à remettre (2)' })).toBeTruthy();
  });
});

/** The navigation asks the server whether there are copies: wait for the question to have been asked. */
async function waitForCopies(sent: { path: string }[]) {
  await waitFor(() => expect(sent.some((s) => s.path === '/me/rights-copies')).toBe(true));
}
