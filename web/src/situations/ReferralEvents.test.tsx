import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION } from '../../test/http';

/** Issue 12: the referral's events on the situation page — rectification, plan agreement. */
const ID = '66666666-6666-4666-8666-666666666666';
const VIEW = {
  id: ID,
  reference: 'CAS-2026-0012',
  state: 'plan_active',
  version: 8,
  allowedEvents: ['RECORD_CONSENT', 'WITHDRAW_CONSENT', 'RECTIFY', 'HAND_OVER', 'RECORD_PLAN_AGREEMENT'],
  released: ['meta', 'summary', 'plan', 'consent', 'identity'],
  relations: ['referrer'],
  notices: [],
  withheld: {},
  meta: { createdAt: '2026-03-14T09:00:00Z', updatedAt: '2026-03-15T09:00:00Z', anonymousReview: false, followUpAt: null, planAgreement: 'not_asked' },
  summary: {
    ageBand: '60-69',
    district: 'Centre',
    household: 'alone',
    problems: ['isolation'],
    partnersInvolved: [],
    minorInHousehold: false,
    urgent: false,
    question: 'Q ?',
    narrative: 'Vit seule.',
    alreadyTried: null,
    expectations: null,
  },
  identity: { lastName: 'Fictif', firstName: 'Aimé', birthDate: '1961-05-02' },
  plan: { followUpAt: null, actions: [] },
  consent: { decision: 'granted', valid: true },
};

function open(view: object = VIEW) {
  const server = fakeServer({
    'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
    [`GET /cases/${ID}`]: { status: 200, body: view },
    [`POST /cases/${ID}/events`]: { status: 200, body: { id: ID, state: 'plan_active', version: 9, allowedEvents: [] } },
  });
  window.history.pushState({}, '', `/app/situations/${ID}`);
  render(<App config={FALLBACK_CONFIG} />);
  return server;
}

describe('the referral on the situation page (issue 12)', () => {
  it('rectifies: the form is pre-filled and sends only what changed', async () => {
    const { sent } = open();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Rectifier les informations' }));
    const dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByLabelText('Nom') as HTMLInputElement).value).toBe('Fictif');
    // Nothing changed: said, nothing sent.
    await user.click(within(dialog).getByRole('button', { name: 'Confirmer' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('Rien n’a été modifié.');
    await user.clear(within(dialog).getByLabelText('Nom'));
    await user.type(within(dialog).getByLabelText('Nom'), 'Fictif-Durand');
    await user.clear(within(dialog).getByLabelText('Date ou année de naissance (AAAA-MM-JJ ou AAAA)'));
    await user.type(within(dialog).getByLabelText('Date ou année de naissance (AAAA-MM-JJ ou AAAA)'), '1961');
    await user.click(within(dialog).getByRole('button', { name: 'Confirmer' }));
    expect(await screen.findByText("Rectifier les informations : c'est enregistré.")).toBeTruthy();
    expect(sent.filter((s) => s.method === 'POST').map((s) => s.body)).toEqual([
      { type: 'RECTIFY', expectedVersion: 8, identity: { lastName: 'Fictif-Durand', birthDate: '1961' } },
    ]);
  });

  it('offers the leak guard’s rewording of a refused text in the rectification, and sends it once taken', async () => {
    let calls = 0;
    const { sent } = fakeServer({
      'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
      [`GET /cases/${ID}`]: { status: 200, body: VIEW },
      [`POST /cases/${ID}/events`]: () =>
        ++calls === 1
          ? {
              status: 422,
              body: {
                type: 'https://cellule.invalid/problems/identifying_text',
                title: 'Text would identify the person',
                status: 422,
                detail: 'summary.narrative contains the person’s name; pseudonymise it before saving',
                errors: [{ field: 'summary.narrative', message: "contains the person's name" }],
                kind: 'name',
                proposal: { field: 'summary.narrative', text: 'Mme X vit seule.' },
                proposals: [{ field: 'summary.narrative', text: 'Mme X vit seule.' }],
              },
            }
          : { status: 200, body: { id: ID, state: 'plan_active', version: 9, allowedEvents: [] } },
    });
    window.history.pushState({}, '', `/app/situations/${ID}`);
    render(<App config={FALLBACK_CONFIG} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Rectifier les informations' }));
    const dialog = await screen.findByRole('dialog');
    await user.clear(within(dialog).getByLabelText('Récit pseudonymisé'));
    await user.type(within(dialog).getByLabelText('Récit pseudonymisé'), 'Mme Fictif vit seule.');
    await user.click(within(dialog).getByRole('button', { name: 'Confirmer' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Reprendre cette proposition' }));
    expect((within(dialog).getByLabelText('Récit pseudonymisé') as HTMLTextAreaElement).value).toBe('Mme X vit seule.');
    await user.click(within(dialog).getByRole('button', { name: 'Confirmer' }));
    expect(await screen.findByText("Rectifier les informations : c'est enregistré.")).toBeTruthy();
    expect(sent.filter((s) => s.method === 'POST').map((s) => (s.body as { summary?: unknown }).summary)).toEqual([
      { narrative: 'Mme Fictif vit seule.' },
      { narrative: 'Mme X vit seule.' },
    ]);
  });

  it("records the person's agreement to the plan", async () => {
    const { sent } = open();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Enregistrer l’adhésion au plan' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Confirmer' }));
    expect(within(dialog).getByText('Choisissez la réponse de la personne.')).toBeTruthy();
    await user.click(within(dialog).getByLabelText('La personne est d’accord en partie'));
    await user.click(within(dialog).getByRole('button', { name: 'Confirmer' }));
    expect(await screen.findByText("Enregistrer l’adhésion au plan : c'est enregistré.")).toBeTruthy();
    expect(sent.find((s) => s.method === 'POST')!.body).toEqual({ type: 'RECORD_PLAN_AGREEMENT', expectedVersion: 8, agreement: 'partly' });
  });

  it('shows the emergency pointer of an urgent referral in French', async () => {
    open({ ...VIEW, notices: [{ code: 'emergency', message: 'A cellule de cas complexes is not an emergency service.' }] });
    expect(await screen.findByText(/n'est pas un service d'urgence : en cas d'urgence, appelez le 15 \(SAMU\) ou le 112/)).toBeTruthy();
  });
});
