import { createTestApp, type TestApp } from '../support/app.js';
import { signIn } from '../support/login.js';

/** The bootstrap administrator: its password is temporary (replaced by the login helper at the first login). */
export const ADMIN = { email: 'admin@test.local', password: 'bootstrap-pass-4821' };
/** The password every test account is created with (temporary: see test/support/login.ts). */
export const PASSWORD = 'correct-horse-battery';

export interface Account {
  id: string;
  email: string;
  token: string;
  organisationId: string | null;
}

export interface World {
  territoryId: string;
  orgs: { social: string; health: string; housing: string; municipal: string; coordination: string };
  admin: Account;
  referrer: Account;
  otherReferrer: Account;
  coordinator: Account;
  auditor: Account;
  psychiatrist: Account;
  housingOfficer: Account;
  townOfficer: Account;
  commissionId: string;
}

/** Logs in to the end (temporary password replaced, second factor enrolled or passed): the access token. */
export async function login(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  return signIn(t, email, password);
}

/** POST with a token, failing loudly unless the expected status comes back. */
export async function call(
  t: TestApp,
  token: string,
  method: 'post' | 'put' | 'patch' | 'get',
  url: string,
  body?: object,
  expected = method === 'get' ? 200 : 201,
) {
  const res = await t.http()[method](url).set('authorization', `Bearer ${token}`).send(body);
  if (res.status !== expected) throw new Error(`${method.toUpperCase()} ${url} → ${res.status} (expected ${expected}): ${JSON.stringify(res.body)}`);
  return res.body;
}

let counter = 0;

/**
 * A territory as a commission would have it: a social service that refers, a CMP (health), a
 * landlord (housing), the town, the CLSM coordination; one account per role; a commission with
 * its charter accepted by its members. Everything is created through the HTTP API.
 */
export async function createWorld(t: TestApp): Promise<World> {
  const n = ++counter;
  const adminToken = await login(t, ADMIN.email, ADMIN.password);
  const adminMe = await call(t, adminToken, 'get', '/me');
  const territory = await call(t, adminToken, 'post', '/territories', { name: `CLSM test ${n} ${Date.now()}` });
  const org = async (name: string, sector: string) =>
    (await call(t, adminToken, 'post', '/organisations', { name: `${name} ${n}`, sector, territoryId: territory.id })).id as string;
  const orgs = {
    social: await org('Service social départemental', 'social'),
    health: await org('CMP Nord', 'health'),
    housing: await org('Bailleur Habitat', 'housing'),
    municipal: await org('Mairie', 'municipal'),
    coordination: await org('Coordination CLSM', 'coordination'),
  };
  const user = async (key: string, organisationId: string | null, roles: string[], profession: string): Promise<Account> => {
    const email = `${key}.${n}@test.local`;
    const created = await call(t, adminToken, 'post', '/users', {
      email,
      password: PASSWORD,
      displayName: key,
      ...(organisationId ? { organisationId } : {}),
      roles,
      profession,
    });
    return { id: created.id, email, token: await login(t, email), organisationId };
  };
  const world: World = {
    territoryId: territory.id,
    orgs,
    admin: { id: adminMe.userId, email: ADMIN.email, token: adminToken, organisationId: null },
    referrer: await user('referrer', orgs.social, ['referrer'], 'social_worker'),
    otherReferrer: await user('other-referrer', orgs.social, ['referrer'], 'social_worker'),
    coordinator: await user('coordinator', orgs.coordination, ['coordinator'], 'none'),
    auditor: await user('auditor', null, ['auditor'], 'none'),
    psychiatrist: await user('psychiatrist', orgs.health, ['member'], 'physician'),
    housingOfficer: await user('housing', orgs.housing, ['member'], 'none'),
    townOfficer: await user('town', orgs.municipal, ['member'], 'none'),
    commissionId: '',
  };
  const commission = await call(t, world.coordinator.token, 'post', '/commissions', { territoryId: territory.id, name: `Cellule ${n}` });
  world.commissionId = commission.id;
  for (const member of [world.psychiatrist, world.housingOfficer, world.townOfficer]) {
    await call(t, world.coordinator.token, 'post', `/commissions/${commission.id}/members`, { userId: member.id });
  }
  await call(t, world.coordinator.token, 'put', `/commissions/${commission.id}/charter`, { version: 1, text: 'Charte de confidentialité v1' }, 200);
  for (const member of [world.psychiatrist, world.housingOfficer, world.townOfficer]) {
    await call(t, member.token, 'post', `/commissions/${commission.id}/charter/accept`, { version: 1 });
  }
  return world;
}

/** Distinctive identity values: a scan of the database must never find them in clear. */
export const IDENTITY = {
  lastName: 'Zéphyrin-Quatremare',
  firstName: 'Anatole',
  birthDate: '1957-03-14',
  address: '17 rue des Capucines Oubliées',
  phone: '06 12 34 56 78',
  email: 'anatole.zq@exemple.fr',
};

export const SOCIAL_TEXT = 'Dette locative de neuf mois, RSA suspendu, isolement familial marqué';
export const HEALTH_TEXT = 'Suivi CMP interrompu depuis huit mois, traitement antipsychotique arrêté';

export function caseBody(commissionId: string, overrides: Record<string, unknown> = {}) {
  return {
    commissionId,
    identity: IDENTITY,
    summary: {
      ageBand: '60-69',
      district: 'Quartier des Tilleuls',
      household: 'alone',
      problems: ['housing', 'care_continuity'],
      question: 'Comment éviter une expulsion et renouer le lien avec le soin ?',
      narrative: 'Personne seule, en rupture de soins, impayés de loyer, voisinage inquiet.',
      alreadyTried: 'Visites à domicile, courriers du bailleur',
      partnersInvolved: ['health', 'housing'],
      expectations: 'Un plan partagé entre le CMP et le bailleur',
      minorInHousehold: false,
      urgent: false,
    },
    social: { narrative: SOCIAL_TEXT },
    health: { narrative: HEALTH_TEXT },
    ...overrides,
  };
}

/** The real app with a bootstrap admin, and a world created in it: the usual start of an e2e file. */
export async function createWorldApp(env: Record<string, string> = {}): Promise<{ t: TestApp; w: World }> {
  const t = await createTestApp({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, ...env });
  try {
    return { t, w: await createWorld(t) };
  } catch (error) {
    await t.close();
    throw error;
  }
}
