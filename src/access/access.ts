import type { Actor, DataClass, Policy, ProtectedClass, Profession, Relation, Role, Sector } from './policy.types.js';
import { PROTECTED_CLASSES } from './policy.types.js';

/** The authenticated caller, as the policy sees them. */
export interface Viewer {
  userId: string;
  organisationId: string | null;
  sector: Sector | null;
  territoryId: string | null;
  roles: Role[];
  profession: Profession;
}

export interface ConsentScopeEntry {
  sector: Sector;
  classes: ProtectedClass[];
}

export interface ConsentFacts {
  decision: 'granted' | 'refused';
  expiresAt: string | null;
  withdrawnAt: string | null;
  scope: ConsentScopeEntry[];
}

/** What the server knows about the case and the viewer's ties to it. */
export interface CaseFacts {
  territoryId: string;
  referrerUserId: string;
  state: string;
  /** The viewer attends an open session whose agenda holds the case (charter accepted). */
  attending: boolean;
  /** The viewer's organisation owns an action of the case's plan. */
  ownsAction: boolean;
  /** The latest consent recorded for the case, if any. */
  consent: ConsentFacts | null;
}

/** Fields released per class: 'all' or the listed field names. */
export type Release = Partial<Record<DataClass, 'all' | string[]>>;

export interface Decision {
  /**
   * The relations in effect: those the viewer holds AND whose rule lists the case's state. A
   * relation outside its states releases nothing, so it does not count (the case is then 404).
   */
  relations: Relation[];
  release: Release;
  /** Protected classes the viewer's relations could receive with consent but do not (and why). */
  withheld: { cls: ProtectedClass; reason: string }[];
}

export function relationsOf(viewer: Viewer, facts: CaseFacts): Relation[] {
  const relations: Relation[] = [];
  if (viewer.userId === facts.referrerUserId && viewer.roles.includes('referrer')) relations.push('referrer');
  if (viewer.roles.includes('coordinator') && viewer.territoryId === facts.territoryId) relations.push('coordinator');
  // Attending and owning an action are ties of working professionals: an auditor or an admin
  // attached to an organisation never gets case content through them.
  const professional = viewer.roles.includes('member') || viewer.roles.includes('referrer');
  if (facts.attending && professional) relations.push('attending_member');
  if (facts.ownsAction && viewer.organisationId && professional) relations.push('action_owner');
  return relations;
}

export function consentIsValid(consent: ConsentFacts | null, at: Date): consent is ConsentFacts {
  if (!consent || consent.decision !== 'granted' || consent.withdrawnAt) return false;
  return !consent.expiresAt || new Date(consent.expiresAt).getTime() > at.getTime();
}

function inState(states: 'all' | string[], state: string): boolean {
  return states === 'all' || states.includes(state);
}

function professionAllows(policy: Policy, cls: ProtectedClass, profession: Profession): boolean {
  if (cls === 'health') return policy.healthProfessions.includes(profession);
  if (cls === 'social') return policy.socialProfessions.includes(profession);
  return true;
}

function mergeFields(current: 'all' | string[] | undefined, next: 'all' | string[]): 'all' | string[] {
  if (current === 'all' || next === 'all') return 'all';
  return [...new Set([...(current ?? []), ...next])];
}

/**
 * The one decision of who sees what: the union, over the viewer's relations to the case, of the
 * classes each relation receives in the case's state — protected classes only under a valid
 * consent whose scope names the viewer's sector for that class, and health/social only to the
 * professions the policy lists. `never` rules are applied last. No relation: nothing at all.
 */
export function decideRelease(policy: Policy, viewer: Viewer, facts: CaseFacts, at: Date): Decision {
  const held = relationsOf(viewer, facts);
  // An attending member of a session still open after the case was closed or deferred, an action
  // owner after closure: the tie exists, but the policy releases nothing in that state.
  const relations = held.filter((relation) => inState(policy.relations[relation].states, facts.state));
  const release: Release = {};
  const withheld: Decision['withheld'] = [];
  const consentValid = consentIsValid(facts.consent, at);
  for (const relation of relations) {
    const rule = policy.relations[relation];
    for (const cls of rule.always) release[cls] = 'all';
    for (const [cls, spec] of Object.entries(rule.consented) as [ProtectedClass, { fields: 'all' | string[] }][]) {
      if (!consentValid) {
        withheld.push({ cls, reason: facts.consent ? 'consent_not_valid' : 'no_consent' });
        continue;
      }
      const scoped = viewer.sector !== null && facts.consent!.scope.some((s) => s.sector === viewer.sector && s.classes.includes(cls));
      if (!scoped) {
        withheld.push({ cls, reason: 'sector_not_in_consent_scope' });
        continue;
      }
      if (!professionAllows(policy, cls, viewer.profession)) {
        withheld.push({ cls, reason: 'profession_not_qualified' });
        continue;
      }
      release[cls] = mergeFields(release[cls], spec.fields);
    }
  }
  // `never` binds the relation whatever else holds, except over the referrer's own record.
  if (!held.includes('referrer')) {
    for (const relation of held) for (const cls of policy.never[relation] ?? []) delete release[cls];
  }
  const released = new Set(Object.keys(release));
  return { relations, release, withheld: withheld.filter((w) => !released.has(w.cls)) };
}

export function isProtected(cls: DataClass): cls is ProtectedClass {
  return (PROTECTED_CLASSES as readonly string[]).includes(cls);
}

export function mayActAs(policy: Policy, relations: readonly Actor[], eventType: string): boolean {
  const allowed = policy.events[eventType] ?? [];
  return relations.some((r) => allowed.includes(r));
}
