import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { frenchDay, parisDay, parisInstant, sessionWhen } from '../src/shared/format';
import { checkScreen, expectNothingLeaks, expectNotOnPage, launchBrowser, openContext, pageErrors, signIn, type Person } from './browser';
import { Fixtures, type Situation } from './fixtures';

/**
 * The coordinator's journey: the dashboard; screening (a duplicate found by reference, one
 * referral accepted, another not retained with a reason and an orientation); a session created,
 * its agenda built (scheduled, unscheduled, scheduled again), a professional invited; the session
 * in progress (review started, a plan adopted — first refused while a title names the person —,
 * a review deferred, a situation closed with its outcome), the session closed; the statistics
 * with their tables and the spreadsheet. The coordinator never sees a name.
 */
const BERENICE = { lastName: 'Lamarre-Vautrin', firstName: 'Bérénice', birthDate: '1968-07-02', phone: '06 98 76 54 32' };
const CLEMENT = { lastName: 'Fourcadier', firstName: 'Clément', birthDate: '1990-01-17', phone: '07 65 43 21 09' };
const DORIS = { lastName: 'Pimprenelle', firstName: 'Doris', birthDate: '1975-12-30', phone: '06 01 02 03 04' };
const GASPARD = { lastName: 'Ombredanne', firstName: 'Gaspard', birthDate: '1958-04-11', phone: '06 55 44 33 22' };
const NAMES = [BERENICE, CLEMENT, DORIS, GASPARD].flatMap((p) => [p.lastName, p.firstName, p.phone]);

const dialogOf = (page: Page) => page.getByRole('dialog');
const itemOf = (page: Page, reference: string): Locator =>
  page.getByRole('listitem').filter({ has: page.getByRole('link', { name: `Situation ${reference}`, exact: true }) });

