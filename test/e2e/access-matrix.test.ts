/**
 * Issue 9, "One access decision for every resource": a role × relation × resource × action table
 * generated from policies/access.yaml and checked through the HTTP API of the real app. Callers
 * of every role hold (or not) every relation the permissions name — coordinator or user of the
 * territory, of another territory or of none, member or deputy of the commission, invited to the
 * session, attending it, having accepted the charter or not — and call every action's route. The
 * expectation is the test's own reading of access.yaml (`expectation` below), never the server's
 * decideAccess: allowed → the route's success status; otherwise 403, or 404 for a commission,
 * session or case of another territory; listings answer 200 and show the territory's rows exactly
 * when a permitting relation holds toward it. Every refusal must be in the access log.
 */
import path from 'node:path';
import type { Response } from 'supertest';
import { loadPolicy } from '../../src/access/policy.loader.js';
import { ACTIONS, type Action, type Condition, type Fact, type Policy, type ResourceKind, type Role } from '../../src/access/policy.types.js';
import { caseIn, inDays } from '../factories/lifecycle.js';
import { createPerson } from '../factories/secrecy.js';
import { call, caseBody, createWorld, createWorldApp, IDENTITY, PASSWORD, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

type Territory = 'A' | 'B' | null;

interface Persona {
  name: string;
  id: string;
  token: string;
  roles: Role[];
  territory: Territory;
  /** Member (or deputy) of commission C of territory A. */
  memberOfC: boolean;
  /** Invited to session S of C (for one case). */
  invitedToS: boolean;
  /** Recorded attendance at S, open, under C's current charter. */
  attendsS: boolean;
  /** Accepted C's current charter. */
  acceptedC: boolean;
}

/** What an action is tried on: its kind, its territory, and which facts hold for each caller. */
interface Target {
  kind: ResourceKind;
  territory: Territory;
  facts: (p: Persona) => Partial<Record<Fact, boolean>>;
  conditions?: (p: Persona) => Partial<Record<Condition, boolean>>;
}

interface Case {
  target: Target;
  /** The route as the guard logs it (`route:<METHOD> <path>`). */
  route: string;
  /** Sends the request as this caller; may prepare a fresh resource first. */
  send: (p: Persona) => Promise<Response>;
  ok: number;
  /** Listings: whether the answer shows territory A's rows. */
  showsA?: (res: Response) => boolean;
}

type Outcome = { allowed: true; relations: string[] } | { allowed: false; status: 403 | 404; reason: string };

const HIDDEN: ResourceKind[] = ['commission', 'session', 'case'];
const CONDITION_REASON: Record<Condition, string> = { charter_accepted: 'charter_not_accepted', session_open: 'session_not_open' };

/** The test's own reading of access.yaml for one caller, action and target. */
function expectation(policy: Policy, action: Action, p: Persona, target: Target): Outcome {
  const permission = policy.permissions[action];
  const facts = target.facts(p);
  const canHold = (relation: string) => policy.holders[relation].roles.some((role) => p.roles.includes(role));
  const relations = permission.relations.filter((relation) => canHold(relation) && facts[policy.holders[relation].fact] === true);
  if (!relations.length) {
    if (!permission.relations.some(canHold)) return { allowed: false, status: 403, reason: 'no_role' };
    if (HIDDEN.includes(target.kind) && p.territory !== target.territory) return { allowed: false, status: 404, reason: 'other_territory' };
    // A case the caller has no relation to does not exist for them.
    return { allowed: false, status: target.kind === 'case' ? 404 : 403, reason: 'no_relation' };
  }
  for (const condition of permission.when) {
    if (target.conditions?.(p)[condition] !== true) return { allowed: false, status: 403, reason: CONDITION_REASON[condition] };
  }
  return { allowed: true, relations };
}

/** Facts toward something of territory `t`. */
const territorial = (t: Territory) => (p: Persona) => ({
  everywhere: true,
  audit_reach: p.territory === null || p.territory === t,
  same_territory: p.territory !== null && p.territory === t,
});

/** The order actions are tried in: those that change a caller's facts come after those that read them. */
const ORDER: Exclude<Action, (typeof CASE_RELATION_ACTIONS)[number]>[] = [
  'me.read',
  'me.recent',
  'me.notifications',
  'me.todo',
  'territory.list',
  'territory.create',
  'organisation.list',
  'organisation.create',
  'user.list',
  'user.create',
  'user.update',
  'user.second-factor.remove',
  'user.second-factor.list',
  'user.second-factor.confirm',
  'user.oidc.invite',
  'user.oidc.list',
  'user.oidc.unlink',
  'commission.list',
  'commission.create',
  'commission.member.list',
  'commission.member.add',
  'commission.member.remove',
  'commission.charter.read',
  'commission.charter.publish',
  'session.list',
  'session.create',
  'session.agenda',
  'session.invite',
  'session.invitations.list',
  'session.open',
  'session.close',
  'session.dossier',
  'session.contribute',
  'session.attendance.list',
  'session.attendance.mark',
  'session.record.read',
  'session.record.write',
  'session.record.close',
  'session.attend',
  'case.create',
  'case.duplicates',
  'stats.read',
  'stats.regional',
  'audit.events.list',
  'audit.events.export',
  'audit.verify',
  'audit.access-report',
  'audit.situation.find',
  'register.read',
  'notification.deliveries',
  'rights.request.open',
  'rights.request.list',
  'rights.request.read',
  'rights.request.lookup',
  'rights.request.act',
  'rights.request.handler',
  'rights.lookups.report',
  'rights.copy',
  'rights.copies.mine',
  'commission.charter.accept',
  // Last: a caller's facts do not change, but it is the only action everyone is allowed.
  'me.password',
];

/**
 * Actions whose permitting relations are the four relations to a case of visibility.yaml: who
 * takes part is decided case by case (the relation in the case's state, and, for events,
 * events.yaml), which test/e2e/secrecy-matrix.test.ts (reads, per relation × state × class) and
 * test/e2e/lifecycle.test.ts (events, per relation × state) generate from policies/. Here: their
 * early refusal on role alone (below).
 */
const CASE_RELATION_ACTIONS = [
  'case.list',
  'case.read',
  'case.history',
  'case.event',
  'case.action.update',
  'case.action.list',
  'case.document.upload',
  'case.document.list',
  'case.document.read',
  'case.access-report',
  'case.information-letter',
  'case.consent-receipt',
  'case.consent-record',
] as const satisfies readonly Action[];
const CASE_RELATIONS = ['referrer', 'referring_service', 'coordinator', 'attending_member', 'action_owner'];

/** Refusals logged under another name than the action's (none today). */
const LOGGED_AS: Partial<Record<Action, Partial<Record<string, { action: string; purpose: string }>>>> = {};

describe('access: role × relation × resource × action matrix generated from policies/access.yaml', () => {
  let t: TestApp;
  let w: World;
  let o: World;
  let policy: Policy;
  let personas: Persona[];
  let cases: Record<Exclude<Action, (typeof CASE_RELATION_ACTIONS)[number]>, Case>;
  let caseKId: string;
  let counter = 0;
  const unique = (what: string) => `${what} ${++counter} ${Date.now()}`;
  /** (action, relation, role) triples seen allowed. */
  const exercised = new Set<string>();

  const send = (p: Persona, method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, body?: object) =>
    t.http()[method](url).set('authorization', `Bearer ${p.token}`).send(body);

  beforeAll(async () => {
    policy = loadPolicy(path.resolve('policies'));
    ({ t, w } = await createWorldApp());
    o = await createWorld(t);
    const C = w.commissionId;

    // Session S of C, open, with a case K on its agenda; the other referrer is invited for K.
    const S = (await call(t, w.coordinator.token, 'post', `/commissions/${C}/sessions`, { startsAt: inDays(0), endsAt: inDays(0.1) })).id as string;
    await call(t, w.coordinator.token, 'post', `/sessions/${S}/open`, undefined, 200);
    const K = await caseIn(t, w, 'scheduled', S);
    caseKId = K.id;
    for (const invitee of [w.otherReferrer, w.housingOfficer]) {
      await call(t, w.coordinator.token, 'post', `/sessions/${S}/invitations`, { userId: invitee.id, caseId: K.id });
    }
    await call(t, w.otherReferrer.token, 'post', `/commissions/${C}/charter/accept`, { version: 1 });
    for (const attendee of [w.psychiatrist, w.otherReferrer]) await call(t, attendee.token, 'post', `/sessions/${S}/attendance`);
    // Session P of C, planned, starting tomorrow (its dossier is open to prepare it), with a case K2
    // on its agenda the other referrer is invited for.
    const P = (await call(t, w.coordinator.token, 'post', `/commissions/${C}/sessions`, { startsAt: inDays(1), endsAt: inDays(1.1) })).id as string;
    const K2 = await caseIn(t, w, 'scheduled', P);
    await call(t, w.coordinator.token, 'post', `/sessions/${P}/invitations`, { userId: w.otherReferrer.id, caseId: K2.id });
    // Session R of C, held and its record closed, with a case K3 of the referrer on its agenda; the
    // psychiatrist and the other referrer (invited for K3) attended.
    const R = (await call(t, w.coordinator.token, 'post', `/commissions/${C}/sessions`, { startsAt: inDays(0), endsAt: inDays(0.1) })).id as string;
    await call(t, w.coordinator.token, 'post', `/sessions/${R}/open`, undefined, 200);
    const K3 = await caseIn(t, w, 'scheduled', R);
    await call(t, w.coordinator.token, 'post', `/sessions/${R}/invitations`, { userId: w.otherReferrer.id, caseId: K3.id });
    for (const attendee of [w.psychiatrist, w.otherReferrer]) await call(t, attendee.token, 'post', `/sessions/${R}/attendance`);
    await call(t, w.coordinator.token, 'post', `/sessions/${R}/close`, undefined, 200);
    await call(t, w.coordinator.token, 'post', `/sessions/${R}/record/close`, undefined, 200);

    // Rights request RQ (issue 15): open, K's person found, the town officer named its handler.
    const RQ = (await call(t, w.auditor.token, 'post', '/rights-requests', { territoryId: w.territoryId, kind: 'access', receivedOn: inDays(0).slice(0, 10) }))
      .id as string;
    await call(
      t,
      w.auditor.token,
      'post',
      `/rights-requests/${RQ}/lookup`,
      { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: IDENTITY.birthDate },
      200,
    );
    await call(t, w.coordinator.token, 'post', `/rights-requests/${RQ}/handler`, { userId: w.townOfficer.id }, 200);
    // A second one, RQ2, whose handler is a referrer (the other referrer): each role a handler may hold.
    const RQ2 = (await call(t, w.auditor.token, 'post', '/rights-requests', { territoryId: w.territoryId, kind: 'access', receivedOn: inDays(0).slice(0, 10) }))
      .id as string;
    await call(
      t,
      w.auditor.token,
      'post',
      `/rights-requests/${RQ2}/lookup`,
      { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: IDENTITY.birthDate },
      200,
    );
    await call(t, w.coordinator.token, 'post', `/rights-requests/${RQ2}/handler`, { userId: w.otherReferrer.id }, 200);

    const make = async (world: World, key: string, org: string | null, roles: Role[]) =>
      createPerson(t, world, key, { id: org, sector: null }, 'none', { roles });
    const auditorA = await make(w, 'auditor-a', w.orgs.municipal, ['auditor']);
    const adminA = await make(w, 'admin-a', w.orgs.municipal, ['admin']);
    const memberA = await make(w, 'member-a', w.orgs.housing, ['member']);
    const pendingMember = await make(w, 'pending-member', w.orgs.health, ['member']);
    const deputy = await make(w, 'deputy', w.orgs.social, ['member']);
    await call(t, w.coordinator.token, 'post', `/commissions/${C}/members`, { userId: pendingMember.id, deputyUserId: deputy.id });
    await call(t, deputy.token, 'post', `/commissions/${C}/charter/accept`, { version: 1 });
    const auditorB = await make(o, 'auditor-b', o.orgs.municipal, ['auditor']);
    const throwaway = await make(w, 'throwaway', w.orgs.housing, ['member']);

    const persona = (name: string, account: { id: string; token: string }, roles: Role[], territory: Territory, extra: Partial<Persona> = {}): Persona => ({
      name,
      id: account.id,
      token: account.token,
      roles,
      territory,
      memberOfC: false,
      invitedToS: false,
      attendsS: false,
      acceptedC: false,
      ...extra,
    });
    personas = [
      persona('admin (no territory)', w.admin, ['admin'], null),
      persona('admin attached to A', adminA, ['admin'], 'A'),
      persona('auditor of no territory (DPO)', w.auditor, ['auditor'], null),
      persona('auditor of A', auditorA, ['auditor'], 'A'),
      persona('auditor of B', auditorB, ['auditor'], 'B'),
      persona('coordinator of A', w.coordinator, ['coordinator'], 'A'),
      persona('coordinator of B', o.coordinator, ['coordinator'], 'B'),
      persona('referrer of A', w.referrer, ['referrer'], 'A'),
      persona('referrer of A invited to S, attending', w.otherReferrer, ['referrer'], 'A', { invitedToS: true, attendsS: true, acceptedC: true }),
      persona('referrer of B', o.referrer, ['referrer'], 'B'),
      persona('member of A, not of C', memberA, ['member'], 'A'),
      persona('member of C attending S', w.psychiatrist, ['member'], 'A', { memberOfC: true, attendsS: true, acceptedC: true }),
      persona('member of C, absent', w.townOfficer, ['member'], 'A', { memberOfC: true, acceptedC: true }),
      persona('member of C, invited to S, absent', w.housingOfficer, ['member'], 'A', { memberOfC: true, invitedToS: true, acceptedC: true }),
      persona('member of C, charter not accepted', pendingMember, ['member'], 'A', { memberOfC: true }),
      persona('deputy of a member of C', deputy, ['member'], 'A', { memberOfC: true, acceptedC: true }),
      persona('member of B', o.psychiatrist, ['member'], 'B'),
    ];

    const deployment: Target = { kind: 'deployment', territory: null, facts: () => ({ everywhere: true, audit_reach: true }) };
    const territoryA: Target = { kind: 'territory', territory: 'A', facts: territorial('A') };
    const commissionC: Target = {
      kind: 'commission',
      territory: 'A',
      facts: (p) => ({ ...territorial('A')(p), commission_member: p.memberOfC, invited: p.invitedToS }),
    };
    const freshCommission: Target = { kind: 'commission', territory: 'A', facts: territorial('A') };
    const sessionOf = (open: boolean, ofS: boolean): Target => ({
      kind: 'session',
      territory: 'A',
      facts: (p) => ({
        ...territorial('A')(p),
        commission_member: p.memberOfC,
        invited: ofS && p.invitedToS,
        attends: ofS && open && p.attendsS,
        attended: ofS && p.attendsS,
        // S is open: its dossier is its attendees' (a planned session starting tomorrow: its members' who accepted the charter).
        dossier_window: ofS ? open && p.attendsS : !open && p.memberOfC && p.acceptedC,
        referred_on_closed_record: false,
      }),
      conditions: (p) => ({ charter_accepted: p.acceptedC, session_open: open }),
    });
    const sessionP: Target = {
      kind: 'session',
      territory: 'A',
      facts: (p) => ({ ...territorial('A')(p), dossier_window: (p.memberOfC || p.id === w.otherReferrer.id) && p.acceptedC }),
    };
    const sessionR: Target = {
      kind: 'session',
      territory: 'A',
      facts: (p) => ({
        ...territorial('A')(p),
        attended: [w.psychiatrist.id, w.otherReferrer.id].includes(p.id),
        referred_on_closed_record: p.id === w.referrer.id,
      }),
    };
    const caseK: Target = { kind: 'case', territory: 'A', facts: territorial('A') };
    const accountInA: Target = { kind: 'account', territory: 'A', facts: territorial('A') };
    // An account of territory A with a second factor enrolled (the login helper enrols it).
    const enrolledInA = () => make(w, 'enrolled', w.orgs.housing, ['member']);
    const ownTerritory = (p: Persona): Target => ({ kind: 'territory', territory: p.territory ?? 'A', facts: territorial(p.territory ?? 'A') });

    const freshSession = async (open: boolean) => {
      const id = (await call(t, w.coordinator.token, 'post', `/commissions/${C}/sessions`, { startsAt: inDays(1), endsAt: inDays(1.1) })).id as string;
      if (open) await call(t, w.coordinator.token, 'post', `/sessions/${id}/open`, undefined, 200);
      return id;
    };
    const sessionBody = () => ({ startsAt: inDays(2), endsAt: inDays(2.1) });

    cases = {
      'me.read': {
        target: { ...deployment, kind: 'account', facts: () => ({ own_account: true }) },
        route: 'GET /me',
        ok: 200,
        send: (p) => send(p, 'get', '/me'),
      },
      'me.recent': {
        target: { ...deployment, kind: 'account', facts: () => ({ own_account: true }) },
        route: 'GET /me/recent-situations',
        ok: 200,
        send: (p) => send(p, 'get', '/me/recent-situations'),
      },
      'rights.copies.mine': {
        target: { ...deployment, kind: 'account', facts: () => ({ own_account: true }) },
        route: 'GET /me/rights-copies',
        ok: 200,
        send: (p) => send(p, 'get', '/me/rights-copies'),
      },
      'me.notifications': {
        target: { ...deployment, kind: 'account', facts: () => ({ own_account: true }) },
        route: 'GET /me/notifications',
        ok: 200,
        send: (p) => send(p, 'get', '/me/notifications'),
      },
      // The caller's own territory, whichever it is: what waits on them there.
      'me.todo': {
        target: { kind: 'territory', territory: 'A', facts: (p) => ownTerritory(p).facts(p) },
        route: 'GET /me/todo',
        ok: 200,
        send: (p) => send(p, 'get', '/me/todo'),
      },
      // Allowed to everyone: a wrong current password (400) shows it without changing anything.
      'me.password': {
        target: { ...deployment, kind: 'account', facts: () => ({ own_account: true }) },
        route: 'POST /me/password',
        ok: 400,
        send: (p) => send(p, 'post', '/me/password', { currentPassword: 'not-the-current-one', newPassword: 'a fresh passphrase of mine' }),
      },
      'user.second-factor.remove': {
        target: accountInA,
        route: 'POST /users/:id/second-factor/removal',
        ok: 201,
        send: async (p) => send(p, 'post', `/users/${(await enrolledInA()).id}/second-factor/removal`, { reason: 'lost_device' }),
      },
      'user.second-factor.list': {
        target: territoryA,
        route: 'GET /second-factor-removals',
        ok: 200,
        send: (p) => send(p, 'get', '/second-factor-removals'),
        showsA: (res) => (res.body as { items: { territoryId: string }[] }).items.some((r) => r.territoryId === w.territoryId),
      },
      'user.second-factor.confirm': {
        target: accountInA,
        route: 'POST /second-factor-removals/:id/confirm',
        ok: 200,
        send: async (p) => {
          // Asked by an administrator other than the caller: the confirmation is a second person's.
          const asker = p.id === w.admin.id ? adminA : w.admin;
          const removal = await call(t, asker.token, 'post', `/users/${(await enrolledInA()).id}/second-factor/removal`, { reason: 'lost_device' });
          return send(p, 'post', `/second-factor-removals/${removal.id}/confirm`);
        },
      },
      'territory.list': { target: deployment, route: 'GET /territories', ok: 200, send: (p) => send(p, 'get', '/territories') },
      'territory.create': {
        target: deployment,
        route: 'POST /territories',
        ok: 201,
        send: (p) => send(p, 'post', '/territories', { name: unique('CLSM matrice') }),
      },
      'organisation.list': {
        target: territoryA,
        route: 'GET /organisations',
        ok: 200,
        send: (p) => send(p, 'get', `/organisations?territoryId=${w.territoryId}`),
        showsA: (res) => (res.body as unknown[]).length > 0,
      },
      'organisation.create': {
        target: deployment,
        route: 'POST /organisations',
        ok: 201,
        send: (p) => send(p, 'post', '/organisations', { name: unique('Association'), sector: 'association', territoryId: w.territoryId }),
      },
      'user.list': {
        target: territoryA,
        route: 'GET /users',
        ok: 200,
        send: (p) => send(p, 'get', '/users'),
        showsA: (res) => (res.body as { territoryId: string | null }[]).some((u) => u.territoryId === w.territoryId),
      },
      'user.create': {
        target: deployment,
        route: 'POST /users',
        ok: 201,
        send: (p) =>
          send(p, 'post', '/users', {
            email: `matrix.${++counter}.${Date.now()}@test.local`,
            password: PASSWORD,
            displayName: 'M',
            organisationId: w.orgs.housing,
            roles: ['member'],
            profession: 'none',
          }),
      },
      'user.update': {
        target: deployment,
        route: 'PATCH /users/:id',
        ok: 200,
        send: (p) => send(p, 'patch', `/users/${throwaway.id}`, { displayName: unique('Renamed') }),
      },
      // Issue 16: an account's links to providers' identities.
      'user.oidc.invite': {
        target: deployment,
        route: 'POST /users/:id/oidc-invitations',
        ok: 201,
        send: (p) => send(p, 'post', `/users/${throwaway.id}/oidc-invitations`, {}),
      },
      'user.oidc.list': {
        target: deployment,
        route: 'GET /users/:id/oidc-identities',
        ok: 200,
        send: (p) => send(p, 'get', `/users/${throwaway.id}/oidc-identities`),
      },
      'user.oidc.unlink': {
        target: deployment,
        route: 'DELETE /users/:id/oidc-identities/:provider',
        ok: 204,
        send: async (p) => {
          // A link to remove, each time (as a provider's callback would have made it).
          await t.db.dataSource.query(
            `INSERT INTO oidc_identities (provider, subject, user_id, linked_by) VALUES ('matrix', $1, $2, 'invitation') ON CONFLICT DO NOTHING`,
            [`subject-${throwaway.id}`, throwaway.id],
          );
          return send(p, 'delete', `/users/${throwaway.id}/oidc-identities/matrix`);
        },
      },
      'commission.list': {
        target: territoryA,
        route: 'GET /commissions',
        ok: 200,
        send: (p) => send(p, 'get', '/commissions'),
        showsA: (res) => (res.body as { territoryId: string }[]).some((c) => c.territoryId === w.territoryId),
      },
      'commission.create': {
        target: territoryA,
        route: 'POST /commissions',
        ok: 201,
        send: (p) => send(p, 'post', '/commissions', { territoryId: w.territoryId, name: unique('Cellule') }),
      },
      'commission.member.list': {
        target: commissionC,
        route: 'GET /commissions/:id/members',
        ok: 200,
        send: (p) => send(p, 'get', `/commissions/${C}/members`),
      },
      'commission.member.add': {
        target: commissionC,
        route: 'POST /commissions/:id/members',
        ok: 201,
        send: (p) => send(p, 'post', `/commissions/${C}/members`, { userId: w.housingOfficer.id }),
      },
      'commission.member.remove': {
        target: commissionC,
        route: 'DELETE /commissions/:id/members/:userId',
        ok: 204,
        send: async (p) => {
          await call(t, w.coordinator.token, 'post', `/commissions/${C}/members`, { userId: throwaway.id });
          return send(p, 'delete', `/commissions/${C}/members/${throwaway.id}`);
        },
      },
      'commission.charter.read': {
        target: commissionC,
        route: 'GET /commissions/:id/charter',
        ok: 200,
        send: (p) => send(p, 'get', `/commissions/${C}/charter`),
      },
      'commission.charter.publish': {
        target: freshCommission,
        route: 'PUT /commissions/:id/charter',
        ok: 200,
        send: async (p) => {
          const fresh = (await call(t, w.coordinator.token, 'post', '/commissions', { territoryId: w.territoryId, name: unique('Cellule charte') }))
            .id as string;
          return send(p, 'put', `/commissions/${fresh}/charter`, { version: 1, text: 'Charte' });
        },
      },
      'session.list': { target: commissionC, route: 'GET /commissions/:id/sessions', ok: 200, send: (p) => send(p, 'get', `/commissions/${C}/sessions`) },
      'session.create': {
        target: commissionC,
        route: 'POST /commissions/:id/sessions',
        ok: 201,
        send: (p) => send(p, 'post', `/commissions/${C}/sessions`, sessionBody()),
      },
      'session.agenda': { target: sessionOf(true, true), route: 'GET /sessions/:id/agenda', ok: 200, send: (p) => send(p, 'get', `/sessions/${S}/agenda`) },
      'session.invite': {
        target: sessionOf(true, true),
        route: 'POST /sessions/:id/invitations',
        ok: 201,
        send: (p) => send(p, 'post', `/sessions/${S}/invitations`, { userId: w.housingOfficer.id, caseId: K.id }),
      },
      'session.invitations.list': {
        target: sessionOf(true, true),
        route: 'GET /sessions/:id/invitations',
        ok: 200,
        send: (p) => send(p, 'get', `/sessions/${S}/invitations`),
      },
      'session.open': {
        target: sessionOf(false, false),
        route: 'POST /sessions/:id/open',
        ok: 200,
        send: async (p) => send(p, 'post', `/sessions/${await freshSession(false)}/open`),
      },
      'session.close': {
        target: sessionOf(true, false),
        route: 'POST /sessions/:id/close',
        ok: 200,
        send: async (p) => send(p, 'post', `/sessions/${await freshSession(true)}/close`),
      },
      'session.dossier': { target: sessionOf(true, true), route: 'GET /sessions/:id/dossier', ok: 200, send: (p) => send(p, 'get', `/sessions/${S}/dossier`) },
      'session.contribute': {
        target: sessionP,
        route: 'PUT /sessions/:id/contributions/:caseId',
        ok: 200,
        send: (p) => send(p, 'put', `/sessions/${P}/contributions/${K2.id}`, { text: 'Le bailleur peut proposer un échéancier adapté.' }),
      },
      'session.attendance.list': {
        target: sessionOf(true, true),
        route: 'GET /sessions/:id/attendance',
        ok: 200,
        send: (p) => send(p, 'get', `/sessions/${S}/attendance`),
      },
      'session.attendance.mark': {
        target: sessionOf(true, true),
        route: 'PUT /sessions/:id/attendance/:userId',
        ok: 200,
        send: (p) => send(p, 'put', `/sessions/${S}/attendance/${w.psychiatrist.id}`, { present: true }),
      },
      'session.record.read': { target: sessionR, route: 'GET /sessions/:id/record', ok: 200, send: (p) => send(p, 'get', `/sessions/${R}/record`) },
      'session.record.write': {
        target: sessionOf(true, true),
        route: 'PUT /sessions/:id/record/items/:caseId',
        ok: 200,
        send: (p) => send(p, 'put', `/sessions/${S}/record/items/${K.id}`, { analysis: 'Situation à revoir avec le bailleur.' }),
      },
      'session.record.close': {
        target: sessionOf(true, false),
        route: 'POST /sessions/:id/record/close',
        ok: 200,
        send: async (p) => {
          const id = await freshSession(true);
          await call(t, w.coordinator.token, 'post', `/sessions/${id}/close`, undefined, 200);
          return send(p, 'post', `/sessions/${id}/record/close`);
        },
      },
      'session.attend': {
        target: sessionOf(true, true),
        route: 'POST /sessions/:id/attendance',
        ok: 201,
        send: (p) => send(p, 'post', `/sessions/${S}/attendance`),
      },
      'case.create': {
        // A referral goes to a commission of the caller's own territory (another's is a 400 of the body).
        target: territoryA,
        route: 'POST /cases',
        ok: 201,
        send: (p) => send(p, 'post', '/cases', caseBody(p.territory === 'B' ? o.commissionId : C)),
      },
      'case.duplicates': { target: caseK, route: 'GET /cases/:id/duplicates', ok: 200, send: (p) => send(p, 'get', `/cases/${K.id}/duplicates`) },
      'stats.read': { target: territoryA, route: 'GET /stats', ok: 200, send: (p) => send(p, 'get', `/stats?territoryId=${w.territoryId}`) },
      'audit.events.list': {
        target: territoryA,
        route: 'GET /audit/events',
        ok: 200,
        send: (p) => send(p, 'get', `/audit/events?territoryId=${w.territoryId}&limit=1`),
        showsA: (res) => (res.body as { items: unknown[] }).items.length > 0,
      },
      'audit.events.export': {
        target: territoryA,
        route: 'GET /audit/events/export',
        ok: 200,
        send: (p) => send(p, 'get', `/audit/events/export?format=json&territoryId=${w.territoryId}&action=commission.create`),
        showsA: (res) => (JSON.parse(res.text) as unknown[]).length > 0,
      },
      'audit.verify': { target: deployment, route: 'GET /audit/verify', ok: 200, send: (p) => send(p, 'get', '/audit/verify') },
      'audit.access-report': {
        target: territoryA,
        route: 'GET /audit/access-report',
        ok: 200,
        send: (p) => send(p, 'get', `/audit/access-report?caseId=${K.id}`),
        showsA: (res) => (res.body as { organisations: unknown[] }).organisations.length > 0,
      },
      'audit.situation.find': {
        target: territoryA,
        route: 'GET /audit/situations',
        ok: 200,
        send: (p) => send(p, 'get', `/audit/situations?ids=${K.id}`),
        showsA: (res) => (res.body as { items: unknown[] }).items.length > 0,
      },
      'register.read': { target: deployment, route: 'GET /register', ok: 200, send: (p) => send(p, 'get', '/register') },
      'stats.regional': { target: deployment, route: 'GET /stats/regional', ok: 200, send: (p) => send(p, 'get', '/stats/regional') },
      'notification.deliveries': {
        target: deployment,
        route: 'GET /notifications/deliveries',
        ok: 200,
        send: (p) => send(p, 'get', '/notifications/deliveries'),
      },
      // Issue 15: an open access request RQ of territory A, whose lookup linked the referrer's
      // situations of the world's person (K among them), with the town officer named its handler.
      'rights.request.open': {
        target: territoryA,
        route: 'POST /rights-requests',
        ok: 201,
        send: (p) => send(p, 'post', '/rights-requests', { territoryId: w.territoryId, kind: 'access', receivedOn: inDays(0).slice(0, 10) }),
      },
      'rights.request.list': {
        target: territoryA,
        route: 'GET /rights-requests',
        ok: 200,
        send: (p) => send(p, 'get', `/rights-requests?territoryId=${w.territoryId}`),
      },
      'rights.request.read': { target: territoryA, route: 'GET /rights-requests/:id', ok: 200, send: (p) => send(p, 'get', `/rights-requests/${RQ}`) },
      'rights.request.lookup': {
        target: territoryA,
        route: 'POST /rights-requests/:id/lookup',
        ok: 200,
        send: (p) =>
          send(p, 'post', `/rights-requests/${RQ}/lookup`, { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: IDENTITY.birthDate }),
      },
      'rights.request.act': {
        target: territoryA,
        route: 'GET /rights-requests/:id/access-report',
        ok: 200,
        send: (p) => send(p, 'get', `/rights-requests/${RQ}/access-report`),
      },
      'rights.request.handler': {
        target: territoryA,
        route: 'POST /rights-requests/:id/handler',
        ok: 200,
        send: (p) => send(p, 'post', `/rights-requests/${RQ}/handler`, { userId: w.townOfficer.id }),
      },
      // The coordinator's own territory, whichever it is: the lookups made there.
      'rights.lookups.report': {
        target: { kind: 'territory', territory: 'A', facts: (p) => ownTerritory(p).facts(p) },
        route: 'GET /rights-requests/lookups',
        ok: 200,
        send: (p) => send(p, 'get', '/rights-requests/lookups'),
      },
      'rights.copy': {
        target: {
          kind: 'case',
          territory: 'A',
          facts: (p) => ({
            ...territorial('A')(p),
            wrote_referral: p.id === w.referrer.id,
            named_rights_handler: p.id === w.townOfficer.id || p.id === w.otherReferrer.id,
          }),
        },
        route: 'GET /rights-requests/:id/situations/:caseId/copy',
        ok: 200,
        // The other referrer downloads as the handler of RQ2; everyone else tries RQ.
        send: (p) => send(p, 'get', `/rights-requests/${p.id === w.otherReferrer.id ? RQ2 : RQ}/situations/${K.id}/copy`),
      },
      'commission.charter.accept': {
        target: commissionC,
        route: 'POST /commissions/:id/charter/accept',
        ok: 201,
        send: (p) => send(p, 'post', `/commissions/${C}/charter/accept`, { version: 1 }),
      },
    };
    // case.create is decided on the caller's own territory.
    const create = cases['case.create'];
    cases['case.create'] = { ...create, target: { ...create.target, facts: (p) => ownTerritory(p).facts(p) } };
  });

  afterAll(async () => {
    await t?.close();
  });

  const denials = async (p: Persona, action: string, purpose: string): Promise<number> => {
    const [{ n }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 AND action = $2 AND decision = 'deny' AND purpose = $3`,
      [p.id, action, purpose],
    );
    return n as number;
  };

  it('tries every action of access.yaml, with callers of every role', () => {
    expect([...ORDER, ...CASE_RELATION_ACTIONS].sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const action of CASE_RELATION_ACTIONS) {
      expect({ action, relations: policy.permissions[action].relations.filter((r) => !CASE_RELATIONS.includes(r)) }).toEqual({ action, relations: [] });
    }
    expect(Object.keys(cases).sort()).toEqual([...ORDER].sort());
    expect(new Set(personas.flatMap((p) => p.roles))).toEqual(new Set(['referrer', 'member', 'coordinator', 'auditor', 'admin']));
  });

  it.each(ORDER)('%s: each caller gets exactly what access.yaml permits, and every refusal is logged', async (action) => {
    const c = cases[action];
    const problems: string[] = [];
    let allowed = 0;
    let refused = 0;
    for (const p of personas) {
      const outcome = expectation(policy, action, p, c.target);
      if (c.showsA) {
        // A listing: refused only by role; otherwise it shows A's rows when a relation permits.
        const res = await c.send(p);
        if (!outcome.allowed && outcome.reason === 'no_role') {
          refused++;
          if (res.status !== 403) problems.push(`${p.name}: ${res.status} instead of 403`);
          continue;
        }
        if (outcome.allowed) allowed++;
        else refused++;
        if (res.status !== c.ok) problems.push(`${p.name}: ${res.status} instead of ${c.ok}`);
        else if (c.showsA(res) !== outcome.allowed) problems.push(`${p.name}: ${outcome.allowed ? 'does not see' : 'sees'} territory A`);
        continue;
      }
      const logged = outcome.allowed
        ? undefined
        : (LOGGED_AS[action]?.[outcome.reason] ??
          (outcome.reason === 'no_role' ? { action: `route:${c.route}`, purpose: 'no_role' } : { action, purpose: outcome.reason }));
      const before = logged ? await denials(p, logged.action, logged.purpose) : 0;
      const res = await c.send(p);
      if (outcome.allowed) {
        allowed++;
        if (res.status !== c.ok) problems.push(`${p.name}: ${res.status} instead of ${c.ok} (${JSON.stringify(res.body?.detail)})`);
        for (const relation of outcome.relations) for (const role of p.roles) exercised.add(`${action}|${relation}|${role}`);
        if (action === 'session.attend') p.attendsS = true;
        if (action === 'commission.charter.accept') p.acceptedC = true;
        continue;
      }
      refused++;
      if (res.status !== outcome.status) problems.push(`${p.name}: ${res.status} instead of ${outcome.status} (${outcome.reason})`);
      if (res.status === 403 && res.body?.reason !== undefined && res.body.reason !== outcome.reason) problems.push(`${p.name}: reason ${res.body.reason}`);
      if (logged && (await denials(p, logged.action, logged.purpose)) !== before + 1)
        problems.push(`${p.name}: refusal not logged as ${logged.action} / ${logged.purpose}`);
    }
    expect(problems).toEqual([]);
    // Both answers were seen (everyone reads their own account, reads and notifications: me.read, me.password, me.recent and me.notifications have no refusal to see).
    expect({ action, allowed: allowed > 0, refused: refused > 0 }).toEqual({
      action,
      allowed: true,
      refused: !['me.read', 'me.password', 'me.recent', 'me.notifications'].includes(action),
    });
  });

  it('answers a caller who can hold no relation to any case as for an unknown case (404), and lists nothing for them', async () => {
    const outsiders = personas.filter((p) => !p.roles.some((role) => CASE_RELATIONS.some((r) => policy.holders[r].roles.includes(role))));
    expect(outsiders.map((p) => p.roles[0]).sort()).toEqual(['admin', 'admin', 'auditor', 'auditor', 'auditor']);
    for (const p of outsiders) {
      expect((await send(p, 'get', `/cases/${caseKId}`)).status).toBe(404);
      expect((await send(p, 'get', `/cases/${caseKId}/history`)).status).toBe(404);
      expect((await send(p, 'post', `/cases/${caseKId}/events`, { type: 'UNSCHEDULE', expectedVersion: 1 })).status).toBe(404);
      expect((await send(p, 'patch', `/cases/${caseKId}/actions/${caseKId}`, { status: 'done' })).status).toBe(404);
      expect((await send(p, 'get', `/cases/${caseKId}/documents`)).status).toBe(404);
      expect((await send(p, 'get', `/cases/${caseKId}/documents/${caseKId}`)).status).toBe(404);
      expect((await send(p, 'post', `/cases/${caseKId}/documents`)).status).toBe(404);
      expect((await send(p, 'get', `/cases/${caseKId}/access-report`)).status).toBe(404);
      expect((await send(p, 'post', `/cases/${caseKId}/consent/letter`, {})).status).toBe(404);
      expect((await send(p, 'post', `/cases/${caseKId}/consent/receipt`)).status).toBe(404);
      expect((await send(p, 'get', `/cases/${caseKId}/consent/record`)).status).toBe(404);
      const list = await send(p, 'get', '/cases');
      expect({ who: p.name, status: list.status, items: (list.body as { items: unknown[] }).items }).toEqual({ who: p.name, status: 200, items: [] });
      const actions = await send(p, 'get', '/actions');
      expect({ who: p.name, status: actions.status, items: (actions.body as { items: unknown[] }).items }).toEqual({ who: p.name, status: 200, items: [] });
      expect(await denials(p, 'route:GET /cases/:id', 'no_role')).toBeGreaterThan(0);
    }
  });

  it('has exercised every role of every relation each action permits', () => {
    const missing: string[] = [];
    for (const action of ORDER) {
      if (cases[action].showsA) continue;
      for (const relation of policy.permissions[action].relations) {
        for (const role of policy.holders[relation].roles) if (!exercised.has(`${action}|${relation}|${role}`)) missing.push(`${action} ${relation} ${role}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
