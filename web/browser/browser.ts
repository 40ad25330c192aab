import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { credentialsOf, nextCode, remember, settled } from './credentials';
import type { Account, World } from './seed';
import { PASSWORD } from './seed';
import { ROOT } from './server';

/**
 * The browser side of the harness: Debian's Chromium driven by playwright-core (no browser is
 * downloaded), one context per person, every console message kept, axe-core and a screenshot on
 * each screen.
 */
export const SCREENSHOTS = path.join(ROOT, 'test-results');

export function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(
      `No Chromium at ${candidate}. Install Debian's: apt-get update && apt-get install -y chromium (as root), or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
  return candidate;
}

export function launchBrowser(): Promise<Browser> {
  // playwright-core gives each launch a new, empty profile (user-data-dir) of its own.
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Every console message and page error, as `type: text`. */
  console: string[];
}

export async function openContext(browser: Browser, world: World, options: { clock?: boolean } = {}): Promise<Person> {
  const context = await browser.newContext({ baseURL: world.url, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } });
  if (options.clock) await context.clock.install();
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => console.push(`pageerror: ${error.message}`));
  // Which request a refusal answered (paths hold ids, never a name), for a failing test's message.
  page.on('response', (response) => {
    if (response.status() >= 400) console.push(`http: ${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return { context, page, console };
}

/**
 * Signs in as the account's owner would, through every step the server asks: the password in
 * force; a new one when it is temporary; the second factor — enrolled the first time (the key is
 * read off the screen, as a person types it into an authenticator app), then a code.
 */
export async function signIn(page: Page, account: Pick<Account, 'email'>, password = PASSWORD, options: { screens?: string } = {}): Promise<void> {
  const entry = credentialsOf(account.email, password);
  /** Each step's screen is checked (axe-core, screenshot) when the caller names them. */
  const check = async (step: string) => {
    if (options.screens) await checkScreen(page, `${options.screens}-${step}`);
  };
  await page.goto('/app/connexion');
  await page.getByLabel('Adresse électronique').fill(account.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(entry.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const signedIn = page.getByRole('button', { name: 'Se déconnecter' });
  const newPassword = page.getByRole('heading', { name: 'Nouveau mot de passe' });
  const secondFactor = page.getByRole('heading', { name: 'Second facteur' });
  for (let steps = 0; steps < 4; steps++) {
    await signedIn.or(newPassword).or(secondFactor).first().waitFor();
    if (await signedIn.isVisible()) return;
    if (await newPassword.isVisible()) {
      await check('nouveau-mot-de-passe');
      const chosen = settled(entry.password);
      await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(chosen);
      await page.getByLabel('Confirmez le nouveau mot de passe').fill(chosen);
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
      entry.password = chosen;
      remember(account.email, entry);
      await newPassword.waitFor({ state: 'detached' });
      continue;
    }
    const key = page.getByLabel("Clé à saisir dans l'application");
    if (await key.isVisible()) entry.secret = (await key.innerText()).replace(/\s+/g, '');
    await check(entry.lastStep === undefined ? 'second-facteur-enrolement' : 'second-facteur');
    await page.getByLabel('Code à 6 chiffres').fill(await nextCode(account.email, entry));
    await page.getByRole('button', { name: 'Valider' }).click();
    await signedIn.or(newPassword).waitFor();
  }
  await signedIn.waitFor();
}

/**
 * A screen as a person sees it: no serious or critical axe-core violation (WCAG 2.1 A and AA
 * rules), and a full-page screenshot under test-results/ for review.
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = (list: typeof results.violations) =>
    list.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (results.violations.length > blocking.length)
    console.log(`${name}: minor axe findings\n  ${described(results.violations.filter((v) => !blocking.includes(v))).join('\n  ')}`);
  expect(described(blocking), `axe-core on ${name}`).toEqual([]);
}

/**
 * Milliseconds from the navigation's start until the page marks `mark` (performance.mark, set by
 * the screen once it can be used), measured by the page's own clock; with the timings behind it.
 */
export async function timeToUsable(page: Page, url: string, mark: string): Promise<{ ms: number; detail: string }> {
  await page.goto(url);
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, mark);
  return page.evaluate((name) => {
    const ms = performance.getEntriesByName(name)[0].startTime;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((r) => r.startTime < ms)
      .map((r) => `${new URL(r.name).pathname.replace(/^\/app\/assets\//, '')} ${r.startTime.toFixed(0)}→${r.responseEnd.toFixed(0)}`);
    return {
      ms,
      detail: `html ${nav.responseEnd.toFixed(0)} ms, DOMContentLoaded ${nav.domContentLoadedEventEnd.toFixed(0)} ms; ${resources.join(', ')}`,
    };
  }, mark);
}

/** Values that must never leave the screen: not in the URL, the title, the storage or the console. */
export async function expectNothingLeaks(person: Person, values: string[]): Promise<void> {
  const { page } = person;
  const storage = await page.evaluate(() => ({
    local: Object.entries(localStorage),
    session: Object.entries(sessionStorage),
    cookie: document.cookie,
  }));
  expect(storage).toEqual({ local: [], session: [], cookie: '' });
  const places = { url: page.url(), title: await page.title(), console: person.console.join('\n') };
  for (const value of values) {
    for (const [where, text] of Object.entries(places)) expect(text.toLowerCase().includes(value.toLowerCase()), `${value} in the ${where}`).toBe(false);
  }
}

/** Values this person must not see: nowhere in the page's text (what is released is decided by the server; this checks the screen). */
export async function expectNotOnPage(page: Page, values: string[]): Promise<void> {
  const text = (await page.locator('body').innerText()).toLowerCase();
  for (const value of values) expect(text.includes(value.toLowerCase()), `« ${value} » is on the screen at ${page.url()}`).toBe(false);
}

/** The console lines that are errors of the page (the browser's own lines for expected 4xx answers excepted). */
export function pageErrors(person: Person, expectedStatuses: number[] = []): string[] {
  const expected = new RegExp(`Failed to load resource: the server responded with a status of (${[401, ...expectedStatuses].join('|')})`);
  const refused = person.console.filter(
    (line) => line.startsWith('http: ') && !expectedStatuses.includes(Number(line.split(' ')[1])) && !line.startsWith('http: 401'),
  );
  return [...person.console.filter((line) => /^(error|pageerror)/.test(line) && !expected.test(line)), ...refused];
}
