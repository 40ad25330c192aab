import { consentValidAt, standingOf } from '../consent/consent.js';
import type { ConsentScopeEntry } from '../consent/consents.repository.js';
export type { ConsentScopeEntry };
import type { Actor, DataClass, IdentityField, Policy, ProtectedClass, Profession, Relation, Role, Sector } from './policy.types.js';
import { CLASSES, IDENTITY_FIELDS, PROTECTED_CLASSES, RELATIONS } from './policy.types.js';
import { relationsTo } from './resources.js';

/** The authenticated caller, as the policy sees them. */
export interface Viewer {
  userId: string;
  organisationId: string | null;
  sector: Sector | null;
  territoryId: string | null;
  roles: Role[];
  profession: Profession;
  /** The profession was proven by a Pro Santé Connect sign-in (users.profession_source), not only declared by an admin. */
  professionProven?: boolean;
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
  /** The organisation that referred the case. */
  referrerOrganisationId: string;
  state: string;
  /** The viewer attends an open session whose open agenda holds the case (charter accepted). */
  attending: boolean;
  /**
   * The viewer's organisation owns an open action of the case's current plan, and the viewer was
   * vouched for (a member or deputy of the commission, or the professional named on the action).
   */
  ownsAction: boolean;
  /** The latest consent recorded for the case, if any. */
  consent: ConsentFacts | null;
}

/** Fields released per class: 'all' or the listed field names. */
export type Release = Partial<Record<DataClass, 'all' | string[]>>;

/**
 * Why a class is not in a case view (API.md: `withheld`, a code per class, never a value):
 * - `no_consent`: no consent recorded; `consent_not_valid`: refused, withdrawn or expired;
 * - `sector_not_in_consent_scope`: the consent does not name the viewer's sector for the class;
 * - `profession_not_qualified`: health or social content, and the viewer's profession is not listed;
 * - `not_action_owner`: only the owner of an action of the plan receives it (identity, for a member);
 * - `never_for_relation`: a relation the viewer holds never receives it (coordination: identity, health, social);
 * - `not_in_state`: a relation the viewer holds receives it, but not in the case's current state;
 * - `not_released_to_relation`: none of the viewer's relations receives it;
 * - `erased`: released, but crypto-shredded at the end of retention (set when the view is built).
 */
export const WITHHELD_REASONS = [
  'no_consent',
  'consent_not_valid',
  'sector_not_in_consent_scope',
  'profession_not_qualified',
  'not_action_owner',
  'never_for_relation',
  'not_in_state',
  'not_released_to_relation',
  'erased',
] as const;
export type WithheldReason = (typeof WITHHELD_REASONS)[number];

export interface Decision {
  /**
   * The relations in effect: those the viewer holds AND whose rule lists the case's state. A
   * relation outside its states releases nothing, so it does not count (the case is then 404).
   */
  relations: Relation[];
  release: Release;
  /** Every class not released, in CLASSES order, with the reason. */
  withheld: { cls: DataClass; reason: WithheldReason }[];
}

/** The viewer's relations to the case (whatever its state): a role access.yaml lets hold each, and its fact. */
export function relationsOf(policy: Policy, viewer: Viewer, facts: CaseFacts): Relation[] {
  return relationsTo(policy, viewer, { kind: 'case', ...facts }, RELATIONS);
}

/** The case's latest consent counts (src/consent/consent.ts: the one rule of validity). */
export function consentIsValid(consent: ConsentFacts | null, at: Date): consent is ConsentFacts {
  return consent !== null && consentValidAt(standingOf(consent), at);
}

function inState(states: 'all' | string[], state: string): boolean {
  return states === 'all' || states.includes(state);
}

function professionAllows(policy: Policy, cls: ProtectedClass, profession: Profession, proven: boolean): boolean {
  if (cls === 'health') return policy.healthProfessions.includes(profession) && (proven || !policy.healthRequiresProvenProfession);
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
  const held = relationsOf(policy, viewer, facts);
  // An attending member of a session still open after the case was closed or deferred, an action
  // owner after closure: the tie exists, but the policy releases nothing in that state.
  const relations = held.filter((relation) => inState(policy.relations[relation].states, facts.state));
  const release: Release = {};
  /** Why a live relation's consented class was not released (the first check that failed). */
  const consentReasons: Partial<Record<ProtectedClass, WithheldReason>> = {};
  const consentValid = consentIsValid(facts.consent, at);
  for (const relation of relations) {
    const rule = policy.relations[relation];
    for (const cls of rule.always) release[cls] = 'all';
    for (const [cls, spec] of Object.entries(rule.consented) as [ProtectedClass, { fields: 'all' | string[] }][]) {
      const reason = consentRefusal(policy, viewer, facts.consent, consentValid, cls);
      if (reason) consentReasons[cls] ??= reason;
      else release[cls] = mergeFields(release[cls], spec.fields);
    }
  }
  // `never` binds the relation whatever else holds, except over the referrer's own record.
  const never = new Set<DataClass>();
  if (!held.includes('referrer')) {
    for (const relation of held) for (const cls of policy.never[relation] ?? []) never.add(cls);
    for (const cls of never) delete release[cls];
  }
  const withheld: Decision['withheld'] = [];
  for (const cls of CLASSES) {
    if (release[cls]) continue;
    withheld.push({
      cls,
      reason: withheldReason(policy, viewer, held, relations, cls, never.has(cls) ? 'never_for_relation' : consentReasons[cls as ProtectedClass]),
    });
  }
  return { relations, release, withheld };
}

