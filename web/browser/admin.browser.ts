import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, expectNothingLeaks, launchBrowser, openContext, signIn, type Person } from './browser';

/**
 * The administrator's journey: sign in, create an organisation (its sector explained), create an
 * account for it — the server's refusal of two roles one account may not hold (administration
 * and a role that reads situations) shown on the roles — hand over its temporary password, then
 * disable the account, which can no longer sign in.
 */
const ORGANISATION = 'Association Entraide Val-Fictif';
const ACCOUNT = { displayName: 'Sam Bénévole', email: 'sam.benevole@val-fictif.test' };

describe('admin in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let admin: Person;
  let password = '';

  const nav = (name: string) => admin.page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name, exact: true });

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in to a home page of the directory', async () => {
    const { page } = admin;
    await signIn(page, world.admin, world.admin.password);
    await page.getByRole('heading', { name: 'Administration', level: 2 }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Comptes', exact: true }).count()).toBeGreaterThan(0);
    await checkScreen(page, 'admin-01-accueil');
  });

  it('lists the territories', async () => {
    const { page } = admin;
    await nav('Territoires').click();
    await page.getByRole('heading', { level: 1, name: 'Territoires' }).waitFor();
    await expect.poll(() => page.getByRole('rowheader', { name: 'CLSM de Val-Fictif (tests navigateur)' }).isVisible()).toBe(true);
    await checkScreen(page, 'admin-02-territoires');
  });

  it('reads the regional report: every territory, or those ticked, counts from 1 to 4 masked, a zero shown as 0', async () => {
    const { page } = admin;
    await nav('Rapport régional').click();
    await page.getByRole('heading', { level: 1, name: `Rapport régional ${new Date().getFullYear()}` }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Chiffres clés' }).waitFor();
    await expect.poll(() => page.getByText(/^\d+ territoires? : /).isVisible()).toBe(true);
    await page.getByRole('checkbox', { name: 'CLSM de Val-Fictif (tests navigateur)' }).check();
    await expect.poll(() => page.getByText('1 territoire : CLSM de Val-Fictif (tests navigateur).').isVisible()).toBe(true);
    await page.getByRole('heading', { level: 2, name: 'Ce qui bloque' }).waitFor();
    await checkScreen(page, 'admin-02b-rapport-regional');
    // The download link is the server's CSV of the same figures, with the browser's session.
    const csv = await page.request.get(`${world.url}${await page.getByRole('link', { name: 'Télécharger le tableau (CSV)' }).getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('Territoires réunis dans ce rapport;CLSM de Val-Fictif (tests navigateur);1');
    // Each key figure as the server publishes it: « moins de 5 » for 1 to 4 only, a zero says 0 (policies/statistics.yaml).
    const query = new URL(csv.url()).search.replace(/[?&]format=csv/, '').replace(/^&/, '?');
    const figures = (await (await page.request.get(`${world.url}/stats/regional${query}`)).json()) as {
      total: number | string;
      examined: Record<'new' | 'again' | 'examinations', number | string>;
      consents: Record<'refused' | 'withdrawn', number | string>;
      actions: { done: number | string; blocked: number | string };
    };
    const expected: [string, number | string][] = [
      ['Saisines reçues', figures.total],
      ['Situations examinées pour la première fois', figures.examined.new],
      ['Situations déjà examinées une année précédente', figures.examined.again],
      ['Examens en séance', figures.examined.examinations],
      ['Refus de consentement', figures.consents.refused],
      ['Retraits de consentement', figures.consents.withdrawn],
      ['Actions réalisées', figures.actions.done],
      ['Actions bloquées', figures.actions.blocked],
    ];
    expect(expected.filter(([, v]) => v === 0).length).toBeGreaterThan(0);
    for (const [label, value] of expected) {
      const shown = await page
        .locator('dl.key-figures > div')
        .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
        .locator('dd')
        .textContent();
      expect({ label, shown }).toEqual({ label, shown: value === 'suppressed' ? 'moins de 5' : String(value) });
    }
  });

  it('creates an organisation, each sector explained in one sentence', async () => {
    const { page } = admin;
    await nav('Organisations').click();
    await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor();
    await page.getByRole('combobox', { name: 'Territoire' }).click();
    await page.getByRole('option', { name: 'CLSM de Val-Fictif (tests navigateur)' }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: 'CMP Les Peupliers' }).isVisible()).toBe(true);
    await page.getByLabel('Nom de l’organisation').fill(ORGANISATION);
    const associations = page.getByRole('radio', { name: 'Associations' });
    expect(await associations.getAttribute('aria-describedby')).toBeTruthy();
    await associations.check();
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `L’organisation « ${ORGANISATION} » est créée` })
          .isVisible(),
      )
      .toBe(true);
    await expect.poll(() => page.getByRole('rowheader', { name: ORGANISATION }).isVisible()).toBe(true);
    await checkScreen(page, 'admin-03-organisations');
  });

  it('creates an account: the server refuses two roles one account may not hold, on the roles; then it is created', async () => {
    const { page } = admin;
    await nav('Comptes').click();
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Créer un compte' }).waitFor();
    await page.getByLabel('Nom affiché').fill(ACCOUNT.displayName);
    await page.getByLabel('Adresse électronique').fill(ACCOUNT.email);
    await page.getByRole('combobox', { name: 'Organisation' }).click();
    await page.getByRole('option', { name: new RegExp(`^${ORGANISATION}`) }).click();
    // An administrator who would also read situations: the separation of duties forbids it.
    await page.getByRole('checkbox', { name: 'Membre de la cellule' }).check();
    await page.getByRole('checkbox', { name: 'Administration' }).check();
    await page.getByRole('radio', { name: 'Aucune de ces catégories' }).check();
    await page.getByRole('button', { name: 'Générer' }).click();
    password = await page.getByLabel('Mot de passe', { exact: true }).inputValue();
    expect(password).toMatch(/^\S{4}-\S{4}-\S{4}-\S{4}$/);
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    const roles = page.getByRole('group', { name: 'Rôles' });
    await expect.poll(() => roles.getByText(/Un même compte ne peut pas être à la fois « Membre de la cellule » et « Administration »/).isVisible()).toBe(true);
    await roles.scrollIntoViewIfNeeded();
    await checkScreen(page, 'admin-04-compte-refus-des-roles');

    // Cunningham draws its check mark over a checked box: the click goes through it to the box.
    await page.getByRole('checkbox', { name: 'Administration' }).uncheck({ force: true });
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    const created = page.getByRole('status').filter({ hasText: `Le compte de ${ACCOUNT.displayName} est créé.` });
    await expect.poll(() => created.isVisible()).toBe(true);
    expect(await created.textContent()).toContain(password);
    await checkScreen(page, 'admin-05-compte-cree');
    // The account exists and its password is the one shown.
    const login = await fetch(`${world.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ACCOUNT.email, password }),
    });
    expect(login.status).toBe(200);
  });

  it('disables the account: it can no longer sign in, and the list says so', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Voir ce compte' }).click();
    await page.getByRole('heading', { level: 1, name: ACCOUNT.displayName }).waitFor();
    await page.getByRole('button', { name: 'Désactiver le compte' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Désactiver', exact: true }).click();
    await expect.poll(() => page.getByText('Le compte est désactivé : il ne peut plus se connecter').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Réactiver le compte' }).isVisible()).toBe(true);
    await checkScreen(page, 'admin-06-compte-desactive');
    const login = await fetch(`${world.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ACCOUNT.email, password }),
    });
    expect(login.status).toBe(401);

    await page.getByRole('link', { name: '← Tous les comptes' }).click();
    await page.getByRole('tab', { name: /^Désactivés/ }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: ACCOUNT.displayName }).isVisible()).toBe(true);
    await checkScreen(page, 'admin-07-comptes-desactives');
    await expectNothingLeaks(admin, [password]);
    expect(admin.console.filter((line) => /^(error|pageerror)/.test(line) && !/status of (400|401)/.test(line))).toEqual([]);
  });
});
