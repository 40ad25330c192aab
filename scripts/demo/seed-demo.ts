/**
 * The demo territory of `npm run seed:demo`: one account per role and situations in different
 * states, so a newcomer can try every screen and call at once. All people and places are invented.
 * Idempotent: a second run only lists the accounts. Never in production (refuseInProduction),
 * and not in the production image (the Dockerfile copies dist/src and dist/migrations only).
 * Its passwords are set by an administrator, so temporary: each account replaces it at its first
 * login, then enrols its second factor, as any account.
 */
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DEMO_PASSWORD } from '../../src/auth/password-policy.js';
import type { RequestViewer } from '../../src/auth/viewer.js';
import { CasesService } from '../../src/cases/cases.service.js';
import type { CaseEventPayload } from '../../src/cases/events/registry.js';
import { WorkflowService } from '../../src/cases/workflow.service.js';
import { CommissionsService } from '../../src/commissions/commissions.service.js';
import { select } from '../../src/database/sql.js';
import { asSystem } from '../../src/database/territory-scope.js';
import { APP_CONFIG, type AppConfig } from '../../src/config/config.js';
import { DirectoryService } from '../../src/users/directory.service.js';

export { DEMO_PASSWORD };
export const DEMO_TERRITORY = 'CLSM de Val-Fictif (démonstration)';

/** The demo is for development machines: its password is published (README). */
export function refuseInProduction(nodeEnv: string | undefined): void {
  if (nodeEnv === 'production') throw new Error('seed:demo refuses to run with NODE_ENV=production: its accounts share a published password');
}

export interface DemoAccount {
  email: string;
  roles: string[];
  profession: string;
  org: string | null;
}

export async function seedDemo(app: INestApplication, ds: DataSource): Promise<{ created: boolean; accounts: DemoAccount[] }> {
  refuseInProduction(app.get<AppConfig>(APP_CONFIG).nodeEnv);
  // Set-up from outside any request, through the services: the explicit wide territory scope (row-level security).
  return asSystem('seed-demo', () => seed(app, ds));
}

