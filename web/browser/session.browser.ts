import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, launchBrowser, openContext, signIn } from './browser';

/** The idle timeout as a person meets it: a warning first, then the sign-in page saying why. */
describe('session in the browser', () => {
  const world = inject('world');
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('warns before the idle timeout, and signs out when it is reached', async () => {
    const person = await openContext(browser, world, { clock: true });
    const { page } = person;
    await signIn(page, world.referrer);
    // The server's default: 15 minutes; the warning shows in the last 2.
    await page.clock.fastForward('13:05');
    const dialog = page.getByRole('dialog', { name: 'Votre session va se terminer' });
    await dialog.waitFor();
    await checkScreen(page, '11-inactivite-avertissement');
    await dialog.getByRole('button', { name: 'Rester connecté' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.clock.fastForward('15:30');
    await expect.poll(() => page.getByText(/déconnecté après 15 minutes sans activité/).isVisible(), { timeout: 10_000 }).toBe(true);
    await checkScreen(page, '12-connexion-apres-inactivite');
    expect(await person.context.cookies()).toEqual([]);
  });

  it('signs every tab out when one signs out, and they say so', async () => {
    const person = await openContext(browser, world);
    await signIn(person.page, world.referrer);
    const other = await person.context.newPage();
    await other.goto('/app/mes-situations');
    await other.getByRole('heading', { level: 1, name: 'Mes situations' }).waitFor();
    await person.page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(() => other.getByText('Vous êtes déconnecté.').isVisible()).toBe(true);
    expect(other.url()).toBe(`${world.url}/app/connexion`);
    await person.context.close();
  });

  it('protects the workspace with a CSP that allows no inline script', async () => {
    const person = await openContext(browser, world);
    const response = await person.page.goto('/app/connexion');
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // An inline script injected into the page is refused by the browser.
    const ran = await person.page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => person.console.some((line) => /Content Security Policy/.test(line))).toBe(true);
  });
});
