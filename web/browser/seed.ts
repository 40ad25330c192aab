import { ADMIN } from './server';

/**
 * A territory seeded the way an administrator and a coordinator would make it, through the API
 * (bearer tokens): one account per role, a commission with its members and an accepted charter.
 * Later journeys (member, coordinator, auditor, admin, the five-user cycle) use the same world.
 *
 * When the server makes admin-set passwords temporary (API.md), `token()` must answer the
 * password-change step first; the browser's sign-in already does.
 */
export const PASSWORD = 'mot-de-passe-des-tests-navigateur';

export interface Account {
  id: string;
  email: string;
  displayName: string;
  organisationId: string | null;
}

export interface World {
  url: string;
  territoryId: string;
  commissionId: string;
  orgs: { ccas: string; cmp: string; bailleur: string; mairie: string; clsm: string };
  referrer: Account;
  coordinator: Account;
  psychiatrist: Account;
  housing: Account;
  town: Account;
  auditor: Account;
  admin: { email: string; password: string };
}

export class Api {
  constructor(
    readonly url: string,
    private readonly bearer?: string,
  ) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, expected?: number): Promise<T> {
    const res = await fetch(this.url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (expected ? res.status !== expected : !res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  static async as(url: string, email: string, password = PASSWORD): Promise<Api> {
    const { accessToken } = await new Api(url).call<{ accessToken: string }>('POST', '/auth/login', { email, password });
    return new Api(url, accessToken);
  }
}

export async function seedWorld(url: string): Promise<World> {
  const admin = await Api.as(url, ADMIN.email, ADMIN.password);
  const territory = await admin.call<{ id: string }>('POST', '/territories', { name: 'CLSM de Val-Fictif (tests navigateur)' });
  const org = async (name: string, sector: string) =>
    (await admin.call<{ id: string }>('POST', '/organisations', { name, sector, territoryId: territory.id })).id;
  const orgs = {
    ccas: await org('CCAS de Val-Fictif', 'social'),
    cmp: await org('CMP Les Peupliers', 'health'),
    bailleur: await org('Val-Fictif Habitat', 'housing'),
    mairie: await org('Mairie de Val-Fictif', 'municipal'),
    clsm: await org('Coordination du CLSM', 'coordination'),
  };
  const user = async (email: string, displayName: string, organisationId: string | null, roles: string[], profession: string): Promise<Account> => {
    const created = await admin.call<{ id: string }>('POST', '/users', {
      email,
      password: PASSWORD,
      displayName,
      ...(organisationId ? { organisationId } : {}),
      roles,
      profession,
    });
    return { id: created.id, email, displayName, organisationId };
  };
  const world: World = {
    url,
    territoryId: territory.id,
    commissionId: '',
    orgs,
    referrer: await user('referente@val-fictif.test', 'Camille Référente', orgs.ccas, ['referrer'], 'social_worker'),
    coordinator: await user('coordination@val-fictif.test', 'Dominique Coordination', orgs.clsm, ['coordinator'], 'none'),
    psychiatrist: await user('psychiatre@val-fictif.test', 'Dr Sacha Psychiatre', orgs.cmp, ['member'], 'physician'),
    housing: await user('bailleur@val-fictif.test', 'Jordan Bailleur', orgs.bailleur, ['member'], 'none'),
    town: await user('mairie@val-fictif.test', 'Lou Mairie', orgs.mairie, ['member'], 'none'),
    auditor: await user('dpo@val-fictif.test', 'Alex DPO', null, ['auditor'], 'none'),
    admin: ADMIN,
  };
  const coordinator = await Api.as(url, world.coordinator.email);
  const commission = await coordinator.call<{ id: string }>('POST', '/commissions', {
    territoryId: territory.id,
    name: 'Cellule de cas complexes de Val-Fictif',
  });
  world.commissionId = commission.id;
  for (const member of [world.psychiatrist, world.housing, world.town]) {
    await coordinator.call('POST', `/commissions/${commission.id}/members`, { userId: member.id });
  }
  await coordinator.call('PUT', `/commissions/${commission.id}/charter`, { version: 1, text: 'Charte de confidentialité (tests navigateur)' });
  for (const member of [world.psychiatrist, world.housing, world.town]) {
    await (await Api.as(url, member.email)).call('POST', `/commissions/${commission.id}/charter/accept`, { version: 1 });
  }
  return world;
}