async function seed(app: INestApplication, ds: DataSource): Promise<{ created: boolean; accounts: DemoAccount[] }> {
  async function viewer(email: string): Promise<RequestViewer> {
    const [u] = await select<RequestViewer>(
      ds,
      `SELECT u.id AS "userId", u.email, u.display_name AS "displayName", u.organisation_id AS "organisationId", o.territory_id AS "territoryId",
              u.roles, u.profession, o.sector
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.email = $1`,
      [email],
    );
    return u;
  }
  let created = false;
  const existing = await select(ds, `SELECT id FROM territories WHERE name = $1`, [DEMO_TERRITORY]);
  if (!existing.length) {
    const directory = app.get(DirectoryService);
    const cases = app.get(CasesService);
    const workflow = app.get(WorkflowService);
    const commissions = app.get(CommissionsService);
    // The seed acts as an administrator of its own: it is created like any account.
    const seedAdmin: RequestViewer = {
      userId: '00000000-0000-0000-0000-000000000000',
      email: 'seed',
      displayName: 'seed',
      organisationId: null,
      territoryId: null,
      roles: ['admin'],
      profession: 'none',
      sector: null,
    };
    const admin = await directory.createUser(seedAdmin, {
      email: 'admin.demo@val-fictif.invalid',
      password: DEMO_PASSWORD,
      displayName: 'Admin démo',
      roles: ['admin'],
      profession: 'none',
    });
    const adminViewer = await viewer(admin.email);
    const territory = await directory.createTerritory(adminViewer, { name: DEMO_TERRITORY });
    const org = async (name: string, sector: 'health' | 'social' | 'housing' | 'municipal' | 'association' | 'coordination') =>
      (await directory.createOrganisation(adminViewer, { name, sector, territoryId: territory.id })).id as string;
    const orgs = {
      ccas: await org('CCAS de Val-Fictif', 'social'),
      cmp: await org('CMP Les Peupliers', 'health'),
      bailleur: await org('Val-Fictif Habitat', 'housing'),
      mairie: await org('Mairie de Val-Fictif — tranquillité publique', 'municipal'),
      asso: await org('Association Le Relais', 'association'),
      clsm: await org('Coordination du CLSM', 'coordination'),
    };
    const user = (
      email: string,
      displayName: string,
      organisationId: string | undefined,
      roles: RequestViewer['roles'],
      profession: RequestViewer['profession'],
    ) => directory.createUser(adminViewer, { email, password: DEMO_PASSWORD, displayName, organisationId, roles, profession });
    await user('referente@val-fictif.invalid', 'Camille Référente (CCAS)', orgs.ccas, ['referrer'], 'social_worker');
    await user('coordination@val-fictif.invalid', 'Dominique Coordination (CLSM)', orgs.clsm, ['coordinator'], 'none');
    await user('dpo@val-fictif.invalid', 'Alex DPO (audit)', undefined, ['auditor'], 'none');
    await user('psychiatre@val-fictif.invalid', 'Dr Sacha Psychiatre (CMP)', orgs.cmp, ['member'], 'physician');
    await user('bailleur@val-fictif.invalid', 'Jordan Bailleur', orgs.bailleur, ['member'], 'none');
    await user('mairie@val-fictif.invalid', 'Morgan Mairie', orgs.mairie, ['member'], 'none');
    await user('association@val-fictif.invalid', 'Charlie Association', orgs.asso, ['member', 'referrer'], 'educator');

    const referrer = await viewer('referente@val-fictif.invalid');
    const coordinator = await viewer('coordination@val-fictif.invalid');
    const commission = await commissions.create(coordinator, { territoryId: territory.id, name: 'Cellule de cas complexes de Val-Fictif' });
    const members = ['psychiatre@val-fictif.invalid', 'bailleur@val-fictif.invalid', 'mairie@val-fictif.invalid', 'association@val-fictif.invalid'];
    for (const email of members) await commissions.addMember(coordinator, commission.id, { userId: (await viewer(email)).userId });
    await commissions.putCharter(coordinator, commission.id, {
      version: 1,
      text: 'Charte de confidentialité de la cellule (démonstration) : secret partagé, finalité, pseudonymisation.',
    });
    for (const email of members) await commissions.acceptCharter(await viewer(email), commission.id, 1);
    const day = 24 * 3600 * 1000;
    const session = await commissions.createSession(coordinator, commission.id, {
      startsAt: new Date(Date.now() + day).toISOString(),
      endsAt: new Date(Date.now() + day + 2 * 3600 * 1000).toISOString(),
    });

    const people = [
      ['Fictif', 'Aimé', '1961-05-02', 'housing'],
      ['Imaginaire', 'Berthe', '1948-11-23', 'isolation'],
      ['Exemple', 'Corentin', '1990-02-14', 'care_continuity'],
      ['Modèle', 'Delphine', '1975-07-30', 'hoarding'],
      ['Prototype', 'Émile', '1983-09-09', 'neighbourhood_conflict'],
      ['Essai', 'Fanny', '1969-12-01', 'access_to_rights'],
    ] as const;
    const ids: string[] = [];
    for (const [lastName, firstName, birthDate, problem] of people) {
      const referral = await cases.create(referrer, {
        commissionId: commission.id,
        identity: { lastName, firstName, birthDate, address: '1 place de la Démonstration', phone: '01 00 00 00 00' },
        summary: {
          ageBand: '50-59',
          district: 'Centre',
          household: 'alone',
          problems: [problem, 'care_continuity'],
          question: 'Quelles coordinations entre soin, logement et services de la ville ?',
          narrative: 'Situation fictive de démonstration : rupture de soins, difficultés de logement.',
          alreadyTried: 'Visites du service social, courriers du bailleur',
          partnersInvolved: ['health', 'housing'],
          expectations: 'Un plan partagé',
          minorInHousehold: false,
        },
        social: { narrative: 'Récit social fictif (démonstration).' },
        health: { narrative: 'Éléments de santé fictifs (démonstration).' },
      });
      ids.push(referral.id);
    }
    // Payloads as a client sends them (the workflow receives validated payloads of these shapes).
    const send = async (who: RequestViewer, caseId: string, event: Record<string, unknown> & { type: CaseEventPayload['type'] }) => {
      const [{ version }] = await select<{ version: number }>(ds, `SELECT version FROM cases WHERE id = $1`, [caseId]);
      await workflow.send(who, caseId, { ...event, expectedVersion: version } as unknown as CaseEventPayload);
    };
    const consent = {
      type: 'RECORD_CONSENT',
      decision: 'granted',
      informedAt: new Date().toISOString(),
      method: 'written',
      scope: [
        { sector: 'health', classes: ['identity', 'health'] },
        { sector: 'housing', classes: ['identity'] },
      ],
    } as const;
    // ids[0] stays a draft.
    await send(referrer, ids[1], { type: 'SUBMIT' });
    for (const id of ids.slice(2)) {
      await send(referrer, id, { type: 'SUBMIT' });
      await send(coordinator, id, { type: 'ACCEPT' });
    }
    // ids[2] awaits consent.
    for (const id of ids.slice(3)) await send(referrer, id, consent);
    // ids[3] is ready for review; ids[4] and ids[5] go on the agenda, ids[5] through to a plan.
    await send(coordinator, ids[4], { type: 'SCHEDULE', sessionId: session.id });
    await send(coordinator, ids[5], { type: 'SCHEDULE', sessionId: session.id });
    await commissions.setStatus(coordinator, session.id, 'open');
    await send(coordinator, ids[5], { type: 'START_REVIEW' });
    await send(coordinator, ids[5], {
      type: 'ADOPT_PLAN',
      actions: [
        { title: 'Visite conjointe CMP et bailleur', ownerOrganisationId: orgs.bailleur, dueAt: new Date(Date.now() + 30 * day).toISOString() },
        { title: 'Reprise du suivi au CMP', ownerOrganisationId: orgs.cmp, dueAt: new Date(Date.now() + 14 * day).toISOString() },
        { title: "Ouverture des droits (dossier d'aide)", ownerOrganisationId: orgs.ccas, dueAt: new Date(Date.now() - 2 * day).toISOString() },
      ],
    });
    created = true;
  }
  const accounts = await select<DemoAccount>(
    ds,
    `SELECT u.email, u.roles, u.profession, o.name AS org FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.email LIKE '%@val-fictif.invalid' ORDER BY u.email`,
  );
  return { created, accounts };
}
