/**
 * The scope the referrer proposes to the person before asking their consent (issue 15, item 2):
 * sectors × classes, printed on the information letter. It can only be a part of what the
 * policies could ever release under consent:
 *  - the classes some relation of visibility.yaml receives under consent (`consented`);
 *  - the sectors of sectors.yaml but the commission's own coordination (`involvement: nothing`),
 *    which never receives identity, health or social content (visibility.yaml `never`).
 */
import type { Policy, ProtectedClass, Sector } from '../access/policy.types.js';
import { PROTECTED_CLASSES, RELATIONS, SECTORS } from '../access/policy.types.js';
import { AppError } from '../common/errors.js';

export interface ScopeEntry {
  sector: Sector;
  classes: ProtectedClass[];
}

const proposables = new WeakMap<Policy, { readonly sectors: Sector[]; readonly classes: ProtectedClass[] }>();

/**
 * What a proposal (and so a letter) may name: the sectors and the classes, in the policies' order.
 * Computed once per loaded policy (every transition's build context carries it; callers only read it).
 */
export function proposableScope(policy: Policy): { readonly sectors: Sector[]; readonly classes: ProtectedClass[] } {
  let proposable = proposables.get(policy);
  if (!proposable) {
    const released = new Set(RELATIONS.flatMap((r) => Object.keys(policy.relations[r].consented ?? {})));
    proposable = {
      sectors: SECTORS.filter((s) => policy.sectors[s].involvement !== 'nothing'),
      classes: PROTECTED_CLASSES.filter((c) => released.has(c)),
    };
    proposables.set(policy, proposable);
  }
  return proposable;
}

/** Everything the policies allow: the letter's proposal when the referrer narrows nothing. */
export function fullProposal(policy: Policy): ScopeEntry[] {
  const { sectors, classes } = proposableScope(policy);
  return classes.length ? sectors.map((sector) => ({ sector, classes: [...classes] })) : [];
}

/** What the policies could ever release under consent: the sectors and the classes a scope may name. */
export type Proposable = ReturnType<typeof proposableScope>;

/**
 * The proposal checked against the policies, in their order (sectors, then classes). A sector or
 * a class they do not allow, or a sector named twice, is a 400 naming the field
 * (`scope.<i>.sector`, `scope.<i>.classes.<j>`).
 */
export function checkedProposal(policy: Policy, scope: ScopeEntry[]): ScopeEntry[] {
  return checkedScope(proposableScope(policy), scope);
}

/**
 * A scope (the letter's proposal, or the scope of a recorded consent: RECORD_CONSENT) checked
 * against what may be proposed, by the one rule of both: the policies' sectors and classes, in
 * their order; anything else is a 400 naming the field. A sector named twice is a mistake in a
 * proposal (`repeats: 'refused'`, a 400); a consent's scope has always accepted it (API.md's
 * form; `'merged'`: the answer unites its classes).
 */
export function checkedScope({ sectors, classes }: Proposable, scope: ScopeEntry[], repeats: 'refused' | 'merged' = 'refused'): ScopeEntry[] {
  const seen = new Set<Sector>();
  scope.forEach((entry, i) => {
    if (!sectors.includes(entry.sector)) {
      throw AppError.validation(`scope.${i}.sector`, `the policies release nothing to this sector under consent (allowed: ${sectors.join(', ')})`);
    }
    if (seen.has(entry.sector) && repeats === 'refused') throw AppError.validation(`scope.${i}.sector`, 'this sector is already named above');
    seen.add(entry.sector);
    entry.classes.forEach((cls, j) => {
      if (!classes.includes(cls)) {
        throw AppError.validation(`scope.${i}.classes.${j}`, `the policies release no such class under consent (allowed: ${classes.join(', ')})`);
      }
    });
  });
  return sectors
    .filter((sector) => seen.has(sector))
    .map((sector) => {
      const named = scope.filter((e) => e.sector === sector).flatMap((e) => e.classes);
      return { sector, classes: classes.filter((c) => named.includes(c)) };
    });
}
