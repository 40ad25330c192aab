import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Api } from './seed';
import { checkScreen, expectNothingLeaks, launchBrowser, openContext, signIn, timeToUsable, type Person } from './browser';

/**
 * The referrer's journey: sign in, write a referral (the leak guard's refusal shown on the field),
 * find it in "mes situations", open it, send it, record the person's consent once the coordination
 * accepted it, sign out. Every screen passes axe-core and is photographed.
 */
const PERSON = { lastName: 'Zéphyrin-Quatremare', firstName: 'Anatole', birthDate: '14/03/1957', phone: '06 12 34 56 78' };

describe('referrer in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let referrer: Person;

  beforeAll(async () => {
    browser = await launchBrowser();
    referrer = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows a usable sign-in screen in under a second from navigation start', async () => {
    const { page } = referrer;
    // The first navigation of a new browser fills its caches; the figure is the median of the
    // three that follow, as a person coming back to the workspace meets it.
    const cold = await timeToUsable(page, '/app', 'cellule:sign-in-usable');
    console.log(`First visit (empty caches): sign-in usable ${cold.ms.toFixed(0)} ms after navigation start (${cold.detail})`);
    const runs: { ms: number; detail: string }[] = [];
    for (let i = 0; i < 3; i++) runs.push(await timeToUsable(page, '/app', 'cellule:sign-in-usable'));
    runs.sort((a, b) => a.ms - b.ms);
    console.log(`First screen (sign-in) usable ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms after navigation start; median run: ${runs[1].detail}`);
    expect(runs[1].ms).toBeLessThan(1000);
    expect(page.url()).toBe(`${world.url}/app/connexion`);
    await checkScreen(page, '01-connexion');
  });

  it('refuses a wrong password with one message, then signs in', async () => {
    const { page } = referrer;
    await page.getByLabel('Adresse électronique').fill(world.referrer.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Adresse électronique ou mot de passe incorrect.');
    await checkScreen(page, '02-connexion-refusee');
    const start = Date.now();
    // The first sign-in: the temporary password replaced, the second factor enrolled.
    await signIn(page, world.referrer, undefined, { screens: '02' });
    await page.getByRole('heading', { level: 1, name: 'Bonjour Camille Référente' }).waitFor();
    console.log(`Sign-in to the home page shown in ${Date.now() - start} ms`);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes situations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes situations' }).waitFor();
    await expect.poll(() => page.getByText('Rien ne vous attend').isVisible()).toBe(true);
    await checkScreen(page, '03-mes-situations-vide');
    const cookies = await referrer.context.cookies();
    expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite }))).toEqual([
      { name: '__Host-cellule-session', httpOnly: true, secure: true, sameSite: 'Strict' },
    ]);
  });

  it('writes a referral: the leak guard’s refusal lands on the field, then the draft is saved', async () => {
    const { page } = referrer;
    await page.getByRole('link', { name: 'Nouvelle saisine' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Nouvelle saisine' }).waitFor();
    await checkScreen(page, '04-saisine-vide');
    await page.getByLabel('Nom', { exact: true }).fill(PERSON.lastName);
    await page.getByLabel('Prénom', { exact: true }).fill(PERSON.firstName);
    await page.getByLabel('Date de naissance').fill(PERSON.birthDate);
    await page.getByLabel('Téléphone (facultatif)').fill(PERSON.phone);
    await page.getByRole('combobox', { name: "Tranche d'âge" }).click();
    await page.getByRole('option', { name: '60 à 69 ans' }).click();
    await page.getByRole('combobox', { name: 'Composition du foyer' }).click();
    await page.getByRole('option', { name: 'Vit seule' }).click();
    await page.getByLabel('Quartier').fill('Quartier des Tilleuls');
    await page.getByLabel('Logement (impayés, risque d’expulsion, insalubrité)').check();
    await page.getByLabel('Rupture ou continuité des soins').check();
    await page.getByLabel('La question posée à la cellule').fill('Comment éviter une expulsion et renouer le lien avec le soin ?');
    // The person's phone in the pseudonymised narrative: the server's leak guard refuses it.
    await page.getByLabel('Récit de la situation (facultatif)').fill(`Personne seule, joignable au ${PERSON.phone} le matin.`);
    await page.getByLabel('Ce qui a déjà été tenté (facultatif)').fill('Visites à domicile, courriers du bailleur');
    await page.getByRole('group', { name: 'Un enfant mineur vit-il dans le foyer ?' }).getByLabel('Non').check();
    await page.getByRole('group', { name: 'La situation demande-t-elle une intervention en urgence ?' }).getByLabel('Non').check();
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    const narrative = page.getByLabel('Récit de la situation (facultatif)');
    await expect.poll(() => narrative.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Ce texte contient un numéro de téléphone.');
    await narrative.scrollIntoViewIfNeeded();
    await checkScreen(page, '05-saisine-refus-du-garde-fou');
    await narrative.fill('Personne seule, en rupture de soins, impayés de loyer, voisinage inquiet.');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByRole('heading', { level: 1, name: /^Situation CAS-\d{4}-\d{4}$/ }).waitFor();
    await expect.poll(() => page.getByText('La fiche est enregistrée comme brouillon').isVisible()).toBe(true);
    await checkScreen(page, '06-situation-brouillon');
    await expectNothingLeaks(referrer, Object.values(PERSON));
  });

  it('finds the draft under "à traiter", sends it, and finds it under "en cours"', async () => {
    const { page } = referrer;
    const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Situation ', '');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes situations' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'À traiter (1)' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('link', { name: reference }).click();
    await page.getByRole('button', { name: 'Envoyer la saisine' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => page.getByText('Saisine envoyée', { exact: true }).first().isVisible()).toBe(true);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes situations' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'En cours (1)' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByRole('link', { name: reference }).isVisible()).toBe(true);
    await checkScreen(page, '07-mes-situations-en-cours');
    await page.getByRole('link', { name: reference }).click();
    await page.getByRole('tab', { name: 'Historique' }).click();
    await expect.poll(() => page.getByText('Envoyer la saisine →').isVisible()).toBe(true);
    await checkScreen(page, '08-situation-historique');
  });

  it('records the consent once the coordination accepted the referral; the banner says scope, expiry and how to withdraw', async () => {
    const { page } = referrer;
    const id = page.url().split('/situations/')[1].split('?')[0];
    const coordinator = await Api.as(world.url, world.coordinator.email);
    const { version } = await coordinator.call<{ version: number }>('GET', `/cases/${id}`);
    await coordinator.call('POST', `/cases/${id}/events`, { type: 'ACCEPT', expectedVersion: version }, 200);
    await page.reload();
    await expect.poll(() => page.getByText('Consentement pas encore recueilli').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Elle accepte le partage décrit ci-dessous').check();
    await dialog.getByLabel('Elle a répondu par écrit').check();
    await dialog.getByLabel('Identité de la personne — Santé (CMP, hôpital, médecin)').check();
    await dialog.getByLabel('Éléments de santé — Santé (CMP, hôpital, médecin)').check();
    await dialog.getByLabel('Identité de la personne — Logement (bailleur)').check();
    await checkScreen(page, '09-consentement');
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => page.getByText(/^Consentement valable jusqu’au/).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Prête pour l'examen", { exact: true }).first().isVisible()).toBe(true);
    await checkScreen(page, '10-situation-consentement-recueilli');
  });

  it('finds the situation on the home page: under its tab with a counter, and among those opened lately', async () => {
    const { page } = referrer;
    const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Situation ', '');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Accueil' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bonjour Camille Référente' }).waitFor();
    await expect.poll(() => page.getByRole('tab', { name: 'En cours (1)' }).getAttribute('aria-selected')).toBe('true');
    const recent = page.getByRole('region', { name: 'Consultées récemment' });
    await expect.poll(() => recent.getByRole('link', { name: reference }).isVisible()).toBe(true);
    await checkScreen(page, '13-accueil-referent');
    await recent.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { level: 1, name: `Situation ${reference}` }).waitFor();
    await expect.poll(() => page.getByText(/^Vous êtes le référent de cette situation : tant qu’elle est conservée/).isVisible()).toBe(true);
  });

  it('keeps the session over a reload without any token in reach of scripts, then signs out', async () => {
    const { page } = referrer;
    await page.reload();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await expectNothingLeaks(referrer, Object.values(PERSON));
    // No script error and no CSP refusal; the browser's own lines for the expected 401 (before
    // sign-in) and 422 (the leak guard) are not errors of the page.
    expect(
      referrer.console.filter(
        (line) => /^(error|pageerror)/.test(line) && !/Failed to load resource: the server responded with a status of (401|422)/.test(line),
      ),
    ).toEqual([]);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(() => page.getByText('Vous êtes déconnecté.').isVisible()).toBe(true);
    await page.goto('/app/mes-situations');
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(await referrer.context.cookies()).toEqual([]);
  });
});
