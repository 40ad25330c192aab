import { credentialsOf, nextCode, remember, settled } from './credentials';
import { ADMIN } from './server';

/**
 * A territory seeded the way an administrator and a coordinator would make it, through the API
 * (bearer tokens): one account per role, a commission with its members and an accepted charter.
 * Later journeys (member, coordinator, auditor, admin, the five-user cycle) use the same world.
 * Logins go through every step of API.md: a temporary password is replaced, the second factor
 * enrolled the first time (./credentials.ts keeps what the account's owner would know).
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
  orgs: { ccas: string; sds: string; cmp: string; bailleur: string; mairie: string; clsm: string };
  referrer: Account;
  /**
   * A referrer of another service who has written nothing yet: the referrer's journey starts from
   * her empty list whatever ran before (a referrer also sees her own organisation's referrals).
   */
  newcomer: Account;
  /** A second referrer of the referrer's service, who takes a situation over (HAND_OVER). */
  colleague: Account;
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
    const entry = credentialsOf(email, password);
    const anonymous = new Api(url);
    let answer = await anonymous.call<Record<string, string>>('POST', '/auth/login', { email, password: entry.password });
    for (let steps = 0; !answer.accessToken; steps++) {
      if (steps > 3) throw new Error(`login of ${email}: too many steps`);
      if (answer.passwordChange === 'required') {
        const newPassword = settled(entry.password);
        answer = await anonymous.call('POST', '/auth/password', { challengeToken: answer.challengeToken, newPassword });
        entry.password = newPassword;
        remember(email, entry);
      } else if (answer.mfa === 'enroll' || answer.mfa === 'required') {
        if (answer.mfa === 'enroll') entry.secret = answer.secret;
        answer = await anonymous.call('POST', '/auth/mfa', { challengeToken: answer.challengeToken, code: await nextCode(email, entry) });
      } else throw new Error(`login of ${email}: unexpected answer ${Object.keys(answer).join(', ')}`);
    }
    return new Api(url, answer.accessToken);
  }
}

export async function seedWorld(url: string): Promise<World> {
  const admin = await Api.as(url, ADMIN.email, ADMIN.password);
  const territory = await admin.call<{ id: string }>('POST', '/territories', { name: 'CLSM de Val-Fictif (tests navigateur)' });
  const org = async (name: string, sector: string) =>
    (await admin.call<{ id: string }>('POST', '/organisations', { name, sector, territoryId: territory.id })).id;
  const orgs = {
    ccas: await org('CCAS de Val-Fictif', 'social'),
    sds: await org('Service social départemental de Val-Fictif', 'social'),
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
    newcomer: await user('nouvelle-referente@val-fictif.test', 'Noémie Référente', orgs.sds, ['referrer'], 'social_worker'),
    colleague: await user('collegue@val-fictif.test', 'Maëlle Collègue', orgs.ccas, ['referrer'], 'social_worker'),
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
