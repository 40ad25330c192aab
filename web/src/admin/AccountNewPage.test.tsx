import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, SESSION, spoken } from '../../test/http';

const ADMIN = {
  userId: '44444444-4444-4444-8444-444444444444',
  email: 'admin@val-fictif.invalid',
  displayName: 'Administration',
  organisationId: null,
  territoryId: null,
  sector: null,
  roles: ['admin' as const],
  profession: 'none' as const,
};
const ORG = { id: '22222222-2222-4222-8222-222222222222', name: 'CMP Les Peupliers', sector: 'health', territoryId: '33333333-3333-4333-8333-333333333333' };
const CLASH = 'the roles admin and member are not held by one account (separation of duties)';

function open(post: Parameters<typeof fakeServer>[0][string]) {
  const server = fakeServer({
    'GET /auth/session': { status: 200, body: { ...SESSION, user: ADMIN } },
    'GET /organisations': { status: 200, body: [ORG] },
    'GET /register': {
      status: 200,
      body: { flows: [], never: {}, sectors: [], retention: { protectedClassesDays: 730, auditLogDays: 365 }, consentValidityMonths: 12 },
    },
    'GET /users': { status: 200, body: [] },
    'POST /users': post,
  });
  window.history.pushState({}, '', '/app/administration/comptes/nouveau');
  render(<App config={FALLBACK_CONFIG} />);
  return server;
}

async function fill(user: ReturnType<typeof userEvent.setup>, roles: string[]) {
  await user.type(await screen.findByLabelText('Nom affiché'), 'Dr A. Martin');
  await user.type(screen.getByLabelText('Adresse électronique'), 'a.martin@cmp-exemple.fr');
  for (const role of roles) await user.click(screen.getByRole('checkbox', { name: role }));
  await user.click(screen.getByRole('radio', { name: 'Médecin' }));
  await user.click(screen.getByRole('button', { name: 'Générer' }));
}

describe('creating an account', () => {
  it('explains each role and category, and shows the server’s refusal of a combination on the roles', async () => {
    const { sent } = open({
      status: 400,
      body: { type: 'x/validation', title: 'Invalid', status: 400, detail: `roles: ${CLASH}`, errors: [{ field: 'roles', message: CLASH }] },
    });
    const user = userEvent.setup();
    await fill(user, ['Administration', 'Membre de la cellule']);
    // Each role is explained, and the explanation is read with it.
    const member = screen.getByRole('checkbox', { name: 'Membre de la cellule' });
    expect(document.getElementById(member.getAttribute('aria-describedby')!)!.textContent).toMatch(/Participe aux séances/);
    await user.click(screen.getByRole('button', { name: 'Créer le compte' }));
    const roles = screen.getByRole('group', { name: 'Rôles' });
    expect(await within(roles).findByText(/Un même compte ne peut pas être à la fois « Membre de la cellule » et « Administration »/)).toBeTruthy();
    expect(spoken(screen.getByRole('alert'))).toBe('Erreur : Le compte n’est pas créé : 1 point à corriger.');
    const body = sent.find((s) => s.method === 'POST')!.body as Record<string, unknown>;
    expect(body).toMatchObject({ email: 'a.martin@cmp-exemple.fr', displayName: 'Dr A. Martin', roles: ['admin', 'member'], profession: 'physician' });
    expect(String(body.password)).toMatch(/^[\w]{4}(-[\w]{4}){3}$/);
  });

  it('shows the password once the account is created, to hand over, and keeps it nowhere', async () => {
    open(({ body }) => ({
      status: 201,
      body: {
        id: '55555555-5555-4555-8555-555555555555',
        ...(body as object),
        organisationId: null,
        territoryId: null,
        disabled: false,
        createdAt: '2026-03-14T09:00:00Z',
      },
    }));
    const user = userEvent.setup();
    await fill(user, ['Délégué à la protection des données']);
    const password = (screen.getByLabelText('Mot de passe') as HTMLInputElement).value;
    await user.click(screen.getByRole('button', { name: 'Créer le compte' }));
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain('Le compte de Dr A. Martin est créé.');
    expect(status.textContent).toContain(password);
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(JSON.stringify(window.history.state ?? {})).not.toContain(password);
    expect(window.location.href).not.toContain(password);
  });
});
