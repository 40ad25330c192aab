import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { FALLBACK_CONFIG } from '../shared/config';
import { fakeServer, REFERRER, SESSION } from '../../test/http';
import { saveBlob } from '../shared/download';
import { CLASS_LABEL, SECTOR_LABEL } from '../shared/labels';

// The letter's download: jsdom has no object URLs; what is saved, and under which name, is checked.
vi.mock('../shared/download', () => ({ saveBlob: vi.fn() }));

const ID = '55555555-5555-4555-8555-555555555555';
const VIEW = {
  id: ID,
  reference: 'CAS-2026-0007',
  state: 'awaiting_consent',
  version: 3,
  allowedEvents: ['RECORD_CONSENT', 'REVIEW_WITHOUT_CONSENT', 'WITHDRAW_CONSENT'],
  released: ['meta', 'summary', 'plan', 'consent', 'identity', 'social'],
  relations: ['referrer'],
  mayReadAccesses: false,
  notices: [],
  withheld: { health: 'no_consent' },
  meta: { createdAt: '2026-03-14T09:00:00Z', updatedAt: '2026-03-15T09:00:00Z', anonymousReview: false, followUpAt: null },
  summary: {
    ageBand: '60-69',
    district: 'Centre',
    household: 'alone',
    problems: ['isolation'],
    partnersInvolved: [],
    minorInHousehold: false,
    question: 'Q ?',
    narrative: null,
    alreadyTried: null,
    expectations: null,
  },
  identity: { lastName: 'Fictif', firstName: 'Aimé', birthDate: '1961-05-02' },
  social: { narrative: 'Récit social' },
  plan: { followUpAt: null, actions: [] },
  consent: { decision: null, valid: false },
  // What the policies let a letter propose and a consent cover: the server's list (all of it, here).
  proposable: {
    sectors: ['health', 'social', 'housing', 'municipal', 'association', 'justice', 'education'],
    classes: ['identity', 'social', 'health'],
  },
};

/** A deployment whose policies release nothing to the justice sector, and health to no one, under consent. */
const NARROWED = { sectors: ['health', 'social', 'housing', 'municipal', 'association', 'education'], classes: ['identity', 'social'] };

function open(routes: Parameters<typeof fakeServer>[0] = {}) {
  const server = fakeServer({
    'GET /auth/session': { status: 200, body: { ...SESSION, user: REFERRER } },
    [`GET /cases/${ID}`]: { status: 200, body: VIEW },
    ...routes,
  });
  window.history.pushState({}, '', `/app/situations/${ID}`);
  render(<App config={FALLBACK_CONFIG} />);
  return server;
}

