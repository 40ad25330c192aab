import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Api, PASSWORD } from './seed';
import { checkScreen, expectNotOnPage, launchBrowser, openContext, signIn, type Person } from './browser';

/**
 * The DPO applies a person's erasure, objection and rectification from the request's page (issue
 * 15): each request opened from the DPO's home, her situations found from the identity she gave
 * (references only), the measure applied after a confirmation, what was done to each situation
 * and why read on the page, and the request closed with its record. The referrer is told of the
 * rectification; their menu holds no empty « Copies à remettre ».
 */
const ERASED = { lastName: 'Kerbrat-Lisandre', firstName: 'Odile', birthDate: '1966-02-11' };
const OBJECTING = { lastName: 'Montferrand-Audoin', firstName: 'Basile', birthDate: '1971-09-30' };
const RECTIFYING = { lastName: 'Pellerin-Saulx', firstName: 'Josiane', birthDate: '1983-12-05' };
const NARRATIVE = 'Démarches interrompues après un déménagement, relances restées sans suite.';
const TERRITORY = 'CLSM de Val-Fictif (tests navigateur)';

describe('erasure, objection and rectification applied by the DPO in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let dpo: Person;
  let referrerPerson: Person;
  const referrerEmail = 'referent-mesures@val-fictif.test';
  const refs: Record<'erasedClosed' | 'erasedOpen' | 'objecting' | 'rectifying', string> = {
    erasedClosed: '',
    erasedOpen: '',
    objecting: '',
    rectifying: '',
  };

  beforeAll(async () => {
    const admin = await Api.as(world.url, world.admin.email, world.admin.password);
    await admin.call('POST', '/users', {
      email: referrerEmail,
      password: PASSWORD,
      displayName: 'Sacha Référent',
      organisationId: world.orgs.ccas,
      roles: ['referrer'],
      profession: 'social_worker',
    });
    const referrer = await Api.as(world.url, referrerEmail);
    const refer = (identity: object) =>
      referrer.call<{ id: string; reference: string; version: number }>('POST', '/cases', {
        commissionId: world.commissionId,
        identity,
        summary: {
          ageBand: '50-59',
          district: 'Quartier des Tilleuls',
          household: 'alone',
          problems: ['isolation'],
          question: 'Comment reprendre les démarches ?',
          narrative: NARRATIVE,
          minorInHousehold: false,
          urgent: false,
        },
      });
    // Her first referral, turned down at screening (closed): erasable now. Her second, a draft still worked on: kept.
    const closed = await refer(ERASED);
    const sent = await referrer.call<{ version: number }>('POST', `/cases/${closed.id}/events`, { type: 'SUBMIT', expectedVersion: closed.version });
    const coordinator = await Api.as(world.url, world.coordinator.email);
    await coordinator.call('POST', `/cases/${closed.id}/events`, {
      type: 'REJECT',
      expectedVersion: sent.version,
      reason: 'Hors du champ de la cellule',
    });
    refs.erasedClosed = closed.reference;
    refs.erasedOpen = (await refer(ERASED)).reference;
    refs.objecting = (await refer(OBJECTING)).reference;
    refs.rectifying = (await refer(RECTIFYING)).reference;
    browser = await launchBrowser();
    dpo = await openContext(browser, world);
    referrerPerson = await openContext(browser, world);
    await signIn(dpo.page, world.auditor);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Records a request of that kind from « Demandes de droits », then finds the person's situations. */
  async function openAndFind(page: Page, kind: string, title: string, person: typeof ERASED, expected: string[]) {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Demandes de droits' }).click();
    await page.getByRole('heading', { level: 1, name: 'Demandes de droits des personnes' }).waitFor();
    await page.getByRole('radio', { name: kind }).check();
    await page.getByRole('combobox', { name: 'Territoire' }).click();
    await page.getByRole('option', { name: TERRITORY }).click();
    await page.getByRole('textbox', { name: 'Reçue le' }).fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('Retrouver les situations de la personne (aucune recherche faite).').waitFor();
    await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(person.lastName);
    await page.getByRole('textbox', { name: 'Prénom(s)' }).fill(person.firstName);
    await page.getByRole('textbox', { name: 'Date de naissance' }).fill(person.birthDate);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    for (const reference of expected) await page.getByRole('row', { name: new RegExp(reference) }).waitFor();
    await page.getByText('Appliquer la mesure demandée à chaque situation.').waitFor();
  }

  /** Applies the request's measure: the button, then the confirmation. */
  async function apply(page: Page, button: string) {
    await page.getByRole('button', { name: `${button}…` }).click();
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('Tout ce que la demande appelait est fait : elle peut être close.').waitFor();
    expect(await page.getByRole('button', { name: `${button}…` }).count()).toBe(0);
  }

  async function close(page: Page) {
    await page.getByRole('radio', { name: 'Répondu à la personne' }).check();
    await page.getByRole('button', { name: 'Clore la demande' }).click();
    await page.getByRole('status').filter({ hasText: 'Close le' }).waitFor();
  }

  const cell = (page: Page, reference: string) => page.getByRole('row', { name: new RegExp(reference) }).getByRole('cell');

  it('erasure: the closed situation is erased, the one still worked on is kept with its reason; the request is closed', async () => {
    const { page } = dpo;
    await openAndFind(page, 'Effacement', 'Demande : effacement', ERASED, [refs.erasedClosed, refs.erasedOpen]);
    // The DPO's home now lists it, with its due date.
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Accueil' }).click();
    const todo = page.getByRole('region', { name: 'Ce qui vous attend' });
    await todo.getByText(/demandes? de droits ouvertes?/).waitFor();
    await checkScreen(page, 'droits-mesures-01-accueil-dpo');
    await todo
      .getByRole('link', { name: /^Effacement, reçue le/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Demande : effacement' }).waitFor();
    await checkScreen(page, 'droits-mesures-02-effacement-trouvees');
    await apply(page, 'Effacer les situations');
    await expect.poll(() => cell(page, refs.erasedClosed).textContent()).toMatch(/^Effacée : à la demande de la personne \(le /);
    expect(await cell(page, refs.erasedOpen).textContent()).toMatch(/^Conservée : la situation est encore suivie/);
    await checkScreen(page, 'droits-mesures-03-effacement-applique');
    await close(page);
    await checkScreen(page, 'droits-mesures-04-effacement-close');
    await expectNotOnPage(page, [ERASED.lastName, ERASED.firstName, ERASED.birthDate, NARRATIVE]);
  });

  it('objection: consent withdrawn on her open situation, the request closed', async () => {
    const { page } = dpo;
    await openAndFind(page, 'Opposition', 'Demande : opposition', OBJECTING, [refs.objecting]);
    await apply(page, 'Appliquer l’opposition');
    await expect.poll(() => cell(page, refs.objecting).textContent()).toMatch(/^Consentement retiré : opposition de la personne \(le /);
    await checkScreen(page, 'droits-mesures-05-opposition-appliquee');
    await close(page);
    await expectNotOnPage(page, [OBJECTING.lastName, OBJECTING.firstName, OBJECTING.birthDate, NARRATIVE]);
  });

  it('rectification: forwarded to the referrer, who is told; the request closed', async () => {
    const { page } = dpo;
    await openAndFind(page, 'Rectification', 'Demande : rectification', RECTIFYING, [refs.rectifying]);
    await apply(page, 'Transmettre aux référents');
    await expect.poll(() => cell(page, refs.rectifying).textContent()).toMatch(/^Transmise au référent : le référent vérifie et rectifie \(le /);
    await checkScreen(page, 'droits-mesures-06-rectification-transmise');
    await close(page);
    await checkScreen(page, 'droits-mesures-07-rectification-close');
    await expectNotOnPage(page, [RECTIFYING.lastName, RECTIFYING.firstName, RECTIFYING.birthDate, NARRATIVE]);

    const referrer = referrerPerson.page;
    await signIn(referrer, { email: referrerEmail });
    await referrer.goto(new URL('/app/notifications', page.url()).toString());
    await referrer.getByText(`La personne demande la rectification de ses données`).first().waitFor();
    await checkScreen(referrer, 'droits-mesures-08-referent-prevenu');
    // No copy to hand over: no « Copies à remettre » in this referrer's menu.
    const nav = referrer.getByRole('navigation', { name: 'Navigation principale' });
    await nav.getByRole('link', { name: 'Mes situations' }).waitFor();
    expect(await nav.getByRole('link', { name: /Copies à remettre/ }).count()).toBe(0);
  });
});
