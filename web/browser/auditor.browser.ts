import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Api, PASSWORD } from './seed';
import { checkScreen, expectNothingLeaks, launchBrowser, openContext, signIn, type Person } from './browser';

/**
 * The DPO's journey: sign in, search the access log for one situation by its reference, export
 * what the search selects, verify the chain, draw the situation's access report, read the
 * register. The DPO never sees a situation's content: the person's name appears on no screen.
 */
const PERSON = { lastName: 'Quillebeuf-Arsène', firstName: 'Maëlys', birthDate: '1984-11-02' };

describe('auditor (DPO) in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let dpo: Person;
  let situation: { id: string; reference: string };
  /** Every screen's text, to check that no content of the situation ever reached it. */
  const seen: string[] = [];

  const look = async (name: string) => {
    seen.push((await dpo.page.locator('body').innerText()) + (await dpo.page.content()));
    await checkScreen(dpo.page, name);
  };

  beforeAll(async () => {
    // A referral by a referrer of its own (the referrer's journey counts its situations), sent;
    // the coordination reads it; a member with no tie to it is refused.
    const admin = await Api.as(world.url, world.admin.email, world.admin.password);
    const email = 'referent-dpo@val-fictif.test';
    await admin.call('POST', '/users', {
      email,
      password: PASSWORD,
      displayName: 'Claude Référent',
      organisationId: world.orgs.ccas,
      roles: ['referrer'],
      profession: 'social_worker',
    });
    const referrer = await Api.as(world.url, email);
    const created = await referrer.call<{ id: string; reference: string; version: number }>('POST', '/cases', {
      commissionId: world.commissionId,
      identity: PERSON,
      summary: {
        ageBand: '40-49',
        district: 'Quartier des Aubépines',
        household: 'alone',
        problems: ['isolation', 'care_continuity'],
        question: 'Comment rétablir un suivi ?',
        narrative: 'Personne isolée, suivi interrompu depuis un an, voisinage inquiet.',
        minorInHousehold: false,
        urgent: false,
      },
    });
    situation = created;
    await referrer.call('GET', `/cases/${created.id}`);
    await referrer.call('POST', `/cases/${created.id}/events`, { type: 'SUBMIT', expectedVersion: created.version }, 200);
    await (await Api.as(world.url, world.coordinator.email)).call('GET', `/cases/${created.id}`);
    await (await Api.as(world.url, world.housing.email)).call('GET', `/cases/${created.id}`, undefined, 404);
    browser = await launchBrowser();
    dpo = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in to a home page of the DPO’s tasks', async () => {
    const { page } = dpo;
    await signIn(page, world.auditor);
    await page.getByRole('heading', { level: 1, name: 'Bonjour Alex DPO' }).waitFor();
    await page.getByRole('heading', { name: 'Contrôle et droits des personnes' }).waitFor();
    await look('dpo-01-accueil');
  });

  it('searches the access log by the situation’s reference: who read it, refused or not, with names and words', async () => {
    const { page } = dpo;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Journal des accès' }).click();
    await page.getByRole('heading', { level: 1, name: 'Journal des accès' }).waitFor();
    await page.getByRole('table').waitFor();
    await look('dpo-02-journal');

    await page.getByLabel('Situation (référence)').fill(situation.reference.toLowerCase());
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect.poll(() => page.getByText(`Filtres : situation ${situation.reference}.`).isVisible()).toBe(true);
    const rows = page.getByRole('table').getByRole('row');
    await expect.poll(() => rows.filter({ hasText: 'Dominique Coordination' }).filter({ hasText: 'Consultation de la situation' }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'Jordan Bailleur' }).filter({ hasText: 'Refusé' }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'Claude Référent' }).filter({ hasText: 'Étape : envoyer la saisine' }).count()).toBe(1);
    expect(page.url()).toContain(`situation=${situation.reference}`);
    await look('dpo-03-journal-situation');
  });

  it('exports what the search selects, as CSV and as JSON', async () => {
    const { page } = dpo;
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV (tableur)' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^cellule-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await csv.path())!, 'utf8');
    const [header, ...lines] = text.trim().split('\r\n');
    expect(header).toBe('id,at,actorId,organisationId,territoryId,action,caseId,classes,decision,purpose,requestId,seq,detail');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.every((line) => line.includes(situation.id))).toBe(true);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'JSON' }).click()]);
    const entries = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { caseId: string }[];
    expect(entries.length).toBe(lines.length);
    for (const value of Object.values(PERSON)) expect(text).not.toContain(value);
  });

  it('verifies the chain and says the result in plain words', async () => {
    const { page } = dpo;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Vérification' }).click();
    await page.getByRole('button', { name: 'Vérifier le journal' }).click();
    await expect.poll(() => page.getByText(/^Le journal est intact \(vérifié le/).isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByText(/entrées vérifiées/).isVisible()).toBe(true);
    await look('dpo-04-verification');
  });

  it('draws the access report of the situation: which organisations read what, and when', async () => {
    const { page } = dpo;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Rapport d’accès' }).click();
    await page.getByLabel('Référence de la situation').fill(situation.reference);
    await page.getByRole('button', { name: 'Afficher le rapport' }).click();
    await page.getByRole('heading', { level: 2, name: `Situation ${situation.reference}` }).waitFor();
    const table = page.getByRole('table');
    await expect.poll(() => table.getByRole('rowheader', { name: /CCAS de Val-Fictif/ }).isVisible()).toBe(true);
    await expect.poll(() => table.getByRole('rowheader', { name: /Coordination du CLSM/ }).isVisible()).toBe(true);
    // The member refused is not among those who had access.
    expect(await table.getByText('Val-Fictif Habitat').count()).toBe(0);
    expect(await page.title()).toBe(`Rapport d’accès ${situation.reference} — Cellule`);
    await look('dpo-05-rapport-acces');
  });

  it('reads the register of processing as tables', async () => {
    const { page } = dpo;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Registre' }).click();
    await page.getByRole('heading', { level: 1, name: 'Registre des traitements' }).waitFor();
    await page.getByRole('heading', { name: 'Les flux de données : qui reçoit quoi, quand, à quelle condition' }).waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 3, name: 'La coordination de la cellule du territoire' }).isVisible()).toBe(true);
    await expect
      .poll(() =>
        page
          .getByRole('table', { name: /la coordination de la cellule du territoire/ })
          .getByRole('rowheader')
          .count(),
      )
      .toBeGreaterThan(0);
    await look('dpo-06-registre');
  });

  it('never showed the DPO any content of the situation, nor left it anywhere in the browser', async () => {
    for (const text of seen) for (const value of Object.values(PERSON)) expect(text.includes(value), value).toBe(false);
    await expectNothingLeaks(dpo, Object.values(PERSON));
    // The browser's own line for the expected 401 before sign-in is not an error of the page.
    expect(dpo.console.filter((line) => /^(error|pageerror)/.test(line) && !/status of 401/.test(line))).toEqual([]);
  });
});