describe('the situation page', () => {
  it('offers exactly the allowed events as actions, and titles the page with the reference only', async () => {
    open();
    const actions = await screen.findByRole('list', { name: 'Actions possibles' });
    expect(
      within(actions)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Enregistrer le consentement', 'Examiner sans consentement', 'Retrait du consentement']);
    expect(document.title).toBe('Situation CAS-2026-0007 — Cellule');
    expect(document.title).not.toContain('Fictif');
    expect(window.location.href).not.toContain('Fictif');
    expect(screen.getByText('Consentement pas encore recueilli')).toBeTruthy();
    // The health class is not released: said, not guessed at.
    expect(screen.getByRole('heading', { name: 'Éléments de santé' }).parentElement!.textContent).toBe(
      'Éléments de santéNon communiqué à votre compte. La personne n’a pas encore donné son consentement au partage.',
    );
  });

  it('records a consent with its scope, the version read and the CSRF header', async () => {
    let version = 3;
    const { sent } = open({
      [`POST /cases/${ID}/events`]: () => {
        version = 4;
        return { status: 200, body: { id: ID, state: 'ready_for_review', version, allowedEvents: ['WITHDRAW_CONSENT'] } };
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Enregistrer le consentement' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('Elle accepte le partage décrit ci-dessous'));
    await user.clear(within(dialog).getByLabelText('Date à laquelle elle a été informée'));
    await user.type(within(dialog).getByLabelText('Date à laquelle elle a été informée'), '14/03/2026');
    await user.click(within(dialog).getByLabelText('Elle a répondu par écrit'));
    await user.click(within(dialog).getByLabelText('Identité de la personne — Logement (bailleur)'));
    await user.click(within(dialog).getByLabelText('Éléments de santé — Santé (CMP, hôpital, médecin)'));
    await user.click(within(dialog).getByRole('button', { name: 'Confirmer' }));
    expect(await screen.findByText("Enregistrer le consentement : c'est enregistré.")).toBeTruthy();
    const post = sent.find((s) => s.method === 'POST')!;
    expect(post.headers.get('x-cellule-csrf')).toBe(SESSION.csrfToken);
    expect(post.body).toEqual({
      type: 'RECORD_CONSENT',
      expectedVersion: 3,
      decision: 'granted',
      informedAt: '2026-03-14T11:00:00.000Z', // noon in Paris (winter time)
      method: 'written',
      scope: [
        { sector: 'health', classes: ['health'] },
        { sector: 'housing', classes: ['identity'] },
      ],
    });
  });

  it('prints the proposal ticked for the letter, and the consent form starts from it', async () => {
    const { sent } = open({
      [`GET /cases/${ID}`]: { status: 200, body: { ...VIEW, mayInformPerson: true } },
      [`POST /cases/${ID}/consent/letter`]: { status: 200, body: {} },
      [`POST /cases/${ID}/events`]: { status: 200, body: { id: ID, state: 'ready_for_review', version: 4, allowedEvents: [] } },
    });
    const user = userEvent.setup();
    const letter = await screen.findByRole('group', { name: 'Ce que vous proposez à la personne de partager, et avec qui' });
    const boxes = within(letter).getAllByRole('checkbox');
    expect(boxes).toHaveLength(21);
    expect(boxes.every((b) => (b as HTMLInputElement).checked)).toBe(true);
    // Only the social situation to the social sector, the identity to the landlord.
    for (const box of boxes) {
      const label = box.getAttribute('aria-label')!;
      if (label !== 'Situation sociale — Action sociale (CCAS, service social)' && label !== 'Identité de la personne — Logement (bailleur)')
        await user.click(box);
    }
    await user.click(screen.getByRole('button', { name: 'Lettre d’information' }));
    expect(await screen.findByText(/Le formulaire de consentement partira de ce que vous avez proposé/)).toBeTruthy();
    expect(vi.mocked(saveBlob)).toHaveBeenCalledWith(expect.any(Blob), 'lettre-information-CAS-2026-0007.pdf');
    expect(sent.find((x) => x.path.endsWith('/consent/letter'))!.body).toEqual({
      scope: [
        { sector: 'social', classes: ['social'] },
        { sector: 'housing', classes: ['identity'] },
      ],
    });
    await user.click(screen.getByRole('button', { name: 'Enregistrer le consentement' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('Elle accepte le partage décrit ci-dessous'));
    expect(within(dialog).getByText(/Cochée comme la proposition de la lettre/)).toBeTruthy();
    const ticked = within(dialog)
      .getAllByRole('checkbox')
      .filter((b) => (b as HTMLInputElement).checked)
      .map((b) => b.getAttribute('aria-label'));
    expect(ticked).toEqual(['Situation sociale — Action sociale (CCAS, service social)', 'Identité de la personne — Logement (bailleur)']);
    await user.click(within(dialog).getByRole('button', { name: 'Annuler' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('draws exactly the boxes the server says may be proposed: the letter and the consent form', async () => {
    const { sent } = open({
      [`GET /cases/${ID}`]: { status: 200, body: { ...VIEW, mayInformPerson: true, proposable: NARROWED } },
      [`POST /cases/${ID}/consent/letter`]: { status: 200, body: {} },
    });
    const user = userEvent.setup();
    const expected = NARROWED.sectors.flatMap((sector) =>
      NARROWED.classes.map((cls) => `${CLASS_LABEL[cls as 'identity']} — ${SECTOR_LABEL[sector as 'health']}`),
    );
    const letter = await screen.findByRole('group', { name: 'Ce que vous proposez à la personne de partager, et avec qui' });
    expect(
      within(letter)
        .getAllByRole('checkbox')
        .map((b) => b.getAttribute('aria-label')),
    ).toEqual(expected);
    expect(within(letter).queryByText(/Santé \(soins\)|Justice/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Lettre d’information' }));
    await screen.findByText(/Le formulaire de consentement partira de ce que vous avez proposé/);
    // Everything offered, nothing else: no health class, no justice sector.
    expect(sent.find((x) => x.path.endsWith('/consent/letter'))!.body).toEqual({
      scope: NARROWED.sectors.map((sector) => ({ sector, classes: ['identity', 'social'] })),
    });
    await user.click(screen.getByRole('button', { name: 'Enregistrer le consentement' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('Elle accepte le partage décrit ci-dessous'));
    const consentBoxes = within(dialog).getAllByRole('checkbox');
    expect(consentBoxes.map((b) => b.getAttribute('aria-label'))).toEqual(expected);
    expect(consentBoxes.every((b) => (b as HTMLInputElement).checked)).toBe(true);
  });

  it('draws no scope table for a viewer the server gives nothing to propose', async () => {
    open({ [`GET /cases/${ID}`]: { status: 200, body: { ...VIEW, mayInformPerson: true, proposable: undefined } } });
    const letter = await screen.findByRole('group', { name: 'Ce que vous proposez à la personne de partager, et avec qui' });
    expect(within(letter).queryAllByRole('checkbox')).toEqual([]);
  });

  it('says plainly when the situation changed meanwhile (409)', async () => {
    open({
      [`POST /cases/${ID}/events`]: { status: 409, body: { type: 'x/stale_version', title: 'Stale version', status: 409, detail: 'The case is at version 4' } },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Retrait du consentement' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Confirmer' }));
    expect((await within(screen.getByRole('dialog')).findByRole('alert')).textContent).toMatch(/a changé entre-temps/);
  });

  it('shows who accessed the situation in an Accès tab, only to those the server lets read it', async () => {
    const report = {
      caseId: ID,
      generatedAt: '2026-03-16T10:00:00Z',
      organisations: [
        {
          id: '66666666-6666-4666-8666-666666666666',
          name: 'CMP Nord',
          sector: 'health',
          first: '2026-03-15T09:00:00Z',
          last: '2026-03-16T09:30:00Z',
          classes: [{ class: 'health', first: '2026-03-15T09:00:00Z', last: '2026-03-16T09:30:00Z', count: 2, actions: ['case.read'] }],
        },
      ],
    };
    open({
      [`GET /cases/${ID}`]: { status: 200, body: { ...VIEW, mayReadAccesses: true } },
      [`GET /cases/${ID}/access-report`]: { status: 200, body: report },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'Accès' }));
    const table = await screen.findByRole('table', { name: /Accès à la situation CAS-2026-0007/ });
    const row = within(table).getByRole('row', { name: /CMP Nord/ });
    expect(within(row).getByText('Éléments de santé')).toBeTruthy();
    expect(within(row).getByText('2')).toBeTruthy();
    expect(window.location.search).toBe('?onglet=acces');
  });

  it('has no Accès tab for a partner', async () => {
    open();
    await screen.findByRole('tab', { name: 'Historique' });
    expect(screen.queryByRole('tab', { name: 'Accès' })).toBeNull();
  });

  it('links the history to the closed session records that hold the situation', async () => {
    const S = '77777777-7777-4777-8777-777777777777';
    open({
      [`GET /cases/${ID}/history`]: { status: 200, body: [] },
      [`GET /cases/${ID}/session-records`]: {
        status: 200,
        body: { items: [{ sessionId: S, startsAt: '2026-04-14T13:00:00Z', closedAt: '2026-04-16T10:00:00Z' }] },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'Historique' }));
    const block = await screen.findByRole('region', { name: 'Relevés de décisions' });
    const link = within(block).getByRole('link', { name: 'Séance du 14 avril 2026' });
    expect(link.getAttribute('href')).toBe(`/app/seances/${S}/releve`);
    expect(block.textContent).toContain('relevé clos le 16 avril 2026');
  });

  it('shows no record block when no closed record holds the situation', async () => {
    const { sent } = open({
      [`GET /cases/${ID}/history`]: {
        status: 200,
        body: [{ event: 'CREATE', from: null, to: 'draft', version: 1, actorOrganisationId: null, actorOrganisationName: 'CCAS', at: '2026-03-14T09:00:00Z' }],
      },
      [`GET /cases/${ID}/session-records`]: { status: 200, body: { items: [] } },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'Historique' }));
    await waitFor(() => expect(sent.some((r) => r.path === `/cases/${ID}/session-records`)).toBe(true));
    await screen.findByText(/Fiche de saisine créée/);
    expect(screen.queryByRole('region', { name: 'Relevés de décisions' })).toBeNull();
  });
});
