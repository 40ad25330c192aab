import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { frenchDay, parisDay } from '../src/shared/format';
import { checkScreen, expectNotOnPage, launchBrowser, openContext, signIn, type Person } from './browser';
import { Fixtures, type Situation } from './fixtures';

/**
 * After the plan (issue 12): the coordinator suspends a running plan (hospitalisation) and resumes
 * it, then revises it — one action cancelled with its reason, one added —; the referrer records a
 * care without consent made elsewhere and reads it with the situation. The coordinator never sees
 * a name, nor the report (health content).
 */
const LUCIEN = { lastName: 'Castelbajac-Ormoy', firstName: 'Lucien', birthDate: '1961-09-23', phone: '06 11 22 33 44' };
const NAMES = [LUCIEN.lastName, LUCIEN.firstName, LUCIEN.phone];
const inDays = (days: number) => frenchDay(parisDay(new Date(Date.now() + days * 86_400_000)));

describe('after the plan in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let coordinator: Person;
  let referrer: Person;
  let fx: Fixtures;
  let lucien: Situation;

  const dialogOf = (page: Page) => page.getByRole('dialog');
  const confirm = async (page: Page) => {
    await dialogOf(page).getByRole('button', { name: 'Confirmer' }).click();
    await dialogOf(page).waitFor({ state: 'hidden' });
  };
  const open = async (page: Page) => {
    await page.goto(`/app/situations/${lucien.id}`);
    await page.getByRole('heading', { level: 1, name: `Situation ${lucien.reference}` }).waitFor();
  };

  beforeAll(async () => {
    fx = await Fixtures.of(world);
    lucien = await fx.ready(LUCIEN, [{ sector: 'health', classes: ['identity', 'health'] }]);
    const session = await fx.session(9, 16);
    await fx.event(fx.coordinator, lucien, 'SCHEDULE', { sessionId: session.id });
    await fx.open(session.id);
    await fx.event(fx.coordinator, lucien, 'START_REVIEW');
    await fx.event(fx.coordinator, lucien, 'ADOPT_PLAN', {
      actions: [
        { title: 'Reprendre le suivi au CMP', ownerOrganisationId: world.orgs.cmp, dueAt: new Date(Date.now() + 20 * 86_400_000).toISOString() },
        { title: 'Proposer un échéancier de la dette', ownerOrganisationId: world.orgs.bailleur, dueAt: new Date(Date.now() + 40 * 86_400_000).toISOString() },
      ],
    });
    browser = await launchBrowser();
    coordinator = await openContext(browser, world);
    referrer = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('suspends the plan for a hospitalisation: the follow-up clock stops; then resumes it', async () => {
    const { page } = coordinator;
    await signIn(page, world.coordinator);
    await open(page);
    await page.getByRole('button', { name: 'Mettre en veille ou suspendre' }).click();
    await dialogOf(page).getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => dialogOf(page).getByText('Choisissez la raison.').isVisible()).toBe(true);
    await dialogOf(page).getByLabel('Suspendue : le plan ne peut pas avancer pour l’instant').check();
    await dialogOf(page).getByLabel('Hospitalisation').check();
    await confirm(page);
    await expect.poll(() => page.getByText('En veille ou suspendue', { exact: true }).first().isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'Plan' }).click();
    await expect.poll(() => page.getByText(/Plan suspendu depuis le .* \(hospitalisation\)/).isVisible()).toBe(true);
    await expectNotOnPage(page, NAMES);
    await checkScreen(page, '70-apres-plan-suspendu');
    await page.getByRole('button', { name: 'Reprendre le plan' }).click();
    await confirm(page);
    await expect.poll(() => page.getByText("Plan d'action en cours", { exact: true }).first().isVisible()).toBe(true);
  });

  it('revises the plan: an action cancelled with its reason, another added', async () => {
    const { page } = coordinator;
    await page.getByRole('button', { name: 'Réviser le plan' }).click();
    const dialog = dialogOf(page);
    const debt = dialog.getByRole('group', { name: 'Proposer un échéancier de la dette' });
    await debt.getByLabel('Est annulée').check();
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => debt.getByText('Dites pourquoi elle est annulée.').isVisible()).toBe(true);
    await debt.getByLabel('Raison de l’annulation').selectOption({ label: 'N’est plus nécessaire' });
    await dialog.getByRole('button', { name: 'Ajouter une action' }).click();
    const added = dialog.getByRole('group', { name: 'Nouvelle action 1' });
    await added.getByLabel('Ce qui est à faire').fill('Visite conjointe avec la mairie');
    await added.getByLabel('Organisation responsable').selectOption(world.orgs.mairie);
    await added.getByLabel('Échéance').fill(inDays(30));
    await checkScreen(page, '71-apres-plan-revision');
    await confirm(page);
    await page.getByRole('tab', { name: 'Plan' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /Proposer un échéancier de la dette/ })
          .getByText('Annulée')
          .isVisible(),
      )
      .toBe(true);
    await expect.poll(() => page.getByRole('row', { name: /Visite conjointe avec la mairie/ }).isVisible()).toBe(true);
    await expectNotOnPage(page, NAMES);
    await checkScreen(page, '72-apres-plan-revise');
  });

  it('the referrer records a care without consent made elsewhere, and reads it with the situation', async () => {
    const { page } = referrer;
    await signIn(page, world.referrer);
    await open(page);
    await page.getByRole('button', { name: 'Enregistrer un signalement' }).click();
    const dialog = dialogOf(page);
    await dialog.getByLabel('Nature').selectOption({ label: 'Soins psychiatriques sans consentement' });
    await dialog.getByLabel('Fondement légal').selectOption({ label: 'Article L3212-1 du CSP, en cas de péril imminent' });
    await dialog.getByLabel('Date').fill(inDays(-1));
    await dialog.getByLabel('Fait par').selectOption({ label: 'Un médecin' });
    await checkScreen(page, '73-apres-plan-signalement');
    await confirm(page);
    await page.getByRole('tab', { name: 'Informations' }).click();
    const reports = page.getByRole('region', { name: 'Signalements et mesures hors de la cellule' });
    await expect.poll(() => reports.getByText('Soins psychiatriques sans consentement').isVisible()).toBe(true);
    await checkScreen(page, '74-apres-plan-signalement-lu');
  });

  it('the coordinator does not read the report (health content)', async () => {
    const { page } = coordinator;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Situation ${lucien.reference}` }).waitFor();
    await page.getByRole('tab', { name: 'Informations' }).click();
    await page.getByRole('tabpanel').waitFor();
    expect(await page.getByText('Soins psychiatriques sans consentement').count()).toBe(0);
    await expectNotOnPage(page, NAMES);
  });
});