/** Why a consented class is not released to this viewer (the first check that fails), or null if it is. */
function consentRefusal(policy: Policy, viewer: Viewer, consent: ConsentFacts | null, valid: boolean, cls: ProtectedClass): WithheldReason | null {
  if (!valid) return consent ? 'consent_not_valid' : 'no_consent';
  const scoped = viewer.sector !== null && consent!.scope.some((s) => s.sector === viewer.sector && s.classes.includes(cls));
  if (!scoped) return 'sector_not_in_consent_scope';
  if (!professionAllows(policy, cls, viewer.profession, viewer.professionProven === true)) return 'profession_not_qualified';
  return null;
}

const receives = (policy: Policy, relation: Relation, cls: DataClass) =>
  policy.relations[relation].always.includes(cls) || (isProtected(cls) && policy.relations[relation].consented[cls] !== undefined);

/**
 * The reason of a class left out of a case view, most specific first: struck by `never`, or a
 * live relation's consent check (given); then a relation the viewer holds that would receive it in
 * another state; then an action the viewer's organisation would have to own; otherwise no
 * relation of the viewer receives it.
 */
function withheldReason(policy: Policy, viewer: Viewer, held: Relation[], live: Relation[], cls: DataClass, given: WithheldReason | undefined): WithheldReason {
  if (given) return given;
  if (held.some((relation) => !live.includes(relation) && receives(policy, relation, cls))) return 'not_in_state';
  const couldOwn = policy.holders.action_owner.roles.some((role) => viewer.roles.includes(role));
  if (couldOwn && !held.includes('action_owner') && receives(policy, 'action_owner', cls)) return 'not_action_owner';
  return 'not_released_to_relation';
}

/**
 * The identity fields a text written by this viewer is checked against, with a refusal that says
 * so: those released to them, and no other. Checking a field the writer may not see would answer
 * whether their guess of it was right (issue 10: the leak guard as an oracle). A coordinator's
 * texts are checked against the generic patterns only (phone, email, NIR: the same answer
 * whatever the person's identity).
 */
export function identityFieldsSeenBy(decision: Decision): IdentityField[] {
  const fields = decision.release.identity;
  if (!fields) return [];
  return IDENTITY_FIELDS.filter((field) => fields === 'all' || fields.includes(field));
}

/**
 * Who reads a text held because it names the person (written by someone who may not see the
 * identity, see identityFieldsSeenBy): its author — their own words tell them nothing new, and
 * hiding them would tell them their guess was right — and whoever receives the whole identity.
 */
export function readsHeldText(decision: Decision, viewerId: string, authorId: string | null): boolean {
  return (authorId !== null && authorId === viewerId) || reviewsHeldTexts(decision);
}

/** Who is asked to have held texts rewritten: whoever receives the whole identity (the referrer). */
export function reviewsHeldTexts(decision: Decision): boolean {
  return decision.release.identity === 'all';
}

/** An organisation working with the person, as a case view may name it. */
export interface Party {
  organisationId: string | null;
  sector: Sector | null;
}

/**
 * Whether this viewer learns that `party` works with the person (an action of the plan, a line of
 * the history, the referring organisation, a partner sector): always for a relation whose
 * `involvement` is `all` (visibility.yaml); otherwise for the viewer's own organisation, a sector
 * whose involvement reveals nothing (sectors.yaml), or one whose involvement reveals a class the
 * person's valid consent releases to the viewer's sector — a landlord learns that the CMP follows
 * the person only if the consent names housing for health.
 */
export function involvementVisible(policy: Policy, viewer: Viewer, decision: Decision, facts: CaseFacts, at: Date, party: Party): boolean {
  if (decision.relations.some((relation) => policy.relations[relation].involvement === 'all')) return true;
  if (party.organisationId !== null && party.organisationId === viewer.organisationId) return true;
  if (party.sector === null) return false;
  if (party.sector === viewer.sector && party.organisationId === null) return true;
  const reveals = policy.sectors[party.sector].involvement;
  if (reveals === 'nothing') return true;
  if (!consentIsValid(facts.consent, at) || viewer.sector === null) return false;
  return facts.consent.scope.some((entry) => entry.sector === viewer.sector && entry.classes.includes(reveals));
}

export function isProtected(cls: DataClass): cls is ProtectedClass {
  return (PROTECTED_CLASSES as readonly string[]).includes(cls);
}

export function mayActAs(policy: Policy, relations: readonly Actor[], eventType: string): boolean {
  const allowed = policy.events[eventType] ?? [];
  return relations.some((r) => allowed.includes(r));
}

/**
 * The classes a document of a situation may be filed under (issue 12): the protected ones — a
 * signed form or a letter names the person, so it is never pseudonymised summary or plan.
 */
export const DOCUMENT_CLASSES = ['identity', 'social', 'health'] as const satisfies readonly ProtectedClass[];
export type DocumentClass = (typeof DOCUMENT_CLASSES)[number];

/**
 * A document is released like the class it is filed under, and only with the whole class: a
 * relation that receives some identity fields (an action owner: the names, address and phone an
 * action needs) does not receive an identity document, which may hold more (a birth date, a
 * signature).
 */
export function documentReleased(decision: Decision, cls: DocumentClass): boolean {
  return decision.release[cls] === 'all';
}

/** Why the documents of each class not released are withheld: the class's own reason, or, when only some of its fields are released, not to this relation. */
export function documentsWithheld(decision: Decision): Partial<Record<DocumentClass, WithheldReason>> {
  const reasons: Partial<Record<DocumentClass, WithheldReason>> = {};
  for (const cls of DOCUMENT_CLASSES) {
    if (documentReleased(decision, cls)) continue;
    reasons[cls] = decision.withheld.find((w) => w.cls === cls)?.reason ?? 'not_released_to_relation';
  }
  return reasons;
}
