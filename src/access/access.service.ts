import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors.js';
import { decideRelease, involvementVisible, mayActAs, relationsOf, type CaseFacts, type Decision, type Party, type Viewer } from './access.js';
import {
  accountRolesProblem,
  decideAccess,
  eligibility,
  rolesFor,
  rolesMay,
  scopeOf,
  type AccessDecision,
  type DenialReason,
  type TerritoryScope,
} from './permissions.js';
import { decidePublic, type PublicFacts } from './public.js';
import { CASE_CONTENT_ACTIONS, type PublicAction, type Action, type Actor, type Policy, type Relation, type Role } from './policy.types.js';
import { relationsTo, rolesHold, territoryOf, type Resource, type SessionResource } from './resources.js';

const NOUN: Record<Resource['kind'], string> = {
  deployment: 'Resource',
  account: 'Account',
  territory: 'Territory',
  commission: 'Commission',
  session: 'Session',
  case: 'Case',
};

/** The ids of a resource, for the access log (never anything else). */
function reference(resource: Resource): Record<string, string> {
  switch (resource.kind) {
    case 'commission':
      return { commissionId: resource.id };
    case 'session':
      return { sessionId: resource.id, commissionId: resource.commissionId };
    case 'territory':
      return resource.territoryId ? { territoryId: resource.territoryId } : {};
    case 'account':
      return { userId: resource.userId };
    default:
      return {};
  }
}

/** Listings whose rows the policy decides one by one: never refused on role (GET /cases, GET /actions). */
const ROW_BY_ROW: ReadonlySet<Action> = new Set<Action>(['case.list', 'case.action.list']);

export interface RequireOptions {
  requestId?: string;
}

/**
 * The one place that decides who may do what, from the documents of policies/: every action on
 * every resource (access.yaml), and what a case view releases (visibility.yaml) and who sends
 * which event (events.yaml). Controllers declare their action (`@Access`); services load the
 * resource with the caller's facts and call `require`; nobody else reads roles or compares
 * territories. Every refusal is written to the access log here.
 */
@Injectable()
export class AccessService {
  constructor(
    readonly policy: Policy,
    private readonly audit: AuditService,
  ) {}

  /** The decision alone, without logging or throwing (tests, previews). */
  decide(viewer: Viewer, action: Action, resource: Resource): AccessDecision {
    return decideAccess(this.policy, viewer, action, resource);
  }

