import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, launchBrowser, openContext, type Person } from './browser';
import { Api } from './seed';
import { SCREENSHOTS } from './browser';
import path from 'node:path';

/**
 * Sign-in with ProConnect (issue 16), through the provider's own sign-in page (the test provider
 * of global-setup.ts): an agent of the town follows the invitation their administrator sent,
 * signs in at ProConnect, comes back signed in without a password or a code (a strong
 * authentication at the provider), and signs out of both. An identity without an account reads
 * « Demandez à votre coordinateur ».
 */
describe('ProConnect in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let agent: Person;

  beforeAll(async () => {
    browser = await launchBrowser();
    agent = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the ProConnect button above the local form', async () => {
    const { page } = agent;
    await page.goto('/app/connexion');
    const button = page.getByRole('link', { name: /S’identifier avec\s*ProConnect/ });
    await button.waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Qu’est-ce que ProConnect ?' }).getAttribute('target')).toBe('_blank');
    // Above the form: the button comes before the email field.
    const [buttonBox, emailBox] = [await button.boundingBox(), await page.getByLabel('Adresse électronique').boundingBox()];
    expect(buttonBox!.y).toBeLessThan(emailBox!.y);
    await checkScreen(page, 'oidc-01-connexion');
  });

  it('an invited agent links their identity at ProConnect and is signed in', async () => {
    const admin = await Api.as(world.url, world.admin.email, world.admin.password);
    const invitation = await admin.call<{ link: string }>('POST', `/users/${world.town.id}/oidc-invitations`, { kind: 'invitation' }, 201);
    const { page } = agent;
    const link = new URL(invitation.link);
    await page.goto(link.pathname + link.hash);
    await page.getByRole('heading', { level: 1, name: 'Associer votre identité professionnelle' }).waitFor();
    await checkScreen(page, 'oidc-02-invitation');
    await page.getByRole('link', { name: /S’identifier avec\s*ProConnect/ }).click();
    // The provider's sign-in page.
    await page.getByRole('heading', { name: 'ProConnect (test)' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'oidc-03-fournisseur.png'), fullPage: true });
    await page.getByLabel('Identifiant').fill('agent.mairie');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // Back in Cellule, signed in as the town's agent, no password and no code asked.
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(page.url()).toContain(`${world.url}/app/`);
    await checkScreen(page, 'oidc-04-connecte');
    expect((await agent.context.cookies()).map((c) => c.name)).toContain('__Host-cellule-session');
  });

  it('signs out of Cellule and of ProConnect', async () => {
    const { page } = agent;
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Vous êtes déconnecté, de Cellule et de votre fournisseur d’identité.').waitFor();
    // Back on Cellule's page the provider was given (it adds the `state` Cellule sent it).
    const back = new URL(page.url());
    expect(`${back.origin}${back.pathname}`).toBe(`${world.url}/app/connexion`);
    expect(back.searchParams.get('deconnexion')).toBe('1');
    await checkScreen(page, 'oidc-05-deconnecte');
    expect((await agent.context.cookies()).map((c) => c.name)).not.toContain('__Host-cellule-session');
  });

  it('an identity with no account is told to ask the coordinator, and nothing else', async () => {
    const { page } = agent;
    await page.goto('/app/connexion');
    await page.getByRole('link', { name: /S’identifier avec\s*ProConnect/ }).click();
    await page.getByLabel('Identifiant').fill('agent.inconnu');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Aucun compte n’est associé à cette identité' }).waitFor();
    await expect.poll(() => page.getByText('Demandez à votre coordinateur').isVisible()).toBe(true);
    await checkScreen(page, 'oidc-06-sans-compte');
  });
});
