import { decideRelease, relationsOf, type CaseFacts, type Viewer } from './access.js';
import { accountRolesProblem, decideAccess, eligibility, inScope, rolesFor, scopeOf } from './permissions.js';
import { loadPolicy } from './policy.loader.js';
import { ACTIONS, ROLES, type Action, type Relation, type Role } from './policy.types.js';
import { relationsTo, type SessionResource } from './resources.js';

const policy = loadPolicy('policies');
const AT = new Date('2026-06-01T00:00:00Z');

function viewer(roles: Role[], territoryId: string | null = 'A', extra: Partial<Viewer> = {}): Viewer {
  return { userId: 'u', organisationId: territoryId ? 'o' : null, sector: 'health', territoryId, roles, profession: 'physician', ...extra };
}

function session(extra: Partial<SessionResource> = {}): SessionResource {
  return {
    kind: 'session',
    id: 's',
    territoryId: 'A',
    commissionId: 'c',
    status: 'open',
    member: false,
    invited: false,
    attends: false,
    attended: false,
    dossierWindow: false,
    referredOnClosedRecord: false,
    charterVersion: 1,
    acceptedCurrentCharter: false,
    ...extra,
  };
}

/** All subsets of the roles. */
const ROLE_SETS: Role[][] = Array.from({ length: 1 << ROLES.length }, (_, mask) => ROLES.filter((_, i) => mask & (1 << i))).filter((r) => r.length);

describe('decideAccess', () => {
  it('lets the coordinator of the territory open its session, and hides it from another territory (404)', () => {
    expect(decideAccess(policy, viewer(['coordinator']), 'session.open', session())).toEqual({ allowed: true, relations: ['coordinator'] });
    expect(decideAccess(policy, viewer(['coordinator'], 'B'), 'session.open', session())).toEqual({ allowed: false, reason: 'other_territory', status: 404 });
  });

  it('refuses a role that can never be permitted the action (403, whatever the resource)', () => {
    expect(decideAccess(policy, viewer(['referrer']), 'session.open', session())).toEqual({ allowed: false, reason: 'no_role', status: 403 });
    expect(decideAccess(policy, viewer(['referrer'], 'B'), 'session.open', session())).toEqual({ allowed: false, reason: 'no_role', status: 403 });
  });

  it('answers 403 to a caller of the territory without the relation, and names the failed condition', () => {
    const member = viewer(['member']);
    expect(decideAccess(policy, member, 'session.attend', session())).toEqual({ allowed: false, reason: 'no_relation', status: 403 });
    expect(decideAccess(policy, member, 'session.attend', session({ member: true }))).toEqual({ allowed: false, reason: 'charter_not_accepted', status: 403 });
    expect(decideAccess(policy, member, 'session.attend', session({ member: true, acceptedCurrentCharter: true }))).toMatchObject({ allowed: true });
    expect(decideAccess(policy, viewer(['referrer']), 'session.attend', session({ invited: true, acceptedCurrentCharter: true }))).toEqual({
      allowed: true,
      relations: ['session_invitee'],
    });
    // The dossier (issue 12): a member reads it in its window only — preparing the session, or present until the record is closed.
    expect(decideAccess(policy, member, 'session.dossier', session({ member: true, acceptedCurrentCharter: true, status: 'planned' }))).toEqual({
      allowed: false,
      reason: 'no_relation',
      status: 403,
    });
    expect(decideAccess(policy, member, 'session.dossier', session({ member: true, dossierWindow: true, status: 'planned' }))).toEqual({
      allowed: true,
      relations: ['dossier_reader'],
    });
    expect(decideAccess(policy, viewer(['referrer']), 'session.record.read', session({ referredOnClosedRecord: true, status: 'closed' }))).toEqual({
      allowed: true,
      relations: ['record_referrer'],
    });
  });

  it('answers 403, never 404, for a territory named in a body or a query', () => {
    expect(decideAccess(policy, viewer(['coordinator']), 'stats.read', { kind: 'territory', territoryId: 'B' })).toEqual({
      allowed: false,
      reason: 'no_relation',
      status: 403,
    });
  });

  it('gives the guard exactly the roles that can hold a permitting relation', () => {
    expect(rolesFor(policy, 'session.attend')).toEqual(['referrer', 'member']);
    expect(rolesFor(policy, 'commission.member.list')).toEqual(['member', 'coordinator', 'admin']);
    expect(rolesFor(policy, 'audit.verify')).toEqual(['auditor']);
    for (const action of Object.keys(ACTIONS) as Action[]) expect({ action, roles: rolesFor(policy, action).length > 0 }).toEqual({ action, roles: true });
  });
});