  /**
   * Allows the action on the resource, answering the relations that permit it; otherwise writes
   * the refusal to the access log and throws: 404 for a commission, session or case of another
   * territory, 403 otherwise.
   */
  async require(viewer: Viewer, action: Action, resource: Resource, options: RequireOptions = {}): Promise<string[]> {
    const decision = this.decide(viewer, action, resource);
    if (decision.allowed) return decision.relations;
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: territoryOf(resource) ?? viewer.territoryId,
      action,
      caseId: resource.kind === 'case' ? (resource.id ?? null) : null,
      decision: 'deny',
      purpose: decision.reason,
      requestId: options.requestId,
      detail: reference(resource),
    });
    if (decision.status === 404) throw AppError.notFound(NOUN[resource.kind]);
    throw new AppError('forbidden', this.refusal(action, resource, decision.reason), { reason: decision.reason });
  }

  /**
   * The early refusal of the route guard: none of the caller's roles can hold a relation that
   * permits the route's action, whatever the resource. Logged as `route:<METHOD> <path>`.
   */
  async requireRoute(viewer: Viewer, action: Action, route: string, requestId?: string): Promise<void> {
    // A listing decided row by row answers what the caller may see, possibly nothing.
    if (ROW_BY_ROW.has(action) || rolesMay(this.policy, viewer.roles, action)) return;
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: viewer.territoryId,
      action: `route:${route}`,
      decision: 'deny',
      purpose: 'no_role',
      requestId,
      detail: { action },
    });
    // A case the caller cannot be related to is answered as an unknown one: 404, whatever the id.
    if (CASE_CONTENT_ACTIONS.includes(action)) throw AppError.notFound(NOUN.case);
    throw new AppError('forbidden', this.refusal(action, { kind: 'deployment' }, 'no_role'), { reason: 'no_role' });
  }

  /** Whether an anonymous caller's facts open a public action (access.yaml `public`): the caller logs both outcomes. */
  allowsPublic(action: PublicAction, facts: PublicFacts): boolean {
    return decidePublic(this.policy, action, facts);
  }

  /** The territories a listing of `action` may show this caller ("admin sees all, others their territory"). */
  scope(viewer: Viewer, action: Action): TerritoryScope {
    return scopeOf(this.policy, viewer, action);
  }

  /** These roles could be permitted the action (to some resource): e.g. an admin keeps the roles that manage accounts. */
  rolesMay(roles: readonly Role[], action: Action): boolean {
    return rolesMay(this.policy, roles, action);
  }

  /** Why this account could not hold the relation toward the resource (a new member, an invitee), or null. */
  eligibility(account: { roles: readonly Role[]; territoryId: string | null }, relation: string, resource: Resource): 'role' | 'other_territory' | null {
    return eligibility(this.policy, account, relation, resource);
  }

  /** One of these roles can hold the relation (access.yaml `holders`): who may be named to it. */
  rolesHold(roles: readonly Role[], relation: string): boolean {
    return rolesHold(this.policy, roles, relation);
  }

  /** The roles access.yaml lets hold a relation (for messages). */
  holders(relation: string): Role[] {
    return this.policy.holders[relation]?.roles ?? [];
  }

  /** What access.yaml's `accounts` refuses in an account's roles (a field and a message), or null. */
  accountRolesProblem(roles: readonly Role[], organisationId: string | null | undefined): { field: string; message: string } | null {
    return accountRolesProblem(this.policy, roles, organisationId);
  }

  /** Accounts holding one of these roles pass a second factor at every login (access.yaml accounts.secondFactor). */
  secondFactorRequired(roles: readonly Role[]): boolean {
    return roles.some((role) => this.policy.accounts.secondFactor.includes(role));
  }

  private refusal(action: Action, resource: Resource, reason: DenialReason): string {
    switch (reason) {
      case 'no_role':
        return `This call (${action}) requires the role ${rolesFor(this.policy, action).join(' or ')}`;
      case 'charter_not_accepted':
        return resource.kind === 'session' && resource.charterVersion !== null
          ? `Accept version ${resource.charterVersion} of the commission's charter first`
          : 'The commission has no charter yet';
      case 'session_not_open':
        return `${action} is possible only while the session is open`;
      default:
        return `No relation of yours to this ${resource.kind} permits ${action} (it takes: ${this.policy.permissions[action].relations.join(', ')})`;
    }
  }

  // ---- The case decisions (formerly PolicyService; the same instance answers to both names) ----

  relations(viewer: Viewer, facts: CaseFacts): Relation[] {
    return relationsOf(this.policy, viewer, facts);
  }

  /** What a case view releases to the viewer at `at` (the clock's time: consent expiry depends on it). */
  release(viewer: Viewer, facts: CaseFacts, at: Date): Decision {
    return decideRelease(this.policy, viewer, facts, at);
  }

  /** Whether this viewer learns that `party` works with the person (access.ts involvementVisible). */
  involvementVisible(viewer: Viewer, decision: Decision, facts: CaseFacts, at: Date, party: Party): boolean {
    return involvementVisible(this.policy, viewer, decision, facts, at, party);
  }

  mayDoEvent(relations: readonly Actor[], eventType: string): boolean {
    return mayActAs(this.policy, relations, eventType);
  }

  /** Event types these relations may send, whatever the state (the machine decides the state part). */
  eventsFor(relations: readonly Actor[]): string[] {
    return Object.keys(this.policy.events).filter((e) => mayActAs(this.policy, relations, e));
  }

  /** These relations to a case permit moving an action of its plan (access.yaml, case.action.update). */
  mayUpdateAction(relations: readonly Relation[]): boolean {
    return relations.some((r) => this.policy.permissions['case.action.update'].relations.includes(r));
  }

  /** These relations to a case permit the action (access.yaml): for a case route decided on the relations already computed. */
  relationsPermit(relations: readonly Relation[], action: Action): boolean {
    return relations.some((r) => this.policy.permissions[action].relations.includes(r));
  }

  get reopenWindowDays(): number {
    return this.policy.reopen.windowDays;
  }

  get consentValidityMonths(): number {
    return this.policy.consent.defaultValidityMonths;
  }

  /**
   * What one situation of a session's dossier releases to the viewer: as a case read, a reader of
   * the dossier (access.yaml `dossier_reader`: preparing the session, or having attended it until
   * its record is closed) holding `attending_member` for the situations they sit for — every one
   * for a member or deputy of the commission, the one they are invited for otherwise.
   * visibility.yaml then decides, as for any attending member (pseudonymised; never identity on
   * its own).
   */
  dossierRelease(viewer: Viewer, facts: CaseFacts, session: SessionResource, invitedForCase: boolean, at: Date): Decision {
    const sits = relationsTo(this.policy, viewer, session, ['dossier_reader']).length > 0 && (session.member || invitedForCase);
    return this.release(viewer, { ...facts, attending: facts.attending || sits }, at);
  }

  /** The record's part a referrer reads of a closed record: their own situations only. */
  readsRecordOf(viewer: Viewer, session: SessionResource, referrerUserId: string): boolean {
    if (relationsTo(this.policy, viewer, session, ['coordinator', 'session_participant']).length) return true;
    return relationsTo(this.policy, viewer, session, ['record_referrer']).length > 0 && referrerUserId === viewer.userId;
  }

  /** Days before a session its dossier opens to the members who accepted the charter (lifecycle.yaml). */
  get dossierOpensDaysBefore(): number {
    return this.policy.dossier.opensDaysBefore;
  }

  get followUpMonths(): number {
    return this.policy.followUp.defaultMonths;
  }

  /** statistics.yaml: under this count, a figure meant for publication is "suppressed". */
  get smallCountThreshold(): number {
    return this.policy.statistics.smallCountThreshold;
  }
}
