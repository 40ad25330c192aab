import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, expectNothingLeaks, expectNotOnPage, launchBrowser, openContext, pageErrors, signIn, type Person } from './browser';
import { Fixtures, HEALTH_TEXT, type Situation } from './fixtures';

/**
 * The member's journey (a psychiatrist of the CMP): the charter to accept first, presence at the
 * session, the pseudonymised dossier with what is released and why not, then the actions of the
 * CMP — a late one, its update refused while the note names the person, then saved.
 */
const OCTAVE = { lastName: 'Berlingot-Sauvage', firstName: 'Octave', birthDate: '1969-11-23', phone: '06 45 12 78 90' };
const NINON = { lastName: 'Courtepaille', firstName: 'Ninon', birthDate: '1982-05-09', phone: '07 11 22 33 44' };
const IDENTITY_VALUES = [OCTAVE.lastName, OCTAVE.firstName, OCTAVE.phone, NINON.lastName, NINON.firstName, NINON.phone];

describe('member in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let member: Person;
  let fx: Fixtures;
  let session: { id: string; label: string };
  let octave: Situation;
  let ninon: Situation;

  beforeAll(async () => {
    fx = await Fixtures.of(world);
    await fx.newCharter('Charte de confidentialité de la cellule de Val-Fictif.\n\nChacun garde le secret de ce qu’il apprend en séance.');
    // Octave consents to share his identity and health with the health sector; Ninon only her identity, with housing.
    octave = await fx.ready(OCTAVE, [{ sector: 'health', classes: ['identity', 'health'] }]);
    ninon = await fx.ready(NINON, [{ sector: 'housing', classes: ['identity'] }]);
    session = await fx.session(2, 10);
    for (const s of [octave, ninon]) await fx.event(fx.coordinator, s, 'SCHEDULE', { sessionId: session.id });
    await fx.open(session.id);
    browser = await launchBrowser();
    member = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lands on "mes séances", which asks for the charter first', async () => {
    const { page } = member;
    await signIn(page, world.psychiatrist);
    await page.getByRole('heading', { level: 1, name: 'Mes séances' }).waitFor();
    await expect.poll(() => page.getByText('charte de confidentialité à accepter').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('tab', { name: /^En cours/ }).getAttribute('aria-selected')).toBe('true');
    await checkScreen(page, '20-membre-mes-seances');
  });

  it('reads the charter and accepts its current version', async () => {
    const { page } = member;
    await page.getByRole('link', { name: 'Lire et accepter la charte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Charte de confidentialité' }).waitFor();
    await expect.poll(() => page.getByText('Chacun garde le secret').isVisible()).toBe(true);
    await page.getByRole('button', { name: /^Accepter la charte/ }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Cochez cette case pour accepter la charte.');
    await checkScreen(page, '21-membre-charte');
    await page.getByLabel('J’ai lu la charte et je m’engage à la respecter').check();
    await page.getByRole('button', { name: /^Accepter la charte/ }).click();
    await expect.poll(() => page.getByText(/Vous avez accepté cette version le/).isVisible()).toBe(true);
  });

  it('records presence, then reads the dossier: what is released, and why the rest is not', async () => {
    const { page } = member;
    await page.getByRole('link', { name: 'Retour à mes séances' }).click();
    await page.getByRole('link', { name: session.label }).click();
    await page.getByRole('heading', { level: 1, name: `Séance du ${session.label}` }).waitFor();
    await expect.poll(() => page.getByText('Enregistrez d’abord votre présence à la séance.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Enregistrer ma présence' }).click();
    await page.getByRole('heading', { level: 2, name: 'Dossier de la séance' }).waitFor();
    const first = page.getByRole('article', { name: `Situation ${octave.reference}` });
    const second = page.getByRole('article', { name: `Situation ${ninon.reference}` });
    // Octave's consent names the health sector for health: a physician of the CMP reads it.
    await expect.poll(() => first.getByText(HEALTH_TEXT).isVisible()).toBe(true);
    // Attending never gives the name: only the owner of an action receives it.
    await expect
      .poll(() =>
        first.getByText('Identité de la personne : non communiqué. Seule une organisation qui porte une action du plan reçoit ces informations.').isVisible(),
      )
      .toBe(true);
    // Ninon's consent does not name the health sector.
    await expect
      .poll(() =>
        second
          .getByText('Éléments de santé : non communiqué. Le consentement de la personne ne prévoit pas ce partage avec le secteur de votre organisation.')
          .isVisible(),
      )
      .toBe(true);
    expect(await second.getByText(HEALTH_TEXT).count()).toBe(0);
    await expectNotOnPage(page, IDENTITY_VALUES);
    await checkScreen(page, '22-membre-dossier-de-seance');
  });

  it('finds the CMP’s late action, and its update refused while the note names the person, then saved', async () => {
    const { page } = member;
    // In session the coordination adopts a plan: one action for the CMP, already due.
    await fx.event(fx.coordinator, octave, 'START_REVIEW');
    await fx.event(fx.coordinator, octave, 'ADOPT_PLAN', {
      actions: [
        { title: 'Proposer un rendez-vous au CMP', ownerOrganisationId: world.orgs.cmp, dueAt: new Date(Date.now() - 3 * 86_400_000).toISOString() },
        {
          title: 'Proposer un plan d’apurement de la dette',
          ownerOrganisationId: world.orgs.bailleur,
          dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      ],
    });
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Actions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Actions de mon organisation' }).waitFor();
    const row = page.getByRole('row', { name: /Proposer un rendez-vous au CMP/ });
    await expect.poll(() => row.getByText(/En retard \(il y a 3 jours\)/).isVisible()).toBe(true);
    expect(await page.getByText('Proposer un plan d’apurement de la dette').count()).toBe(0);
    await checkScreen(page, '23-membre-actions');
    await row.getByRole('button', { name: /Mettre à jour/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('En cours').check();
    await dialog.getByLabel('Note (facultatif)').fill(`Rendez-vous proposé par téléphone au ${OCTAVE.phone}.`);
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    const note = dialog.getByLabel('Note (facultatif)');
    await expect.poll(() => note.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => dialog.getByText(/^Ce texte contient/).isVisible()).toBe(true);
    await checkScreen(page, '24-membre-action-refus-du-garde-fou');
    await note.fill('Rendez-vous proposé, la personne a accepté de venir au CMP.');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByText('L’action « Proposer un rendez-vous au CMP » est maintenant : en cours.').isVisible()).toBe(true);
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /Proposer un rendez-vous au CMP/ })
          .getByText('En cours')
          .isVisible(),
      )
      .toBe(true);
  });

  it('sees the plan on the situation page, where the CMP now owns an action', async () => {
    const { page } = member;
    await page.getByRole('link', { name: octave.reference }).first().click();
    await page.getByRole('heading', { level: 1, name: `Situation ${octave.reference}` }).waitFor();
    await expect.poll(() => page.getByRole('tab', { name: 'Plan' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /Proposer un rendez-vous au CMP/ })
          .getByText('En cours')
          .isVisible(),
      )
      .toBe(true);
    await checkScreen(page, '25-membre-situation-plan');
    await expectNothingLeaks(member, IDENTITY_VALUES);
    expect(pageErrors(member, [422])).toEqual([]);
  });

  it('blocks the CMP’s action: the dialog asks what blocks it before saving, and the plan says it', async () => {
    const { page } = member;
    await page.getByRole('button', { name: 'Mettre à jour l’action « Proposer un rendez-vous au CMP »' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Bloquée').check();
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    const reason = dialog.getByLabel('Qu’est-ce qui bloque ?');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => dialog.getByText('Choisissez ce qui bloque l’action.').isVisible()).toBe(true);
    await checkScreen(page, '26-membre-action-bloquee-pourquoi');
    await reason.selectOption({ label: 'Liste d’attente pour des soins (CMP…)' });
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByText('L’action « Proposer un rendez-vous au CMP » est maintenant : bloquée.').isVisible()).toBe(true);
    const row = page.getByRole('row', { name: /Proposer un rendez-vous au CMP/ });
    await expect.poll(() => row.getByText('— Liste d’attente pour des soins (CMP…)').isVisible()).toBe(true);
    await checkScreen(page, '27-membre-action-bloquee');
    expect(pageErrors(member, [422])).toEqual([]);
  });
});
