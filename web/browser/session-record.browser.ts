import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, expectNotOnPage, launchBrowser, openContext, signIn, type Person } from './browser';
import { Fixtures, type Situation } from './fixtures';
import { Api } from './seed';

/**
 * The session as prepared and held (issue 12, items 4 and 5): a member who cannot come reads the
 * dossier three days before and leaves a written contribution; the coordinator ticks the attendance
 * sheet, adds a partner without an account, writes the record (relevé de décisions) of the
 * situation examined, closes the session and the record; the referrer reads the closed record of
 * her own situation — found from the situation's history — and downloads it as a PDF. No screen shows the person's name.
 */
const ODETTE = { lastName: 'Vasseur-Montcalm', firstName: 'Odette', birthDate: '1949-11-02', phone: '06 98 76 54 32' };
const NAMES = [ODETTE.lastName, ODETTE.firstName, ODETTE.phone, 'Vasseur', 'Montcalm'];
const CONTRIBUTION = 'Le service habitat peut proposer une visite conjointe avant la fin du mois.';
const ANALYSIS = 'Isolement ancien et rupture de suivi ; la dette locative progresse.';

describe('the session record in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let coordinator: Person;
  let member: Person;
  let referrer: Person;
  let fx: Fixtures;
  let odette: Situation;
  let sessionId: string;

  beforeAll(async () => {
    fx = await Fixtures.of(world);
    odette = await fx.ready(ODETTE, [{ sector: 'health', classes: ['identity', 'health'] }]);
    const session = await fx.session(3, 10);
    sessionId = session.id;
    await fx.event(fx.coordinator, odette, 'SCHEDULE', { sessionId });
    // The members accept the commission's current charter (another journey may have published a new one).
    const { version } = await fx.coordinator.call<{ version: number }>('GET', `/commissions/${world.commissionId}/charter`);
    for (const account of [world.town, world.psychiatrist]) {
      await (await Api.as(world.url, account.email)).call('POST', `/commissions/${world.commissionId}/charter/accept`, { version });
    }
    browser = await launchBrowser();
    coordinator = await openContext(browser, world);
    member = await openContext(browser, world);
    referrer = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a member reads the dossier three days before and leaves a written contribution', async () => {
    const { page } = member;
    await signIn(page, world.town);
    await page.goto(`/app/seances/${sessionId}`);
    const dossier = page.getByRole('region', { name: 'Dossier de la séance' });
    await dossier.getByRole('heading', { name: `Situation ${odette.reference}` }).waitFor();
    const form = page.getByRole('form', { name: `Contribution écrite pour ${odette.reference}` });
    await form.getByRole('button', { name: 'Envoyer la contribution' }).click();
    await expect.poll(() => form.getByText(/Écrivez votre contribution/).isVisible(), { timeout: 10_000 }).toBe(true);
    await form.getByLabel(`Votre contribution écrite pour ${odette.reference}`).fill(CONTRIBUTION);
    await form.getByRole('button', { name: 'Envoyer la contribution' }).click();
    await expect.poll(() => form.getByText(/Votre contribution est enregistrée/).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => dossier.getByText(CONTRIBUTION).isVisible(), { timeout: 10_000 }).toBe(true);
    await expectNotOnPage(page, NAMES);
    await checkScreen(page, '80-seance-contribution');
  });

  it('the coordinator keeps the attendance sheet and writes the record, then closes it', async () => {
    await fx.open(sessionId);
    await fx.event(fx.coordinator, odette, 'START_REVIEW');
    await fx.event(fx.coordinator, odette, 'DEFER');
    const { page } = coordinator;
    await signIn(page, world.coordinator);
    await page.goto(`/app/coordination/seances/${sessionId}?onglet=presences`);
    const sheet = page.getByRole('table');
    await sheet.waitFor();
    // A controlled checkbox: it shows the server's answer once the sheet is read again.
    await sheet.getByRole('checkbox', { name: `${world.psychiatrist.displayName} présent·e` }).click();
    await expect.poll(() => sheet.getByRole('checkbox', { name: `${world.psychiatrist.displayName} présent·e` }).isChecked(), { timeout: 10_000 }).toBe(true);
    const guest = page.getByRole('form', { name: 'Inscrire un partenaire présent' });
    await guest.getByLabel('Ou son nom, si elle n’y est pas').fill('Association Logis Solidaire');
    await guest.getByLabel('Fonction (facultatif)').fill('conseillère en économie sociale et familiale');
    await guest.getByRole('button', { name: 'Inscrire' }).click();
    await expect
      .poll(() =>
        page
          .getByText(/Association Logis Solidaire, conseillère en économie sociale et familiale/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await checkScreen(page, '81-seance-feuille-presence');

    await page.getByRole('tab', { name: 'Relevé de décisions' }).click();
    const item = page.getByRole('form', { name: `Situation ${odette.reference}` });
    await item.waitFor();
    await expect.poll(() => item.getByText(/Examen reporté/).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => item.getByText(CONTRIBUTION).isVisible(), { timeout: 10_000 }).toBe(true);
    await item.getByLabel('Motif du report').selectOption({ label: 'Informations manquantes' });
    await item.getByLabel('Analyse de la commission').fill(ANALYSIS);
    await item.getByLabel('Préconisations').fill('Revoir la situation à la prochaine séance avec le bailleur.');
    await item.getByRole('button', { name: `Enregistrer pour ${odette.reference}` }).click();
    await expect.poll(() => item.getByText('Enregistré.').isVisible(), { timeout: 10_000 }).toBe(true);
    await expectNotOnPage(page, NAMES);
    await checkScreen(page, '82-seance-releve-redaction');

    // The session is closed, then the record.
    await page.getByRole('button', { name: 'Clore la séance' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirmer' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Clore le relevé' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirmer' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Télécharger le relevé (PDF)' }).waitFor();
    await expect.poll(() => page.getByText(ANALYSIS).isVisible(), { timeout: 10_000 }).toBe(true);
    await checkScreen(page, '83-seance-releve-clos');
  });

  it('the referrer finds the closed record from her situation, reads it and downloads it as a PDF', async () => {
    const { page } = referrer;
    await signIn(page, world.referrer);
    // From the situation's history: the records of the sessions that examined it.
    await page.goto(`/app/situations/${odette.id}?onglet=historique`);
    const records = page.getByRole('region', { name: 'Relevés de décisions' });
    await records.waitFor();
    await expectNotOnPage(page, NAMES);
    await checkScreen(page, '84a-referent-historique-releves');
    await records.getByRole('link', { name: /^Séance du / }).click();
    await page.waitForURL(`**/app/seances/${sessionId}/releve`);
    await page.getByRole('heading', { name: `Situation ${odette.reference}` }).waitFor();
    await expect.poll(() => page.getByText(/Examen reporté — motif : informations manquantes/).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByText(ANALYSIS).isVisible(), { timeout: 10_000 }).toBe(true);
    await expectNotOnPage(page, NAMES);
    await checkScreen(page, '84-referent-releve');
    const href = await page.getByRole('link', { name: 'Télécharger le relevé (PDF)' }).getAttribute('href');
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
