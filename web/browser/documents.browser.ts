import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, expectNothingLeaks, expectNotOnPage, launchBrowser, openContext, pageErrors, signIn, type Person } from './browser';
import { Fixtures, type Situation } from './fixtures';
import { Api } from './seed';

/**
 * Documents of a situation (issue 12): the referrer files a signed consent form (a scan whose name
 * says .pdf but whose bytes are PNG) under the identity and a CMP report under health, is told at
 * once that an executable renamed .pdf is not accepted, and downloads a document back. The
 * psychiatrist attending the review receives the health document only, and reads why not the
 * identity one; the coordinator receives none.
 */
const AGATHE = { lastName: 'Montrachet-Ibarra', firstName: 'Agathe', birthDate: '1958-02-11', phone: '06 55 44 33 22' };
const NAMES = [AGATHE.lastName, AGATHE.firstName, AGATHE.phone];
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]);
const PDF = Buffer.from('%PDF-1.4\n% compte rendu\n' + ' '.repeat(4000));
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(3000, 1)]);

describe('documents in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let referrer: Person;
  let psychiatrist: Person;
  let coordinator: Person;
  let fx: Fixtures;
  let agathe: Situation;

  const openDocuments = async (person: Person) => {
    await person.page.goto(`/app/situations/${agathe.id}?onglet=documents`);
    await person.page.getByRole('heading', { level: 1, name: `Situation ${agathe.reference}` }).waitFor();
    await person.page.getByRole('tab', { name: 'Documents', selected: true }).waitFor();
  };

  beforeAll(async () => {
    fx = await Fixtures.of(world);
    agathe = await fx.ready(AGATHE, [{ sector: 'health', classes: ['identity', 'health'] }]);
    const session = await fx.session(23, 10);
    await fx.event(fx.coordinator, agathe, 'SCHEDULE', { sessionId: session.id });
    await fx.open(session.id);
    // The psychiatrist attends (under the commission's current charter): the review's dossier opens to them.
    const cmp = await Api.as(world.url, world.psychiatrist.email);
    const { version } = await cmp.call<{ version: number }>('GET', `/commissions/${world.commissionId}/charter`);
    await cmp.call('POST', `/commissions/${world.commissionId}/charter/accept`, { version }).catch(() => undefined);
    await cmp.call('POST', `/sessions/${session.id}/attendance`);
    browser = await launchBrowser();
    referrer = await openContext(browser, world);
    psychiatrist = await openContext(browser, world);
    coordinator = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the referrer files documents under the class that decides who reads them; the type is read from the bytes', async () => {
    const { page } = referrer;
    await signIn(page, world.referrer);
    await openDocuments(referrer);
    await expect.poll(() => page.getByText('Aucun document ne vous est communiqué pour cette situation.').isVisible()).toBe(true);
    const form = page.getByRole('region', { name: 'Déposer un document' });
    await checkScreen(page, '80-documents-vide');

    // Nothing chosen: both fields say what is missing.
    await form.getByRole('button', { name: 'Déposer le document' }).click();
    await expect.poll(() => form.getByText('Choisissez à quoi ce document se rapporte').isVisible()).toBe(true);
    await expect.poll(() => form.getByText('Choisissez un fichier.').isVisible()).toBe(true);

    // An executable renamed .pdf: refused by its content, on the file field.
    await form.getByLabel('Rubrique').selectOption('health');
    await form.getByLabel('Fichier').setInputFiles({ name: 'ordonnance.pdf', mimeType: 'application/pdf', buffer: EXE });
    await form.getByRole('button', { name: 'Déposer le document' }).click();
    await expect.poll(() => form.getByText('Seuls les documents PDF, PNG ou JPEG sont acceptés').isVisible()).toBe(true);
    await checkScreen(page, '81-documents-refus');

    // A scan named .pdf, PNG by its bytes, under the identity.
    await form.getByLabel('Rubrique').selectOption('identity');
    await form.getByLabel('Fichier').setInputFiles({ name: 'consentement-signé.pdf', mimeType: 'application/pdf', buffer: PNG });
    await form.getByRole('button', { name: 'Déposer le document' }).click();
    await expect.poll(() => page.getByRole('status').getByText('Le document « consentement-signé.pdf » est déposé').isVisible()).toBe(true);

    await form.getByLabel('Rubrique').selectOption('health');
    await form.getByLabel('Fichier').setInputFiles({ name: 'compte-rendu-cmp.pdf', mimeType: 'application/pdf', buffer: PDF });
    await form.getByRole('button', { name: 'Déposer le document' }).click();
    await expect.poll(() => page.getByRole('row', { name: /compte-rendu-cmp\.pdf/ }).isVisible()).toBe(true);

    const scan = page.getByRole('row', { name: /consentement-signé\.pdf/ });
    await expect.poll(() => scan.getByText('Image PNG').isVisible()).toBe(true);
    await expect.poll(() => scan.getByText('Identité de la personne').isVisible()).toBe(true);
    await checkScreen(page, '82-documents-referent');

    // Downloaded back as filed, under its name.
    const [download] = await Promise.all([page.waitForEvent('download'), scan.getByRole('button', { name: /Télécharger/ }).click()]);
    expect(download.suggestedFilename()).toBe('consentement-signé.pdf');
    expect(Buffer.compare(readFileSync((await download.path())!), PNG)).toBe(0);
    await expectNothingLeaks(referrer, NAMES);
    expect(pageErrors(referrer)).toEqual([]);
  });

  it('the psychiatrist attending the review receives the health document only, and reads why not the other', async () => {
    const { page } = psychiatrist;
    await signIn(page, world.psychiatrist);
    await openDocuments(psychiatrist);
    await expect.poll(() => page.getByRole('row', { name: /compte-rendu-cmp\.pdf/ }).isVisible()).toBe(true);
    expect(await page.getByText('consentement-signé.pdf').count()).toBe(0);
    await expect.poll(() => page.getByText('Seule une organisation qui porte une action du plan reçoit ces informations.').isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'Déposer un document' }).count()).toBe(0);
    await checkScreen(page, '83-documents-psychiatre');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger compte-rendu-cmp.pdf' }).click()]);
    expect(Buffer.compare(readFileSync((await download.path())!), PDF)).toBe(0);
    await expectNotOnPage(page, NAMES);
    await expectNothingLeaks(psychiatrist, NAMES);
    expect(pageErrors(psychiatrist)).toEqual([]);
  });

  it('the coordinator receives no document, and reads why', async () => {
    const { page } = coordinator;
    await signIn(page, world.coordinator);
    await openDocuments(coordinator);
    await expect.poll(() => page.getByText('Aucun document ne vous est communiqué pour cette situation.').isVisible()).toBe(true);
    await expect.poll(async () => page.getByText(/Votre rôle dans cette situation ne donne jamais accès/).count()).toBe(3);
    await expectNotOnPage(page, [...NAMES, 'compte-rendu-cmp', 'consentement-signé']);
    await checkScreen(page, '84-documents-coordination');
    expect(pageErrors(coordinator)).toEqual([]);
  });
});
