import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, launchBrowser, openContext, SCREENSHOTS, type Person } from './browser';
import { Api } from './seed';

/**
 * Sign-in with Pro Santé Connect (issue 16), through the provider's own sign-in page (the test
 * provider of global-setup.ts): the psychiatrist of the CMP, whose profession the administrator
 * declared, follows the invitation, signs in with a CPS card (a strong authentication: no password,
 * no code), and reads on « Mon compte » that the profession is now proven by Pro Santé Connect —
 * the RPPS's, not the one typed by the administrator; the administrator sees the RPPS number on
 * the account's page.
 */
describe('Pro Santé Connect in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let doctor: Person;

  beforeAll(async () => {
    browser = await launchBrowser();
    doctor = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the Pro Santé Connect button with the ProConnect one above the local form', async () => {
    const { page } = doctor;
    await page.goto('/app/connexion');
    await page.getByRole('link', { name: 'S’identifier avec Pro Santé Connect' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Qu’est-ce que Pro Santé Connect ?' }).getAttribute('target')).toBe('_blank');
    await checkScreen(page, 'psc-01-connexion');
  });

  it('a health professional signs in at Pro Santé Connect and reads the proven profession on « Mon compte »', async () => {
    const admin = await Api.as(world.url, world.admin.email, world.admin.password);
    const invitation = await admin.call<{ link: string }>('POST', `/users/${world.psychiatrist.id}/oidc-invitations`, { kind: 'invitation' }, 201);
    const { page } = doctor;
    const link = new URL(invitation.link);
    await page.goto(link.pathname + link.hash);
    await page.getByRole('heading', { level: 1, name: 'Associer votre identité professionnelle' }).waitFor();
    await page.getByRole('link', { name: 'S’identifier avec Pro Santé Connect' }).click();
    // The provider's sign-in page (a CPS card or the e-CPS app at the real one).
    await page.getByRole('heading', { name: 'Pro Santé Connect (test)' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'psc-02-fournisseur.png'), fullPage: true });
    await page.getByLabel('Identifiant').fill('ps.medecin');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // Back in Cellule, signed in without a password or a code (eidas3 at the provider).
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(page.url()).toContain(`${world.url}/app/`);
    await page.getByRole('link', { name: 'Mon compte' }).click();
    const profession = page.getByRole('region', { name: 'Profession' });
    await expect.poll(() => profession.textContent()).toContain('Médecin — prouvée par Pro Santé Connect');
    await checkScreen(page, 'psc-03-mon-compte');
  });

  it("the administrator reads the RPPS and the proven profession on the account's page", async () => {
    const admin = await Api.as(world.url, world.admin.email, world.admin.password);
    const identities = await admin.call<{ rpps: string | null; professionSource: string; items: { provider: string }[] }>(
      'GET',
      `/users/${world.psychiatrist.id}/oidc-identities`,
    );
    expect(identities).toMatchObject({ rpps: '10101234567', professionSource: 'prosanteconnect' });
    expect(identities.items.map((i) => i.provider)).toEqual(['psc']);
  });
});
