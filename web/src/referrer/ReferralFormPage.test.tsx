import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION, spoken } from '../../test/http';

const COMMISSION = { id: '44444444-4444-4444-8444-444444444444', territoryId: REFERRER.territoryId, name: 'Cellule de Val-Fictif', charterVersion: 1 };

async function fillMinimum(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Nom'), 'Fictif');
  await user.type(screen.getByLabelText('Prénom'), 'Aimé');
  await user.type(screen.getByLabelText('Date de naissance (facultatif)'), '02/05/1961');
  await user.click(screen.getByRole('combobox', { name: "Tranche d'âge" }));
  await user.click(await screen.findByRole('option', { name: '60 à 69 ans' }));
  await user.click(screen.getByRole('combobox', { name: 'Composition du foyer' }));
  await user.click(await screen.findByRole('option', { name: 'Vit seule' }));
  await user.type(screen.getByLabelText('Quartier'), 'Centre');
  await user.click(screen.getByLabelText('Isolement'));
  await user.type(screen.getByLabelText('La question posée à la cellule'), 'Quelles coordinations possibles ?');
  await user.click(within(screen.getByRole('group', { name: 'Un enfant mineur vit-il dans le foyer ?' })).getByLabelText('Non'));
  await user.click(within(screen.getByRole('group', { name: 'La situation demande-t-elle une intervention en urgence ?' })).getByLabelText('Non'));
}

