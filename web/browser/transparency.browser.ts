import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, expectNothingLeaks, expectNotOnPage, launchBrowser, openContext, pageErrors, signIn, type Person } from './browser';
import { Fixtures, type Situation } from './fixtures';

/**
 * The person informed (issue 15): the referrer ticks the sharing they propose and downloads the
 * information letter that prints it while consent is awaited, records the person's consent
 * (the form starting from that proposal), downloads the receipt (its code read from the PDF's
 * text); an anonymous visitor opens /app/transparence, gives the reference and the code, and sees
 * organisations, kinds of information and dates — no name, no content; a wrong code is refused.
 */
const CLEMENCE = { lastName: 'Vaudrevange-Oyarzun', firstName: 'Clémence', birthDate: '1971-09-23', phone: '06 71 82 93 04' };
const NAMES = [CLEMENCE.lastName, CLEMENCE.firstName, CLEMENCE.phone];
const CODE = /\b([2-9A-HJ-NP-Z]{4}(?:-[2-9A-HJ-NP-Z]{4}){4})\b/;

async function pdfText(path: string): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(path)), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}

async function downloadText(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: download.suggestedFilename(), text: await pdfText((await download.path())!) };
}

describe('the person informed, in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let referrer: Person;
  let visitor: Person;
  let fx: Fixtures;
  let situation: Situation;
  let code: string;

  beforeAll(async () => {
    fx = await Fixtures.of(world);
    situation = await fx.submitted(CLEMENCE);
    await fx.event(fx.coordinator, situation, 'ACCEPT');
    // The coordinator reads the situation: an organisation the page must name.
    await fx.coordinator.call('GET', `/cases/${situation.id}`);
    browser = await launchBrowser();
    referrer = await openContext(browser, world);
    visitor = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the referrer downloads the information letter, records the consent, then the receipt with its code', async () => {
    const { page } = referrer;
    await signIn(page, world.referrer);
    await page.goto(`/app/situations/${situation.id}`);
    await page.getByRole('heading', { level: 1, name: `Situation ${situation.reference}` }).waitFor();
    const documents = page.getByRole('region', { name: 'Documents pour la personne' });
    await documents.getByRole('button', { name: 'Lettre d’information' }).waitFor();
    expect(await documents.getByRole('button', { name: 'Récépissé pour la personne' }).count()).toBe(0);
    // The proposal: everything the cellule allows is ticked; the referrer keeps the health sector
    // (identity and health) and the landlord (identity) only.
    const proposal = documents.getByRole('group', { name: 'Ce que vous proposez à la personne de partager, et avec qui' });
    const boxes = proposal.getByRole('checkbox');
    expect(await boxes.count()).toBe(21);
    const kept = [
      'Identité de la personne — Santé (CMP, hôpital, médecin)',
      'Éléments de santé — Santé (CMP, hôpital, médecin)',
      'Identité de la personne — Logement (bailleur)',
    ];
    for (let i = 0; i < 21; i++) {
      const box = boxes.nth(i);
      expect(await box.isChecked()).toBe(true);
      if (!kept.includes((await box.getAttribute('aria-label'))!)) await box.uncheck({ force: true });
    }
    await checkScreen(page, '90-transparence-lettre');
    const letter = await downloadText(page, 'Lettre d’information');
    expect(letter.name).toBe(`lettre-information-${situation.reference}.pdf`);
    expect(letter.text).toContain(situation.reference);
    expect(letter.text).toContain('Qui verra quoi ?');
    expect(letter.text).toContain('Les soignants (par exemple le centre médico-psychologique, le médecin) : votre identité');
    expect(letter.text).toContain('Le bailleur (l’organisme qui loue le logement) : votre identité (nom, prénom, adresse, téléphone).');
    expect(letter.text).not.toContain('votre situation sociale');
    expect(letter.text).not.toContain('services de la mairie');
    for (const value of NAMES) expect(letter.text).not.toContain(value);
    await expect.poll(() => documents.getByText(/Le formulaire de consentement partira de ce que vous avez proposé/).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Elle accepte le partage décrit ci-dessous').check();
    await dialog.getByLabel('Elle a répondu par écrit').check();
    // The form starts from the letter's proposal; the person refused the landlord.
    await dialog.getByText(/Cochée comme la proposition de la lettre/).waitFor();
    for (const label of kept) expect(await dialog.getByLabel(label).isChecked()).toBe(true);
    expect(await dialog.getByLabel('Situation sociale — Action sociale (CCAS, service social)').isChecked()).toBe(false);
    await dialog.getByLabel('Identité de la personne — Logement (bailleur)').uncheck({ force: true });
    await checkScreen(page, '90b-transparence-consentement-depuis-lettre');
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => page.getByText(/^Consentement valable jusqu’au/).isVisible()).toBe(true);
    await documents.getByRole('button', { name: 'Récépissé pour la personne' }).waitFor();
    expect(await documents.getByRole('button', { name: 'Lettre d’information' }).count()).toBe(0);
    await expect.poll(() => documents.getByText(/le code du récépissé précédent ne marche plus/).isVisible()).toBe(true);

    const receipt = await downloadText(page, 'Récépissé pour la personne');
    expect(receipt.name).toBe(`recepisse-${situation.reference}.pdf`);
    expect(receipt.text).toContain('Soin : votre identité');
    expect(receipt.text).not.toContain('Logement (bailleur)');
    for (const value of NAMES) expect(receipt.text).not.toContain(value);
    code = CODE.exec(receipt.text)![1];
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .getByText(/Son code remplace celui des récépissés précédents/)
          .isVisible(),
      )
      .toBe(true);
    // The pointer leaves the button it clicked: its hover colour is not what the page shows at rest.
    await page.mouse.move(0, 0);
    await checkScreen(page, '91-transparence-recepisse');
    await expectNothingLeaks(referrer, []);
    expect(pageErrors(referrer)).toEqual([]);
  });

  it('an anonymous visitor: a wrong code is refused; the right one shows organisations and dates, nothing else', async () => {
    const { page } = visitor;
    await page.goto('/app/transparence');
    await page.getByRole('heading', { level: 1, name: 'Qui a lu mon dossier ?' }).waitFor();
    await checkScreen(page, '92-transparence-formulaire');

    await page.getByLabel('Référence de votre situation').fill(situation.reference);
    await page.getByLabel('Code du récépissé').fill('AAAA-BBBB-CCCC-DDDD-EEEE');
    await page.getByRole('button', { name: 'Voir qui a lu mon dossier' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .getByText(/ne correspondent pas/)
          .isVisible(),
      )
      .toBe(true);
    await checkScreen(page, '93-transparence-refus');

    await page.getByLabel('Code du récépissé').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Voir qui a lu mon dossier' }).click();
    await page.getByRole('heading', { level: 2, name: 'Qui a lu votre dossier' }).waitFor();
    const table = page.getByRole('table', { name: 'Services qui ont lu votre dossier, et quand' });
    await expect.poll(() => table.getByRole('rowheader', { name: /CCAS/ }).first().isVisible()).toBe(true);
    await expect
      .poll(() =>
        table
          .getByRole('rowheader', { name: /Coordination/ })
          .first()
          .isVisible(),
      )
      .toBe(true);
    await expect.poll(() => page.getByText(/^Votre accord est valable jusqu’au/).isVisible()).toBe(true);
    await checkScreen(page, '94-transparence-reponse');
    // No person's name, no professional's name or email.
    await expectNotOnPage(page, [...NAMES, world.referrer.displayName, world.coordinator.displayName, world.referrer.email, world.coordinator.email]);
    expect(pageErrors(visitor, [404])).toEqual([]);
  });
});
