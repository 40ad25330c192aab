import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, expectNotOnPage, launchBrowser, openContext, signIn, type Person } from './browser';
import { Fixtures, referralBody, type Situation } from './fixtures';

/**
 * The referral lives (issue 12, part A): the referrer edits her draft and sends it; the coordinator
 * sends it back for completion with what is missing; the referrer reads why, completes it and sends
 * it again; she then hands the situation over to a colleague of her service, chosen by name, and
 * keeps only what a colleague of the service sees. The coordinator never sees the name.
 */
const INES = { lastName: 'Quéméneur-Aldabra', firstName: 'Inès', birthDate: '1958-02-11', phone: '06 55 44 33 22' };
const NAMES = [INES.lastName, INES.firstName, INES.phone];
const MISSING = 'Préciser les partenaires déjà sollicités et la date du dernier contact.';

describe('the referral lives in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let referrer: Person;
  let coordinator: Person;
  let fx: Fixtures;
  let ines: Situation;

  const dialogOf = (page: Page) => page.getByRole('dialog');
  const confirm = async (page: Page) => {
    await dialogOf(page).getByRole('button', { name: 'Confirmer' }).click();
    await dialogOf(page).waitFor({ state: 'hidden' });
  };
  const open = async (page: Page) => {
    await page.goto(`/app/situations/${ines.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(ines.reference) }).waitFor();
  };

  beforeAll(async () => {
    fx = await Fixtures.of(world);
    ines = await fx.referrer.call<Situation>('POST', '/cases', referralBody(world, INES));
    browser = await launchBrowser();
    referrer = await openContext(browser, world);
    coordinator = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the referrer edits her draft (only what changed is sent) and sends it', async () => {
    const { page } = referrer;
    await signIn(page, world.referrer);
    await open(page);
    await page.getByRole('button', { name: 'Modifier le brouillon' }).click();
    const dialog = dialogOf(page);
    // Pre-filled with what is stored, the name included (she wrote it).
    await expect.poll(() => dialog.getByLabel('Nom', { exact: true }).inputValue()).toBe(INES.lastName);
    await dialog.getByLabel('Question posée à la cellule').fill('Comment éviter l’expulsion et reprendre le soin ?');
    await checkScreen(page, '80-saisine-brouillon-modifier');
    await confirm(page);
    await expect.poll(() => page.getByText('Comment éviter l’expulsion et reprendre le soin ?').first().isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Envoyer la saisine' }).click();
    await confirm(page);
    await expect.poll(() => page.getByRole('button', { name: 'Rectifier les informations' }).isVisible()).toBe(true);
  });

  it('the coordinator sends it back for completion, saying what is missing, without ever seeing the name', async () => {
    const { page } = coordinator;
    await signIn(page, world.coordinator);
    await open(page);
    await page.getByRole('button', { name: 'Renvoyer pour complément' }).click();
    await dialogOf(page).getByLabel('Ce qu’il faut compléter').fill(MISSING);
    await confirm(page);
    await expect.poll(() => page.getByRole('button', { name: 'Accepter la saisine' }).count()).toBe(0);
    await expectNotOnPage(page, NAMES);
  });

  it('the referrer reads why it came back, completes it and sends it again', async () => {
    const { page } = referrer;
    await open(page);
    await expect.poll(() => page.getByText(MISSING).first().isVisible()).toBe(true);
    await checkScreen(page, '81-saisine-renvoyee');
    await page.getByRole('button', { name: 'Modifier le brouillon' }).click();
    await dialogOf(page).getByLabel('Ce qui a déjà été tenté').fill('Visites à domicile, courriers du bailleur ; CMP sollicité le mois dernier');
    await confirm(page);
    await page.getByRole('button', { name: 'Envoyer la saisine' }).click();
    await confirm(page);
    await expect.poll(() => page.getByRole('button', { name: 'Rectifier les informations' }).isVisible()).toBe(true);
  });

  it('she hands the situation over to a colleague of her service, chosen by name, and keeps what the service sees', async () => {
    const { page } = referrer;
    await page.getByRole('button', { name: 'Transmettre à un collègue' }).click();
    const dialog = dialogOf(page);
    await expect.poll(() => dialog.getByLabel(world.colleague.displayName).isVisible()).toBe(true);
    // Only the other referrers of the service: not herself, nobody of another service.
    expect(await dialog.getByLabel(world.referrer.displayName).count()).toBe(0);
    expect(await dialog.getByLabel(world.newcomer.displayName).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => dialog.getByText('Choisissez le collègue qui reprend la situation.').isVisible()).toBe(true);
    await dialog.getByLabel(world.colleague.displayName).check();
    await checkScreen(page, '82-saisine-transmettre');
    await confirm(page);
    // Now a colleague of the referring service: the name is no longer hers to read, nor the handover.
    await expect.poll(() => page.getByRole('button', { name: 'Transmettre à un collègue' }).count()).toBe(0);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: new RegExp(ines.reference) }).waitFor();
    await expectNotOnPage(page, [INES.lastName, INES.phone]);
  });
});
