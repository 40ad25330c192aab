import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen, expectNothingLeaks, expectNotOnPage, launchBrowser, openContext, pageErrors, signIn, type Person } from './browser';
import { Fixtures, HEALTH_TEXT, SOCIAL_TEXT, type Situation } from './fixtures';

/**
 * Notifications (issue 13): a referral the referrer sends appears in the coordinator's
 * notifications — the header's counter, the list (unread first), the link to the screening of
 * that referral, read once opened — and the coordinator chooses a daily digest by email on their
 * account page, which says the hour it goes. No name anywhere: a notification holds a kind, a reference and a date.
 */
const HORTENSE = { lastName: 'Valdebrune', firstName: 'Hortense', birthDate: '1962-09-21', phone: '06 71 82 93 04' };
const SECRETS = [HORTENSE.lastName, HORTENSE.firstName, HORTENSE.phone, HEALTH_TEXT, SOCIAL_TEXT];

describe('notifications in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let coordinator: Person;
  let fx: Fixtures;
  let hortense: Situation;

  beforeAll(async () => {
    fx = await Fixtures.of(world);
    browser = await launchBrowser();
    coordinator = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a referral the referrer sends shows in the coordinator’s counter and list, and leads to its screening', async () => {
    const { page } = coordinator;
    await signIn(page, world.coordinator);
    const bell = page.getByRole('link', { name: /^Notifications, / });
    await bell.waitFor();
    const before = Number((await bell.getAttribute('aria-label'))!.match(/\d+/)?.[0] ?? 0);
    // Sent by the referrer (through the API) while the coordinator works: the counter follows when the list is opened.
    hortense = await fx.submitted(HORTENSE);
    await bell.click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const sentence = `Nouvelle saisine à examiner : la situation ${hortense.reference}.`;
    const link = page.getByRole('link', { name: sentence, exact: true });
    await link.waitFor();
    await expect.poll(async () => (await bell.getAttribute('aria-label')) ?? '').toBe(`Notifications, ${before + 1} non lue${before + 1 > 1 ? 's' : ''}`);
    // Unread first, newest first: the new referral heads the list.
    expect(await page.getByRole('main').getByRole('listitem').first().getByRole('link').textContent()).toBe(sentence);
    await expectNotOnPage(page, SECRETS);
    await checkScreen(page, '90-notifications-non-lues');

    await link.click();
    await page.getByRole('heading', { level: 1, name: `Saisine ${hortense.reference}` }).waitFor();
    await expect
      .poll(async () => (await bell.getAttribute('aria-label')) ?? '')
      .toBe(before ? `Notifications, ${before} non lue${before > 1 ? 's' : ''}` : 'Notifications, aucune non lue');
    await bell.click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const item = page
      .getByRole('main')
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: sentence, exact: true }) });
    await expect.poll(() => item.getByRole('button', { name: /Marquer comme lue/ }).count()).toBe(0);
    if (before > 0) {
      await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
      await expect.poll(() => page.getByText('Tout est lu.').isVisible()).toBe(true);
    }
    await expect.poll(async () => (await bell.getAttribute('aria-label')) ?? '').toBe('Notifications, aucune non lue');
    await checkScreen(page, '91-notifications-lues');
  });

  it('chooses a daily digest by email on the account page', async () => {
    const { page } = coordinator;
    await page.getByRole('banner').getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    // The digest says when it goes: the server's NOTIFICATION_DIGEST_HOUR (8 by default), Paris time.
    const digest = page.getByLabel(/^Un résumé par jour, à 8\sh \(heure de Paris\)$/);
    await digest.waitFor();
    expect(await page.getByLabel('Un courriel à chaque notification').isChecked()).toBe(true);
    await digest.check();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Votre choix est enregistré.' }).isVisible()).toBe(true);
    await checkScreen(page, '92-mon-compte-courriels');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    await expect.poll(() => page.getByLabel(/^Un résumé par jour, à 8\sh \(heure de Paris\)$/).isChecked()).toBe(true);
    expect(await page.getByText(/Le résumé part chaque jour à 8\sh \(heure de Paris\)/).isVisible()).toBe(true);
    await expectNothingLeaks(coordinator, SECRETS);
    expect(pageErrors(coordinator)).toEqual([]);
  });
});
