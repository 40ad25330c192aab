import { vi } from 'vitest';

/**
 * A fake server for screen tests: each route answers what the test says; every request is kept
 * so the test can check what the page sent (and that no token or CSRF value went astray).
 */
export interface Sent {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

type Answer = { status: number; body?: unknown };
type Route = (sent: Sent) => Answer;

export function fakeServer(routes: Record<string, Answer | Route>) {
  const sent: Sent[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url, 'http://localhost:3000');
    const text = await request.text();
    const entry: Sent = { method: request.method, path: url.pathname, headers: request.headers, body: text ? JSON.parse(text) : undefined };
    sent.push(entry);
    const route = routes[`${request.method} ${url.pathname}`];
    const answer =
      typeof route === 'function'
        ? route(entry)
        : (route ?? { status: 404, body: { type: 'x/not_found', title: 'Not found', status: 404, detail: 'No such resource' } });
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return { sent, fetch };
}

export const REFERRER = {
  userId: '11111111-1111-4111-8111-111111111111',
  email: 'referente@val-fictif.invalid',
  displayName: 'Camille Référente',
  organisationId: '22222222-2222-4222-8222-222222222222',
  territoryId: '33333333-3333-4333-8333-333333333333',
  sector: 'social' as const,
  roles: ['referrer' as const],
  profession: 'social_worker' as const,
  professionProven: false,
};

export const SESSION = { csrfToken: 'csrf-token-of-this-session', idleTimeoutSeconds: 900, expiresAt: '2026-12-01T23:00:00.000Z' };

/** The text a screen reader reads in an element: its text without what is aria-hidden. */
export function spoken(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}
