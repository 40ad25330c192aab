import { parisDay, parisInstant, sessionWhen } from '../src/shared/format';
import { Api, type World } from './seed';

/**
 * What a journey needs to find ready before it starts, made through the API as the people
 * concerned would make it (the referrer writes and sends, the coordinator accepts…), so that each
 * browser test shows one role at work. Each test file uses its own people concerned (names that
 * appear nowhere else) and its own session days: files run in any order on one seeded territory.
 */
export interface Person {
  lastName: string;
  firstName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  phone: string;
}

export interface Situation {
  id: string;
  reference: string;
  version: number;
  state: string;
}

export type Scope = { sector: string; classes: string[] }[];

export const HEALTH_TEXT = 'Suivi au CMP interrompu depuis huit mois ; traitement arrêté.';
export const SOCIAL_TEXT = 'Dette locative de neuf mois ; droits au RSA suspendus.';

export function referralBody(world: World, person: Person) {
  return {
    commissionId: world.commissionId,
    identity: { lastName: person.lastName, firstName: person.firstName, birthDate: person.birthDate, phone: person.phone, address: '3 impasse des Tests' },
    summary: {
      ageBand: '50-59',
      district: 'Quartier du Canal',
      household: 'alone',
      problems: ['housing', 'care_continuity', 'isolation'],
      question: 'Comment maintenir la personne dans son logement et renouer le lien avec le soin ?',
      narrative: 'Personne isolée, impayés de loyer, soins interrompus, voisinage inquiet.',
      alreadyTried: 'Visites à domicile, courriers du bailleur, appel au CMP',
      partnersInvolved: ['health', 'housing'],
      expectations: 'Un plan partagé entre le bailleur, le CMP et le CCAS',
      minorInHousehold: false,
      urgent: false,
    },
    social: { narrative: SOCIAL_TEXT },
    health: { narrative: HEALTH_TEXT },
  };
}

export class Fixtures {
  private constructor(
    readonly world: World,
    readonly referrer: Api,
    readonly coordinator: Api,
  ) {}

  static async of(world: World): Promise<Fixtures> {
    return new Fixtures(world, await Api.as(world.url, world.referrer.email), await Api.as(world.url, world.coordinator.email));
  }

  async event(who: Api, situation: Situation, type: string, payload: Record<string, unknown> = {}): Promise<Situation> {
    const answer = await who.call<{ state: string; version: number }>('POST', `/cases/${situation.id}/events`, {
      type,
      expectedVersion: situation.version,
      ...payload,
    });
    return Object.assign(situation, answer);
  }

  async refresh(situation: Situation): Promise<Situation> {
    const view = await this.coordinator.call<{ version: number; state: string }>('GET', `/cases/${situation.id}`);
    return Object.assign(situation, { version: view.version, state: view.state });
  }

  /** A referral written and sent by the referrer. */
  async submitted(person: Person): Promise<Situation> {
    const created = await this.referrer.call<Situation>('POST', '/cases', referralBody(this.world, person));
    return this.event(this.referrer, created, 'SUBMIT');
  }

  /** Sent, accepted, and the person's consent recorded with this scope. */
  async ready(person: Person, scope: Scope): Promise<Situation> {
    const situation = await this.submitted(person);
    await this.event(this.coordinator, situation, 'ACCEPT');
    return this.event(this.referrer, situation, 'RECORD_CONSENT', {
      decision: 'granted',
      informedAt: new Date(Date.now() - 86_400_000).toISOString(),
      method: 'written',
      scope,
    });
  }

  /** A session of the commission, `daysAhead` days from now at `hour` (Paris), for two hours. */
  async session(daysAhead: number, hour: number): Promise<{ id: string; label: string }> {
    const day = parisDay(new Date(Date.now() + daysAhead * 86_400_000));
    const body = { startsAt: parisInstant(day, hour * 60), endsAt: parisInstant(day, (hour + 2) * 60) };
    const { id } = await this.coordinator.call<{ id: string }>('POST', `/commissions/${this.world.commissionId}/sessions`, body);
    return { id, label: sessionWhen(body.startsAt, body.endsAt) };
  }

  async open(sessionId: string): Promise<void> {
    await this.coordinator.call('POST', `/sessions/${sessionId}/open`);
  }

  /** A new version of the commission's charter: every member must accept it again before attending. */
  async newCharter(text: string): Promise<number> {
    const { version } = await this.coordinator.call<{ version: number }>('GET', `/commissions/${this.world.commissionId}/charter`);
    await this.coordinator.call('PUT', `/commissions/${this.world.commissionId}/charter`, { version: version + 1, text });
    return version + 1;
  }
}

/** The label a session's link carries on the screens (« mardi 14 avril 2026, de 14:00 à 16:00 »). */
export { sessionWhen };