describe('scopeOf', () => {
  it('agrees with the decision on a territory, for every action, role set and attachment', () => {
    for (const action of Object.keys(ACTIONS) as Action[]) {
      // The relations whose fact is about territories alone: the others depend on one resource.
      const territorial = policy.permissions[action].relations.filter((r) => ['everywhere', 'audit_reach', 'same_territory'].includes(policy.holders[r].fact));
      for (const roles of ROLE_SETS) {
        for (const attached of ['A', null]) {
          const v = viewer(roles, attached);
          const scope = scopeOf(policy, v, action);
          for (const territory of ['A', 'B']) {
            const held = relationsTo(policy, v, { kind: 'territory', territoryId: territory }, territorial).length > 0;
            expect({ action, roles, attached, territory, inScope: inScope(scope, territory) }).toEqual({ action, roles, attached, territory, inScope: held });
          }
        }
      }
    }
  });

  it('gives admins every territory, a territory user theirs, a deployment-wide auditor every territory for the log', () => {
    expect(scopeOf(policy, viewer(['admin'], null), 'commission.list')).toEqual({ all: true });
    expect(scopeOf(policy, viewer(['referrer']), 'commission.list')).toEqual({ all: false, territoryIds: ['A'] });
    expect(scopeOf(policy, viewer(['auditor'], null), 'commission.list')).toEqual({ all: false, territoryIds: [] });
    expect(scopeOf(policy, viewer(['auditor'], null), 'audit.events.list')).toEqual({ all: true });
    expect(scopeOf(policy, viewer(['auditor'], 'A'), 'audit.events.list')).toEqual({ all: false, territoryIds: ['A'] });
  });
});

describe('the case relations, now from access.yaml', () => {
  /** relationsOf() as it was written in code before the role → relation mapping moved to policies/. */
  function formerRelationsOf(v: Viewer, facts: CaseFacts): Relation[] {
    const has = (role: Role) => v.roles.some((r) => r === role);
    const relations: Relation[] = [];
    if (v.userId === facts.referrerUserId && has('referrer')) relations.push('referrer');
    // Issue 10: a colleague of the referring organisation (to record a withdrawal).
    if (has('referrer') && v.organisationId !== null && v.organisationId === facts.referrerOrganisationId && v.userId !== facts.referrerUserId)
      relations.push('referring_service');
    if (has('coordinator') && v.territoryId === facts.territoryId) relations.push('coordinator');
    const professional = has('member') || has('referrer');
    if (facts.attending && professional) relations.push('attending_member');
    if (facts.ownsAction && v.organisationId && professional) relations.push('action_owner');
    return relations;
  }

  it('are the relations the code used to compute, for every role set and every combination of facts', () => {
    let checked = 0;
    for (const roles of ROLE_SETS) {
      for (let mask = 0; mask < 64; mask++) {
        const bit = (i: number) => Boolean(mask & (1 << i));
        const v = viewer(roles, bit(0) ? 'A' : 'B', { organisationId: bit(1) ? 'o' : null });
        const facts: CaseFacts = {
          territoryId: 'A',
          referrerUserId: bit(2) ? 'u' : 'other',
          referrerOrganisationId: bit(5) ? 'o' : 'other-org',
          state: 'plan_active',
          attending: bit(3),
          ownsAction: bit(4),
          consent: null,
        };
        expect({ roles, mask, relations: relationsOf(policy, v, facts) }).toEqual({ roles, mask, relations: formerRelationsOf(v, facts) });
        checked++;
      }
    }
    expect(checked).toBe(31 * 64);
  });
});

