import type { CaseFacts, Viewer } from './access.js';
import type { Fact, Policy, Role } from './policy.types.js';

/**
 * What an action is done on, with the facts about the caller that the server read with it (the
 * repositories load them in the same query as the row: src/commissions/attendance.sql.ts).
 */
export type Resource = DeploymentResource | AccountResource | TerritoryResource | CommissionResource | SessionResource | CaseResource;

/** The deployment as a whole: territories, accounts, the register, the access log. */
export interface DeploymentResource {
  kind: 'deployment';
}

export interface AccountResource {
  kind: 'account';
  userId: string;
  /** The account's territory (its organisation's), when the decision needs it: null for none. */
  territoryId?: string | null;
}

/** A territory named in a body or a query (a list's filter, where statistics or a commission go). */
export interface TerritoryResource {
  kind: 'territory';
  territoryId: string | null;
}

export interface CommissionResource {
  kind: 'commission';
  id: string;
  territoryId: string;
  /** The caller is a member, or a deputy, of the commission. */
  member: boolean;
  /** The caller is invited to one of its sessions. */
  invited: boolean;
}

export interface SessionResource {
  kind: 'session';
  id: string;
  territoryId: string;
  commissionId: string;
  status: 'planned' | 'open' | 'closed';
  /** The caller is a member, or a deputy, of the session's commission. */
  member: boolean;
  /** The caller is invited to this session. */
  invited: boolean;
  /** The caller recorded attendance at this session, open now, under the current charter. */
  attends: boolean;
  /** The caller's presence at this session is recorded (by themself or ticked by the coordinator), whatever its status. */
  attended: boolean;
  /** The caller may read the dossier now: preparing it before the session, or attending it until the record is closed. */
  dossierWindow: boolean;
  /** The caller wrote the referral of a situation the session's closed record holds. */
  referredOnClosedRecord: boolean;
  /** The commission's current charter version (null: none published yet). */
  charterVersion: number | null;
  /** The caller accepted that version. */
  acceptedCurrentCharter: boolean;
}

export interface CaseResource extends CaseFacts {
  kind: 'case';
  id?: string;
  /** The caller is the handler the coordinator named on an open rights request linking the case (issue 15). */
  rightsHandler?: boolean;
}

/** The territory a resource belongs to (undefined: the deployment, an account loaded without it). */
export function territoryOf(resource: Resource): string | null | undefined {
  switch (resource.kind) {
    case 'deployment':
      return undefined;
    case 'account':
      return resource.territoryId;
    default:
      return resource.territoryId;
  }
}

/** How each fact of access.yaml is read off the caller and the resource. */
const FACT_CHECKS: Record<Fact, (viewer: Viewer, resource: Resource) => boolean> = {
  everywhere: () => true,
  audit_reach: (viewer, resource) => {
    const territory = territoryOf(resource);
    return viewer.territoryId === null || territory === undefined || territory === viewer.territoryId;
  },
  own_account: (viewer, resource) => resource.kind === 'account' && resource.userId === viewer.userId,
  same_territory: (viewer, resource) => viewer.territoryId !== null && territoryOf(resource) === viewer.territoryId,
  commission_member: (_, resource) => (resource.kind === 'commission' || resource.kind === 'session') && resource.member,
  invited: (_, resource) => (resource.kind === 'commission' || resource.kind === 'session') && resource.invited,
  attends: (_, resource) => resource.kind === 'session' && resource.attends,
  attended: (_, resource) => resource.kind === 'session' && resource.attended,
  dossier_window: (_, resource) => resource.kind === 'session' && resource.dossierWindow,
  referred_on_closed_record: (_, resource) => resource.kind === 'session' && resource.referredOnClosedRecord,
  wrote_referral: (viewer, resource) => resource.kind === 'case' && resource.referrerUserId === viewer.userId,
  referring_organisation: (viewer, resource) =>
    resource.kind === 'case' &&
    viewer.organisationId !== null &&
    resource.referrerOrganisationId === viewer.organisationId &&
    resource.referrerUserId !== viewer.userId,
  attends_review: (_, resource) => resource.kind === 'case' && resource.attending,
  owns_action: (viewer, resource) => resource.kind === 'case' && resource.ownsAction && viewer.organisationId !== null,
  named_rights_handler: (_, resource) => resource.kind === 'case' && resource.rightsHandler === true,
};

export function factHolds(fact: Fact, viewer: Viewer, resource: Resource): boolean {
  return FACT_CHECKS[fact](viewer, resource);
}

/** One of `roles` is among those access.yaml lets hold the relation. */
export function rolesHold(policy: Policy, roles: readonly Role[], relation: string): boolean {
  const holder = policy.holders[relation];
  return holder !== undefined && holder.roles.some((role) => roles.includes(role));
}

/** Which of `relations` the viewer holds toward the resource: a role that can hold it, and its fact. */
export function relationsTo<R extends string>(policy: Policy, viewer: Viewer, resource: Resource, relations: readonly R[]): R[] {
  return relations.filter((relation) => rolesHold(policy, viewer.roles, relation) && factHolds(policy.holders[relation].fact, viewer, resource));
}
