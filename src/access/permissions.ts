import type { Viewer } from './access.js';
import { ROLES, type Action, type Condition, type Policy, type ResourceKind, type Role } from './policy.types.js';
import { relationsTo, rolesHold, territoryOf, type Resource } from './resources.js';

/**
 * Why an action was refused (the `purpose` of the refusal in the access log):
 * - `no_role`: none of the caller's roles can hold a relation that permits the action;
 * - `other_territory`: the resource belongs to another territory (answered 404);
 * - `no_relation`: the caller holds no relation to this resource that permits the action;
 * - a condition's own reason (`charter_not_accepted`, `session_not_open`).
 */
export type DenialReason = 'no_role' | 'other_territory' | 'no_relation' | ConditionReason;
type ConditionReason = 'charter_not_accepted' | 'session_not_open';

export type AccessDecision = { allowed: true; relations: string[] } | { allowed: false; reason: DenialReason; status: 403 | 404 };

/**
 * Resources that do not exist for a caller of another territory: named by id in a path, they are
 * answered 404 rather than 403, which would confirm that the id is real.
 */
const HIDDEN_ACROSS_TERRITORIES: readonly ResourceKind[] = ['commission', 'session', 'case'];

const CONDITION_CHECKS: Record<Condition, { holds: (resource: Resource) => boolean; reason: ConditionReason }> = {
  charter_accepted: { holds: (r) => r.kind === 'session' && r.acceptedCurrentCharter, reason: 'charter_not_accepted' },
  session_open: { holds: (r) => r.kind === 'session' && r.status === 'open', reason: 'session_not_open' },
};

/** The roles that could ever hold a relation permitting the action (what the route guard checks). */
export function rolesFor(policy: Policy, action: Action): Role[] {
  return ROLES.filter((role) => policy.permissions[action].relations.some((relation) => rolesHold(policy, [role], relation)));
}

/** One of these roles could hold a relation that permits the action (to some resource). */
export function rolesMay(policy: Policy, roles: readonly Role[], action: Action): boolean {
  return policy.permissions[action].relations.some((relation) => rolesHold(policy, roles, relation));
}

/** The one decision for every action on every resource: relations first, then conditions. */
export function decideAccess(policy: Policy, viewer: Viewer, action: Action, resource: Resource): AccessDecision {
  const permission = policy.permissions[action];
  const relations = relationsTo(policy, viewer, resource, permission.relations);
  if (!relations.length) {
    if (!rolesMay(policy, viewer.roles, action)) return { allowed: false, reason: 'no_role', status: 403 };
    if (HIDDEN_ACROSS_TERRITORIES.includes(resource.kind) && territoryOf(resource) !== viewer.territoryId) {
      return { allowed: false, reason: 'other_territory', status: 404 };
    }
    // A case the caller has no relation to does not exist for them.
    return { allowed: false, reason: 'no_relation', status: resource.kind === 'case' ? 404 : 403 };
  }
  for (const condition of permission.when) {
    const check = CONDITION_CHECKS[condition];
    if (!check.holds(resource)) return { allowed: false, reason: check.reason, status: 403 };
  }
  return { allowed: true, relations };
}

/** The territories a listing may show: every one, or those listed (possibly none). */
export type TerritoryScope = { all: true } | { all: false; territoryIds: string[] };

/**
 * What a listing by territory may show this caller, from the same relations as decideAccess: the
 * territories toward which the caller would hold a permitting relation. Relations that depend on
 * one resource (a membership, an attendance) open no territory: such rows are decided one by one.
 */
export function scopeOf(policy: Policy, viewer: Viewer, action: Action): TerritoryScope {
  const territories = new Set<string>();
  for (const relation of policy.permissions[action].relations) {
    if (!rolesHold(policy, viewer.roles, relation)) continue;
    const { fact } = policy.holders[relation];
    if (fact === 'everywhere' || (fact === 'audit_reach' && viewer.territoryId === null)) return { all: true };
    if ((fact === 'audit_reach' || fact === 'same_territory') && viewer.territoryId !== null) territories.add(viewer.territoryId);
  }
  return { all: false, territoryIds: [...territories] };
}

export function inScope(scope: TerritoryScope, territoryId: string): boolean {
  return scope.all || scope.territoryIds.includes(territoryId);
}

/**
 * Why an account could not hold `relation` toward the resource once its fact is established (a
 * user added as a commission member, invited to a session), or null when it could: the relation's
 * roles, and the resource's territory.
 */
export function eligibility(
  policy: Policy,
  account: { roles: readonly Role[]; territoryId: string | null },
  relation: string,
  resource: Resource,
): 'role' | 'other_territory' | null {
  if (account.territoryId === null || account.territoryId !== territoryOf(resource)) return 'other_territory';
  return rolesHold(policy, account.roles, relation) ? null : 'role';
}

const inWords = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** What access.yaml's `accounts` refuses in a set of roles, as a message naming roles only; null if none. */
export function accountRolesProblem(
  policy: Policy,
  roles: readonly Role[],
  organisationId: string | null | undefined,
): { field: string; message: string } | null {
  if (!organisationId && roles.some((role) => policy.accounts.withOrganisation.includes(role))) {
    return { field: 'organisationId', message: `required for the ${inWords(policy.accounts.withOrganisation)} roles` };
  }
  const clash = policy.accounts.exclusive.find((set) => set.every((role) => roles.includes(role)));
  if (clash) return { field: 'roles', message: `the roles ${clash.join(' and ')} are not held by one account (separation of duties)` };
  return null;
}