describe('the referral form', () => {
  it('shows the leak guard’s refusal under the field it names, in the summary too, and keeps what was typed', async () => {
    const { sent } = fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      'GET /commissions': { status: 200, body: [COMMISSION] },
      'POST /cases': {
        status: 422,
        body: {
          type: 'https://cellule.invalid/problems/identifying_text',
          title: 'Text would identify the person',
          status: 422,
          detail: 'summary.narrative contains a phone number; pseudonymise it before saving',
          errors: [{ field: 'summary.narrative', message: 'contains a phone number' }],
          kind: 'phone',
        },
      },
    });
    window.history.pushState({}, '', '/app/saisine/nouvelle');
    render(<App config={FALLBACK_CONFIG} />);
    const user = userEvent.setup();
    await fillMinimum(user);
    await user.type(screen.getByLabelText('Récit de la situation (facultatif)'), 'Joignable au 07 98 76 54 32.');
    await user.click(screen.getByRole('button', { name: 'Enregistrer le brouillon' }));

    const narrative = await screen.findByLabelText('Récit de la situation (facultatif)');
    expect(narrative.getAttribute('aria-invalid')).toBe('true');
    const describedBy = narrative.getAttribute('aria-describedby')!.split(' ');
    const error = document.getElementById(describedBy.find((id) => id.endsWith('-error'))!)!;
    expect(error.textContent).toBe("Ce texte contient un numéro de téléphone. Pseudonymisez-le avant d'enregistrer (par exemple « Mme X », « la personne »).");
    expect(spoken(screen.getByRole('alert'))).toMatch(
      /^Erreur : La fiche n'est pas enregistrée : 1 point à corriger\.\s*Ce texte contient un numéro de téléphone/,
    );
    expect((narrative as HTMLTextAreaElement).value).toBe('Joignable au 07 98 76 54 32.');
    const post = sent.find((s) => s.method === 'POST' && s.path === '/cases')!;
    expect(post.headers.get('x-cellule-csrf')).toBe(SESSION.csrfToken);
    expect(post.body).toMatchObject({
      commissionId: COMMISSION.id,
      identity: { birthDate: '1961-05-02' },
      summary: { urgent: false, minorInHousehold: false },
    });
  });

  it('flags every refused text at once and offers the guard’s rewording, which one click puts in place', async () => {
    let calls = 0;
    const { sent } = fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      'GET /commissions': { status: 200, body: [COMMISSION] },
      'POST /cases': () =>
        ++calls === 1
          ? {
              status: 422,
              body: {
                type: 'https://cellule.invalid/problems/identifying_text',
                title: 'Text would identify the person',
                status: 422,
                detail: 'summary.question contains the person’s name, summary.narrative contains a phone number; pseudonymise them before saving',
                errors: [
                  { field: 'summary.question', message: "contains the person's name" },
                  { field: 'summary.narrative', message: 'contains a phone number' },
                ],
                kind: 'name',
                proposal: { field: 'summary.question', text: 'Comment aider X ?' },
                proposals: [
                  { field: 'summary.question', text: 'Comment aider X ?' },
                  { field: 'summary.narrative', text: 'Joignable au [téléphone].' },
                ],
              },
            }
          : { status: 201, body: { id: '55555555-5555-4555-8555-555555555555', reference: 'CAS-2026-0001', state: 'draft', version: 1 } },
      'GET /cases/55555555-5555-4555-8555-555555555555': { status: 404, body: { type: 'x', title: 'Not found', status: 404, detail: 'no' } },
    });
    window.history.pushState({}, '', '/app/saisine/nouvelle');
    render(<App config={FALLBACK_CONFIG} />);
    const user = userEvent.setup();
    await fillMinimum(user);
    await user.type(screen.getByLabelText('Récit de la situation (facultatif)'), 'Joignable au 07 98 76 54 32.');
    await user.click(screen.getByRole('button', { name: 'Enregistrer le brouillon' }));

    expect(spoken(await screen.findByRole('alert'))).toMatch(/2 points à corriger/);
    const offers = await screen.findAllByRole('button', { name: 'Reprendre cette proposition' });
    expect(offers).toHaveLength(2);
    const narrative = screen.getByLabelText('Récit de la situation (facultatif)') as HTMLTextAreaElement;
    await user.click(offers[1]);
    expect(narrative.value).toBe('Joignable au [téléphone].');
    expect(narrative.getAttribute('aria-invalid')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Reprendre cette proposition' }));
    expect((screen.getByLabelText('La question posée à la cellule') as HTMLTextAreaElement).value).toBe('Comment aider X ?');
    expect(screen.queryByRole('button', { name: 'Reprendre cette proposition' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Enregistrer le brouillon' }));
    await expect.poll(() => sent.filter((s) => s.method === 'POST' && s.path === '/cases').length).toBe(2);
    expect(sent.filter((s) => s.path === '/cases')[1].body).toMatchObject({
      summary: { question: 'Comment aider X ?', narrative: 'Joignable au [téléphone].' },
    });
  });

  it('checks before sending: missing answers listed with links to their fields, nothing sent', async () => {
    const { sent } = fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      'GET /commissions': { status: 200, body: [COMMISSION] },
    });
    window.history.pushState({}, '', '/app/saisine/nouvelle');
    render(<App config={FALLBACK_CONFIG} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Enregistrer le brouillon' }));
    const links = within(await screen.findByRole('alert')).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toContain('#champ-identity-lastName');
    expect(links.length).toBe(9);
    expect(sent.some((s) => s.method === 'POST')).toBe(false);
  });

  it('shows the emergency pointer for an urgent situation, and still saves the fiche marked urgent', async () => {
    const { sent } = fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      'GET /commissions': { status: 200, body: [COMMISSION] },
      'POST /cases': { status: 201, body: { id: '55555555-5555-4555-8555-555555555555', reference: 'CAS-2026-0002', state: 'draft', version: 1 } },
      'GET /cases/55555555-5555-4555-8555-555555555555': { status: 404, body: { type: 'x', title: 'Not found', status: 404, detail: 'no' } },
    });
    window.history.pushState({}, '', '/app/saisine/nouvelle');
    render(<App config={FALLBACK_CONFIG} />);
    const user = userEvent.setup();
    await fillMinimum(user);
    await user.click(within(screen.getByRole('group', { name: 'La situation demande-t-elle une intervention en urgence ?' })).getByLabelText('Oui'));
    expect(screen.getByText(/appelez le 15 \(SAMU\) ou le 112/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Enregistrer le brouillon' }));
    await expect.poll(() => sent.some((s) => s.method === 'POST' && s.path === '/cases')).toBe(true);
    expect(sent.find((s) => s.path === '/cases')!.body).toMatchObject({ summary: { urgent: true } });
  });

  it('asks for the holders of parental authority of a minor person, and sends them with a protective measure', async () => {
    const { sent } = fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      'GET /commissions': { status: 200, body: [COMMISSION] },
      'POST /cases': { status: 201, body: { id: '55555555-5555-4555-8555-555555555555', reference: 'CAS-2026-0003', state: 'draft', version: 1 } },
      'GET /cases/55555555-5555-4555-8555-555555555555': { status: 404, body: { type: 'x', title: 'Not found', status: 404, detail: 'no' } },
    });
    window.history.pushState({}, '', '/app/saisine/nouvelle');
    render(<App config={FALLBACK_CONFIG} />);
    const user = userEvent.setup();
    await fillMinimum(user);
    await user.clear(screen.getByLabelText('Date de naissance (facultatif)'));
    await user.type(screen.getByLabelText('Date de naissance (facultatif)'), '2011');
    expect(screen.queryByRole('heading', { name: "Les titulaires de l'autorité parentale" })).toBeNull();
    await user.click(screen.getByRole('combobox', { name: "Tranche d'âge" }));
    await user.click(await screen.findByRole('option', { name: 'Moins de 18 ans' }));
    await user.click(await screen.findByRole('button', { name: "Ajouter un titulaire de l'autorité parentale" }));
    // An incomplete holder is named before anything is sent.
    await user.click(screen.getByRole('button', { name: 'Enregistrer le brouillon' }));
    expect(spoken(await screen.findByRole('alert'))).toMatch(/3 points à corriger/);
    const holder = screen.getByRole('group', { name: 'Titulaire 1' });
    await user.click(within(holder).getByLabelText('Mère'));
    await user.type(within(holder).getByLabelText('Nom'), 'Fictif');
    await user.type(within(holder).getByLabelText('Prénom'), 'Berthe');
    await user.click(screen.getByRole('combobox', { name: 'Mesure de protection (facultatif)' }));
    await user.click(await screen.findByRole('option', { name: 'Tutelle' }));
    await user.type(screen.getByLabelText('Service mandataire (facultatif)'), 'UDAF de Val-Fictif');
    await user.click(screen.getByRole('button', { name: 'Enregistrer le brouillon' }));
    await expect.poll(() => sent.some((s) => s.method === 'POST' && s.path === '/cases')).toBe(true);
    expect(sent.find((s) => s.path === '/cases')!.body).toMatchObject({
      identity: { birthDate: '2011' },
      summary: { ageBand: '0-17' },
      protection: { measure: 'tutelle', organisation: 'UDAF de Val-Fictif' },
      parentalAuthority: [{ relation: 'mother', lastName: 'Fictif', firstName: 'Berthe' }],
    });
  });
});