describe('coordinator in the browser', () => {
  const world = inject('world');
  let browser: Browser;
  let coordinator: Person;
  let fx: Fixtures;
  let berenice: Situation;
  let duplicate: Situation;
  let clement: Situation;
  let doris: Situation;
  let gaspard: Situation;
  const day = parisDay(new Date(Date.now() + 5 * 86_400_000));
  const label = sessionWhen(parisInstant(day, 9 * 60), parisInstant(day, 11 * 60));

  const confirm = async (page: Page) => {
    await dialogOf(page).getByRole('button', { name: 'Confirmer' }).click();
    await dialogOf(page).waitFor({ state: 'hidden' });
  };
  const screen = async (name: string) => {
    await expectNotOnPage(coordinator.page, NAMES);
    await checkScreen(coordinator.page, name);
  };

  beforeAll(async () => {
    fx = await Fixtures.of(world);
    berenice = await fx.submitted(BERENICE);
    duplicate = await fx.submitted(BERENICE);
    clement = await fx.submitted(CLEMENT);
    doris = await fx.ready(DORIS, [{ sector: 'health', classes: ['identity', 'health'] }]);
    gaspard = await fx.ready(GASPARD, [{ sector: 'social', classes: ['identity', 'social'] }]);
    browser = await launchBrowser();
    coordinator = await openContext(browser, world);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lands on the dashboard: what waits on the coordination, the next sessions, the situations by state', async () => {
    const { page } = coordinator;
    await signIn(page, world.coordinator);
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    const toScreen = page.getByRole('link', { name: /saisines? à étudier/ });
    await expect.poll(async () => Number((await toScreen.textContent())!.match(/\d+/)![0])).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByRole('table', { name: 'Nombre de situations du territoire à chaque étape' }).isVisible()).toBe(true);
    // What waits on the coordination is the server's to-do (GET /me/todo): every tile of it.
    const tiles = page.getByRole('region', { name: 'Ce qui vous attend' }).getByRole('listitem');
    expect(await tiles.count()).toBe(6);
    await page.getByRole('heading', { level: 2, name: 'Consentements' }).waitFor();
    await screen('30-coordination-tableau-de-bord');
  });

  it('screens a referral: its duplicate by reference, then accepts it', async () => {
    const { page } = coordinator;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Saisines' }).click();
    await page.getByRole('heading', { level: 1, name: 'Saisines à étudier' }).waitFor();
    await screen('31-coordination-saisines');
    await page.getByRole('link', { name: `Étudier la saisine ${berenice.reference}` }).click();
    await page.getByRole('heading', { level: 1, name: `Saisine ${berenice.reference}` }).waitFor();
    const duplicates = page.getByRole('region', { name: 'Doublons possibles' });
    await expect.poll(() => duplicates.getByRole('link', { name: duplicate.reference }).isVisible()).toBe(true);
    expect(await page.getByRole('list', { name: 'Décisions possibles' }).getByRole('button').allTextContents()).toEqual([
      'Accepter la saisine',
      // Issue 12: a report made elsewhere, a send-back for completion, a handover within the service.
      'Enregistrer un signalement',
      'Renvoyer pour complément',
      'Transmettre à un collègue',
      'Ne pas retenir la saisine',
      // The coordination may record the person's withdrawal on their word (issue 10).
      'Retrait du consentement',
    ]);
    await screen('32-coordination-saisine-a-etudier');
    await page.getByRole('button', { name: 'Accepter la saisine' }).click();
    await confirm(page);
    await expect.poll(() => page.getByText('Consentement à recueillir', { exact: true }).first().isVisible()).toBe(true);
  });

  it('does not retain another, with a reason and an orientation', async () => {
    const { page } = coordinator;
    await page.getByRole('link', { name: 'Retour aux saisines à étudier' }).click();
    await page.getByRole('link', { name: `Étudier la saisine ${clement.reference}` }).click();
    await page.getByRole('button', { name: 'Ne pas retenir la saisine' }).click();
    const dialog = dialogOf(page);
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => dialog.getByText('Ce champ est obligatoire.').isVisible()).toBe(true);
    await dialog.getByLabel('Raison').fill('La situation relève d’un accompagnement social renforcé, pas encore tenté.');
    await dialog.getByLabel('Orientation proposée (facultatif)').fill('Service social départemental, accompagnement renforcé');
    await screen('33-coordination-saisine-non-retenue');
    await confirm(page);
    await expect.poll(() => page.getByText('Clôturée', { exact: true }).first().isVisible()).toBe(true);
  });

  it('creates a session and builds its agenda: schedules, unschedules, schedules again', async () => {
    const { page } = coordinator;
    // Meanwhile the referrer records Bérénice's consent (on the version the acceptance left).
    await fx.refresh(berenice);
    await fx.event(fx.referrer, berenice, 'RECORD_CONSENT', {
      decision: 'granted',
      informedAt: new Date(Date.now() - 86_400_000).toISOString(),
      method: 'oral',
      scope: [
        { sector: 'health', classes: ['identity', 'health'] },
        { sector: 'housing', classes: ['identity'] },
      ],
    });
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Séances' }).click();
    await page.getByRole('heading', { level: 1, name: 'Séances' }).waitFor();
    const form = page.getByRole('form', { name: 'Prévoir une séance' });
    await form.getByLabel('Date').fill('31/02/2020');
    await form.getByRole('button', { name: 'Créer la séance' }).click();
    await expect.poll(() => form.getByText('Indiquez la date au format JJ/MM/AAAA.').isVisible()).toBe(true);
    await form.getByLabel('Date').fill(frenchDay(day));
    await form.getByLabel('Début').fill('09:00');
    await form.getByLabel('Fin').fill('11:00');
    await screen('34-coordination-seances');
    await form.getByRole('button', { name: 'Créer la séance' }).click();
    await page.getByRole('heading', { level: 1, name: `Séance du ${label}` }).waitFor();
    await expect.poll(() => page.getByText('La séance est créée.').isVisible()).toBe(true);

    for (const situation of [berenice, doris, gaspard]) {
      await itemOf(page, situation.reference).getByRole('button', { name: "Inscrire à l'ordre du jour" }).click();
      // The session being built is the one chosen.
      await expect
        .poll(() =>
          dialogOf(page)
            .getByLabel(new RegExp(`^${label}`))
            .isChecked(),
        )
        .toBe(true);
      await confirm(page);
      await expect
        .poll(() =>
          page
            .getByRole('region', { name: 'Ordre du jour' })
            .getByRole('link', { name: `Situation ${situation.reference}` })
            .isVisible(),
        )
        .toBe(true);
    }
    const agenda = page.getByRole('region', { name: 'Ordre du jour' });
    await itemOf(page, doris.reference).getByRole('button', { name: "Retirer de l'ordre du jour" }).click();
    await confirm(page);
    await expect.poll(() => agenda.getByRole('link', { name: `Situation ${doris.reference}` }).count()).toBe(0);
    await itemOf(page, doris.reference).getByRole('button', { name: "Inscrire à l'ordre du jour" }).click();
    await confirm(page);
    await expect.poll(() => agenda.getByRole('link', { name: `Situation ${doris.reference}` }).isVisible()).toBe(true);
    await screen('35-coordination-ordre-du-jour');
  });

  it('invites the referrer for one situation', async () => {
    const { page } = coordinator;
    await page.getByRole('tab', { name: 'Invitations' }).click();
    const form = page.getByRole('form', { name: 'Inviter pour une situation' });
    await form.getByLabel('Personne').selectOption({ label: 'Camille Référente — CCAS de Val-Fictif' });
    await form.getByLabel('Situation').selectOption({ label: berenice.reference });
    await form.getByRole('button', { name: 'Inviter' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /Camille Référente/ })
          .getByText(berenice.reference)
          .isVisible(),
      )
      .toBe(true);
    await screen('36-coordination-invitations');
  });

  it('opens the session and reviews each situation: a plan adopted, a review deferred, a situation closed', async () => {
    const { page } = coordinator;
    await page.getByRole('tab', { name: 'Ordre du jour' }).click();
    await page.getByRole('button', { name: 'Ouvrir la séance' }).click();
    await confirm(page);
    await page.getByRole('heading', { level: 2, name: 'Examen des situations' }).waitFor();
    const review = (s: Situation) => page.getByRole('article', { name: new RegExp(`Situation ${s.reference}$`) });

    await review(berenice).getByRole('button', { name: "Commencer l'examen" }).click();
    await confirm(page);
    await review(berenice).getByRole('button', { name: "Adopter le plan d'action" }).click();
    const dialog = dialogOf(page);
    const due = frenchDay(parisDay(new Date(Date.now() + 30 * 86_400_000)));
    const first = dialog.getByRole('group', { name: 'Action 1' });
    await first.getByLabel('Ce qui est à faire').fill('Rencontrer la personne au CMP pour reprendre les soins');
    await first.getByLabel('Organisation responsable').selectOption({ label: 'CMP Les Peupliers' });
    await first.getByLabel('Échéance').fill(due);
    await dialog.getByRole('button', { name: 'Ajouter une action' }).click();
    const second = dialog.getByRole('group', { name: 'Action 2' });
    await second.getByLabel('Ce qui est à faire').fill('Proposer un plan d’apurement de la dette locative');
    await second.getByLabel('Organisation responsable').selectOption({ label: 'Val-Fictif Habitat' });
    await second.getByLabel('Échéance').fill(due);
    await checkScreen(page, '37-coordination-plan');
    await confirm(page);
    // Its plan adopted, the situation leaves the open agenda (attendees no longer see it) and is listed as done.
    const adopted = page.getByRole('region', { name: 'Plans adoptés pendant cette séance' });
    await expect.poll(() => adopted.getByRole('link', { name: `Situation ${berenice.reference}` }).isVisible()).toBe(true);
    await expect.poll(() => review(berenice).count()).toBe(0);

    await review(doris).getByRole('button', { name: "Commencer l'examen" }).click();
    await confirm(page);
    await review(doris).getByRole('button', { name: "Reporter l'examen" }).click();
    await confirm(page);
    await expect.poll(() => review(doris).count()).toBe(0);

    await review(gaspard).getByRole('button', { name: "Commencer l'examen" }).click();
    await confirm(page);
    await review(gaspard).getByRole('button', { name: 'Clôturer la situation' }).click();
    await dialogOf(page).getByLabel('Avis donné au référent').check();
    await confirm(page);
    await expect.poll(() => review(gaspard).getByText('Clôturée', { exact: true }).isVisible()).toBe(true);
    await screen('38-coordination-seance-en-cours');
  });

  it('closes the session', async () => {
    const { page } = coordinator;
    await page.getByRole('button', { name: 'Clore la séance' }).click();
    await confirm(page);
    await expect.poll(() => page.getByText(/^Séance terminée le/).isVisible()).toBe(true);
    await screen('39-coordination-seance-close');
  });

  it('reads the year’s statistics, each chart with its table, and downloads them', async () => {
    const { page } = coordinator;
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Statistiques' }).click();
    await page.getByRole('heading', { level: 1, name: /^Statistiques \d{4}$/ }).waitFor();
    const problems = page.getByRole('table', { name: 'Difficultés rencontrées (une situation peut en avoir plusieurs)' });
    await expect.poll(() => problems.getByRole('row', { name: /Isolement/ }).isVisible()).toBe(true);
    // The referrals of the year (6 charts), then the activity of the year (outcomes chosen, attendance…).
    expect(await page.getByRole('figure').count()).toBeGreaterThanOrEqual(6);
    await page.getByRole('heading', { level: 2, name: 'L’activité de l’année' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Ce qui bloque' }).waitFor();
    await page.getByText('Séances tenues', { exact: true }).waitFor();
    await screen('40-coordination-statistiques');
    // The report's CSV is the server's (GET /stats?format=csv), downloaded through the session.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le tableau (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rapport-activite-\d{4}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('Rubrique;Catégorie;Nombre');
    expect(csv).toContain('Comment elles ont été closes;Saisine non retenue;');
    expect(csv).toContain('Séances tenues;Séances ouvertes dans l’année;');
    expect(csv).not.toMatch(/CAS-\d{4}-\d+/);
    for (const name of NAMES) expect(csv).not.toContain(name);
    await page.getByLabel('Chiffres destinés à une publication (les effectifs de 1 à 4 sont masqués, un effectif nul reste 0)').check();
    await expect.poll(() => page.getByText('moins de 5').first().isVisible()).toBe(true);
  });

  it('went through every screen without a name in view, in the address, the title or the storage', async () => {
    await expectNothingLeaks(coordinator, NAMES);
    expect(pageErrors(coordinator, [400, 422])).toEqual([]);
  });
});
