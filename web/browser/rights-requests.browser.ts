import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Api, PASSWORD } from './seed';
import { checkScreen, expectNotOnPage, launchBrowser, openContext, signIn, type Person } from './browser';

/**
 * A person asks for her data (issue 15). The DPO records the request, finds her situation from the
 * name and birth date she gave — references only, never her data on screen; the coordinator names
 * the professional who hands her the copy; that professional, told by a notification, downloads
 * it; the DPO reads who consulted her data and closes the request with its record.
 */
const PERSON = { lastName: 'Vauquelin-Ombrée', firstName: 'Rosalie', birthDate: '1979-06-21' };
const NARRATIVE = 'Personne en rupture de droits, courriers sans réponse depuis six mois.';

describe('rights requests in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let dpo: Person;
  let coordinator: Person;
  let handler: Person;
  let situation: { id: string; reference: string };
  let requestUrl: string;

  beforeAll(async () => {
    const admin = await Api.as(world.url, world.admin.email, world.admin.password);
    const email = 'referent-droits@val-fictif.test';
    await admin.call('POST', '/users', {
      email,
      password: PASSWORD,
      displayName: 'Dominique Référent',
      organisationId: world.orgs.ccas,
      roles: ['referrer'],
      profession: 'social_worker',
    });
    const referrer = await Api.as(world.url, email);
    situation = await referrer.call<{ id: string; reference: string; version: number }>('POST', '/cases', {
      commissionId: world.commissionId,
      identity: PERSON,
      summary: {
        ageBand: '40-49',
        district: 'Quartier des Tilleuls',
        household: 'alone',
        problems: ['isolation'],
        question: 'Comment rétablir ses droits ?',
        narrative: NARRATIVE,
        minorInHousehold: false,
        urgent: false,
      },
    });
    browser = await launchBrowser();
    dpo = await openContext(browser, world);
    coordinator = await openContext(browser, world);
    handler = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the DPO records an access request and finds the person’s situation by reference only', async () => {
    const { page } = dpo;
    await signIn(page, world.auditor);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Demandes de droits' }).click();
    await page.getByRole('heading', { level: 1, name: 'Demandes de droits des personnes' }).waitFor();
    await page.getByRole('radio', { name: 'Accès à ses données' }).check();
    await page.getByRole('combobox', { name: 'Territoire' }).click();
    await page.getByRole('option', { name: 'CLSM de Val-Fictif (tests navigateur)' }).click();
    await page.getByRole('textbox', { name: 'Reçue le' }).fill(new Date().toISOString().slice(0, 10));
    await checkScreen(page, 'droits-01-nouvelle-demande');
    await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
    await page.getByRole('heading', { level: 1, name: 'Demande : accès à ses données' }).waitFor();
    requestUrl = page.url();
    await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(PERSON.lastName);
    await page.getByRole('textbox', { name: 'Prénom(s)' }).fill(PERSON.firstName);
    await page.getByRole('textbox', { name: 'Date de naissance' }).fill(PERSON.birthDate);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('row', { name: new RegExp(situation.reference) }).waitFor();
    await checkScreen(page, 'droits-02-situations-trouvees');
    // The form is cleared once used, and nothing of her is on the screen but the reference.
    expect(await page.getByRole('textbox', { name: 'Nom', exact: true }).inputValue()).toBe('');
    await expectNotOnPage(page, [PERSON.lastName, PERSON.firstName, PERSON.birthDate, NARRATIVE]);
  });

  it('the coordinator names the professional who hands over the copy', async () => {
    const { page } = coordinator;
    await signIn(page, world.coordinator);
    await page.goto(requestUrl);
    await page.getByRole('heading', { level: 2, name: 'Qui remet la copie des données à la personne' }).waitFor();
    await page.getByRole('combobox', { name: 'Professionnel' }).click();
    await page.getByRole('option', { name: /^Jordan Bailleur/ }).click();
    await page.getByRole('button', { name: 'Désigner' }).click();
    await page.getByRole('status').filter({ hasText: 'Le professionnel est désigné' }).waitFor();
    await checkScreen(page, 'droits-03-designation');
    await expectNotOnPage(page, [PERSON.lastName, PERSON.firstName, NARRATIVE]);
  });

  it('the named professional is told, finds the copy and downloads it', async () => {
    const { page } = handler;
    await signIn(page, world.housing);
    await page.goto(new URL('/app/notifications', requestUrl).toString());
    await page.getByText('La coordination vous confie la remise à une personne de la copie de ses données').first().waitFor();
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Copies à remettre' }).click();
    await page.getByRole('heading', { level: 1, name: 'Copies de données à remettre' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(situation.reference) });
    await row.getByText('La coordination vous a désigné').waitFor();
    await checkScreen(page, 'droits-04-copies-a-remettre');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: `Télécharger la copie de ${situation.reference}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`copie-des-donnees-${situation.reference}.pdf`);
    await page.getByRole('status').filter({ hasText: 'téléchargée' }).waitFor();
    await checkScreen(page, 'droits-05-copie-telechargee');
  });

  it('the DPO reads who consulted her data and closes the request with its record', async () => {
    const { page } = dpo;
    await page.goto(requestUrl);
    await page.getByRole('button', { name: 'Afficher les rapports d’accès' }).click();
    await page.getByRole('heading', { level: 2, name: 'Qui a consulté ses données' }).waitFor();
    await checkScreen(page, 'droits-06-rapports');
    await page.getByRole('radio', { name: 'Répondu à la personne' }).check();
    await page.getByRole('button', { name: 'Clore la demande' }).click();
    await page.getByRole('status').filter({ hasText: 'Close le' }).waitFor();
    await checkScreen(page, 'droits-07-close');
    await expectNotOnPage(page, [PERSON.lastName, PERSON.firstName, PERSON.birthDate, NARRATIVE]);
  });
});