describe('withheld: a reason for every class not released', () => {
  const CONSENT = {
    decision: 'granted' as const,
    expiresAt: null,
    withdrawnAt: null,
    scope: [{ sector: 'health' as const, classes: ['identity' as const, 'health' as const] }],
  };
  const facts = (extra: Partial<CaseFacts>): CaseFacts => ({
    territoryId: 'A',
    referrerUserId: 'someone',
    referrerOrganisationId: 'referring-org',
    state: 'scheduled',
    attending: false,
    ownsAction: false,
    consent: CONSENT,
    ...extra,
  });
  const withheld = (v: Viewer, f: CaseFacts) => Object.fromEntries(decideRelease(policy, v, f, AT).withheld.map((w) => [w.cls, w.reason]));

  it('covers exactly the classes not released', () => {
    const decision = decideRelease(policy, viewer(['member']), facts({ attending: true }), AT);
    expect([...Object.keys(decision.release), ...decision.withheld.map((w) => w.cls)].sort()).toEqual(
      ['consent', 'health', 'identity', 'meta', 'plan', 'social', 'summary'].sort(),
    );
  });

  it('a policy requiring a proven profession (issue 16) withholds health from a declared one, and only then', () => {
    const attending = facts({ attending: true });
    const strict = { ...policy, healthRequiresProvenProfession: true };
    const released = (p: typeof policy, v: Viewer) => Object.keys(decideRelease(p, v, attending, AT).release).includes('health');
    expect(released(policy, viewer(['member']))).toBe(true);
    expect(released(policy, viewer(['member'], 'A', { professionProven: true }))).toBe(true);
    expect(released(strict, viewer(['member']))).toBe(false);
    expect(Object.fromEntries(decideRelease(strict, viewer(['member']), attending, AT).withheld.map((w) => [w.cls, w.reason]))).toMatchObject({
      health: 'profession_not_qualified',
    });
    expect(released(strict, viewer(['member'], 'A', { professionProven: true }))).toBe(true);
    // Proven, but not a health profession: still nothing.
    expect(released(strict, viewer(['member'], 'A', { professionProven: true, profession: 'social_worker' }))).toBe(false);
  });

  it('names the rule that withheld each class', () => {
    expect(withheld(viewer(['coordinator']), facts({}))).toEqual({
      identity: 'never_for_relation',
      health: 'never_for_relation',
      social: 'never_for_relation',
    });
    const attending = facts({ attending: true });
    expect(withheld(viewer(['member']), attending)).toEqual({
      consent: 'not_released_to_relation',
      identity: 'not_action_owner',
      social: 'sector_not_in_consent_scope',
    });
    expect(withheld(viewer(['member'], 'A', { profession: 'none' }), attending)).toMatchObject({ health: 'profession_not_qualified' });
    expect(withheld(viewer(['member'], 'A', { sector: 'housing' }), attending)).toMatchObject({ health: 'sector_not_in_consent_scope' });
    expect(withheld(viewer(['member']), facts({ attending: true, consent: null }))).toMatchObject({ health: 'no_consent', social: 'no_consent' });
    expect(withheld(viewer(['member']), facts({ attending: true, consent: { ...CONSENT, withdrawnAt: '2026-05-01T00:00:00Z' } }))).toMatchObject({
      health: 'consent_not_valid',
    });
    // Owning an action counts from the plan on: in `scheduled` the tie exists but releases nothing yet.
    expect(withheld(viewer(['member']), facts({ attending: true, ownsAction: true }))).toMatchObject({ identity: 'not_in_state' });
    // The referrer's own record: nothing withheld.
    expect(withheld(viewer(['referrer'], 'A', { userId: 'someone' }), facts({}))).toEqual({});
  });
});

describe('eligibility and accounts', () => {
  const commission = { kind: 'commission' as const, id: 'c', territoryId: 'A', member: false, invited: false };

  it('lets a member of the territory become a member of its commission, and says why anyone else cannot', () => {
    expect(eligibility(policy, { roles: ['member'], territoryId: 'A' }, 'commission_member', commission)).toBeNull();
    expect(eligibility(policy, { roles: ['referrer'], territoryId: 'A' }, 'commission_member', commission)).toBe('role');
    expect(eligibility(policy, { roles: ['member'], territoryId: 'B' }, 'commission_member', commission)).toBe('other_territory');
    expect(eligibility(policy, { roles: ['referrer'], territoryId: 'A' }, 'session_invitee', session())).toBeNull();
  });

  it("refuses the roles access.yaml's accounts exclude, naming roles only", () => {
    expect(accountRolesProblem(policy, ['member'], null)).toEqual({
      field: 'organisationId',
      message: 'required for the referrer, member and coordinator roles',
    });
    expect(accountRolesProblem(policy, ['coordinator', 'auditor'], 'o')).toEqual({
      field: 'roles',
      message: 'the roles auditor and coordinator are not held by one account (separation of duties)',
    });
    expect(accountRolesProblem(policy, ['auditor'], null)).toBeNull();
  });

  it('keeps whoever administers or audits away from every role that reads situations (separation of duties)', () => {
    for (const overseer of ['admin', 'auditor'] as const) {
      for (const reader of ['referrer', 'member', 'coordinator'] as const) {
        expect(accountRolesProblem(policy, [reader, overseer], 'o')).toEqual({
          field: 'roles',
          message: `the roles ${overseer} and ${reader} are not held by one account (separation of duties)`,
        });
      }
    }
    expect(accountRolesProblem(policy, ['member', 'referrer'], 'o')).toBeNull();
    expect(accountRolesProblem(policy, ['admin'], null)).toBeNull();
  });
});
