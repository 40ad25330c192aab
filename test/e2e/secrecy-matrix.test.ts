/**
 * Issue 3, "Views": a role × relation × class × state matrix generated from the policy documents
 * and checked through the HTTP API. Cases are driven through every state the API can reach, under
 * every consent situation (none / refused / granted with two different scopes / withdrawn /
 * expired); each is read by viewers of every relation (referrer, a colleague of the referring
 * service, coordinator, attending member, action owner, none) and of several sector × profession
 * pairs. The expectation is computed by the test's own reading of policies/ (expectedRelease,
 * expectedInvolvement), never by the server's decisions.
 *
 * Issue 10's rules are in the matrix: attending ends when the plan is adopted (the case leaves the
 * open agenda); action ownership relates only professionals the coordinator vouched for (members
 * of the commission, or named on the action) — an account of the owning organisation that is
 * neither gets nothing —, and only while an action of theirs is open; organisations working with
 * the person are named as far as the consent releases their involvement.
 */
import path from 'node:path';
import { loadPolicy } from '../../src/access/policy.loader.js';
import type { Policy, Relation, Role, Sector } from '../../src/access/policy.types.js';
import { caseBody, createWorldApp, HEALTH_TEXT, IDENTITY, SOCIAL_TEXT, type World } from '../factories/world.js';
import {
  compareView,
  createCase,
  createOrganisation,
  createPerson,
  createSession,
  expectedInvolvement,
  expectedRelease,
  expectedWithheld,
  get,
  grantedConsent,
  JUSTIFICATION,
  liveRelations,
  planActions,
  post,
  refusedConsent,
  step,
  type CaseHandle,
  type Expectation,
  type Person,
  type ScopeEntry,
} from '../factories/secrecy.js';
import { type TestApp } from '../support/app.js';

// Scope A names health for the health sector (with identity and social), identity for housing,
// and health for the town: health reaches a non-health sector only because it is named there.
const SCOPE_A: ScopeEntry[] = [
  { sector: 'health', classes: ['identity', 'health', 'social'] },
  { sector: 'housing', classes: ['identity'] },
  { sector: 'municipal', classes: ['health'] },
];
// Scope B names nothing for health; housing gets social and health (its staff have no qualifying
// profession, so neither is released); the social sector gets identity.
const SCOPE_B: ScopeEntry[] = [
  { sector: 'housing', classes: ['social', 'health'] },
  { sector: 'social', classes: ['identity'] },
];

type Step =
  | 'SUBMIT'
  | 'ACCEPT'
  | 'REFUSE'
  | 'ANON'
  | 'CONSENT_A'
  | 'CONSENT_B'
  | 'SCHEDULE_OPEN'
  | 'SCHEDULE_PLANNED'
  | 'START'
  | 'ADOPT'
  | 'ADOPT_B'
  | 'FOLLOW'
  | 'CLOSE'
  | 'DEFER'
  | 'WITHDRAW'
  | 'EXPIRE'
  | 'DONE';

const TO_REVIEW_ANON: Step[] = ['SUBMIT', 'ACCEPT', 'ANON', 'SCHEDULE_OPEN', 'START'];
const TO_REVIEW_A: Step[] = ['SUBMIT', 'ACCEPT', 'CONSENT_A', 'SCHEDULE_OPEN', 'START'];

/** key → the steps that lead there. The consent situation follows from the steps. */
const SPECS: Record<string, Step[]> = {
  draft: [],
  submitted: ['SUBMIT'],
  awaiting_consent: ['SUBMIT', 'ACCEPT'],
  consent_refused: ['SUBMIT', 'ACCEPT', 'REFUSE'],
  anonymous_ready: ['SUBMIT', 'ACCEPT', 'ANON'],
  anonymous_scheduled: ['SUBMIT', 'ACCEPT', 'ANON', 'SCHEDULE_OPEN'],
  anonymous_in_review: TO_REVIEW_ANON,
  anonymous_plan_active: [...TO_REVIEW_ANON, 'ADOPT'],
  anonymous_follow_up: [...TO_REVIEW_ANON, 'ADOPT', 'FOLLOW'],
  anonymous_closed: [...TO_REVIEW_ANON, 'CLOSE'],
  granted_ready: ['SUBMIT', 'ACCEPT', 'CONSENT_A'],
  granted_scheduled_planned_session: ['SUBMIT', 'ACCEPT', 'CONSENT_A', 'SCHEDULE_PLANNED'],
  granted_scheduled: ['SUBMIT', 'ACCEPT', 'CONSENT_A', 'SCHEDULE_OPEN'],
  granted_in_review: TO_REVIEW_A,
  granted_deferred: [...TO_REVIEW_A, 'DEFER'],
  granted_plan_active: [...TO_REVIEW_A, 'ADOPT'],
  granted_follow_up: [...TO_REVIEW_A, 'ADOPT', 'FOLLOW'],
  granted_closed: [...TO_REVIEW_A, 'ADOPT', 'FOLLOW', 'CLOSE'],
  scope_b_plan_active: ['SUBMIT', 'ACCEPT', 'CONSENT_B', 'SCHEDULE_OPEN', 'START', 'ADOPT_B'],
  withdrawn_from_scheduled: ['SUBMIT', 'ACCEPT', 'CONSENT_A', 'SCHEDULE_OPEN', 'WITHDRAW'],
  withdrawn_from_plan_active: [...TO_REVIEW_A, 'ADOPT', 'WITHDRAW'],
  expired_in_review: [...TO_REVIEW_A, 'EXPIRE'],
  expired_plan_active: [...TO_REVIEW_A, 'ADOPT', 'EXPIRE'],
  // Every action done: ownership no longer releases anything (issue 10).
  actions_done_plan_active: [...TO_REVIEW_A, 'ADOPT', 'DONE'],
};

interface Built {
  handle: CaseHandle;
  consent: { valid: boolean; scope: ScopeEntry[] } | null;
  /** On the open session's open agenda (scheduled there, not removed, its plan not adopted there). */
  onOpenAgenda: boolean;
  /** Owner organisation → the professional named on its action (null: none named). */
  owners: Map<string, string | null>;
  /** Every action of the plan is done. */
  allDone: boolean;
}

interface Viewer {
  name: string;
  account: { id: string; token: string; organisationId: string | null };
  sector: Sector | null;
  profession: Person['profession'];
  roles: Role[];
  attends: boolean;
  /** A member of the commission (vouched for by its coordinator). */
  member: boolean;
}

describe('secrecy: release matrix generated from policies/', () => {
  let t: TestApp;
  let w: World;
  let policy: Policy;
  let openSession: string;
  let viewers: Viewer[];
  const built = new Map<string, Built>();
  let epsm: string;

  beforeAll(async () => {
    policy = loadPolicy(path.resolve('policies'));
    ({ t, w } = await createWorldApp());
    epsm = await createOrganisation(t, w, 'EPSM Sud matrix', 'health');
    const healthNone = await createPerson(t, w, 'cmp-secretary', { id: w.orgs.health, sector: 'health' }, 'none', { commissionMember: true });
    const townNurse = await createPerson(t, w, 'town-nurse', { id: w.orgs.municipal, sector: 'municipal' }, 'nurse', { commissionMember: true });
    const absentPhysician = await createPerson(t, w, 'absent-physician', { id: w.orgs.health, sector: 'health' }, 'physician', { commissionMember: true });
    const housingStaff = await createPerson(t, w, 'housing-staff', { id: w.orgs.housing, sector: 'housing' }, 'none');
    const epsmNurse = await createPerson(t, w, 'epsm-nurse', { id: epsm, sector: 'health' }, 'nurse');
    // The puppet: an account an admin created in an organisation that owns actions, neither a
    // member of the commission nor named on an action.
    const housingPuppet = await createPerson(t, w, 'housing-puppet', { id: w.orgs.housing, sector: 'housing' }, 'none');
    const members = [w.psychiatrist, w.housingOfficer, w.townOfficer, healthNone, townNurse, absentPhysician];

    openSession = await createSession(t, w, true);
    const attendees = [w.psychiatrist, w.housingOfficer, w.townOfficer, healthNone, townNurse];
    for (const a of attendees) {
      const res = await post(t, a.token, `/sessions/${openSession}/attendance`);
      if (res.status !== 201) throw new Error(`attendance → ${res.status}`);
    }
    const v = (name: string, account: Viewer['account'], sector: Sector | null, profession: Viewer['profession'], roles: Role[] = ['member']): Viewer => ({
      name,
      account,
      sector,
      profession,
      roles,
      attends: attendees.some((a) => a.id === account.id),
      member: members.some((m) => m.id === account.id),
    });
    viewers = [
      v('referrer (social, social_worker)', w.referrer, 'social', 'social_worker', ['referrer']),
      v('other referrer of the same service', w.otherReferrer, 'social', 'social_worker', ['referrer']),
      v('coordinator', w.coordinator, 'coordination', 'none', ['coordinator']),
      v('auditor', w.auditor, null, 'none', ['auditor']),
      v('admin', w.admin, null, 'none', ['admin']),
      v('CMP psychiatrist (attends)', w.psychiatrist, 'health', 'physician'),
      v('CMP secretary, profession none (attends)', healthNone, 'health', 'none'),
      v('CMP physician who did not attend', absentPhysician, 'health', 'physician'),
      v('landlord officer (attends, owns actions)', w.housingOfficer, 'housing', 'none'),
      v('landlord staff (named on its action only)', housingStaff, 'housing', 'none'),
      v('landlord account neither member nor named (puppet)', housingPuppet, 'housing', 'none'),
      v('town officer (attends)', w.townOfficer, 'municipal', 'none'),
      v('town nurse (attends)', townNurse, 'municipal', 'nurse'),
      v('EPSM nurse (named on its action only)', epsmNurse, 'health', 'nurse'),
    ];

    const plannedSession = await createSession(t, w, false);
    const ref = w.referrer.token;
    const coord = w.coordinator.token;
    for (const [key, steps] of Object.entries(SPECS)) {
      const c = await createCase(t, ref, caseBody(w.commissionId));
      const b: Built = { handle: c, consent: null, onOpenAgenda: false, owners: new Map(), allDone: false };
      for (const s of steps) {
        switch (s) {
          case 'SUBMIT':
            await step(t, ref, c, 'SUBMIT');
            break;
          case 'ACCEPT':
            await step(t, coord, c, 'ACCEPT');
            break;
          case 'REFUSE':
            await step(t, ref, c, 'RECORD_CONSENT', refusedConsent());
            b.consent = { valid: false, scope: [] };
            break;
          case 'ANON':
            await step(t, ref, c, 'REVIEW_WITHOUT_CONSENT', { justification: JUSTIFICATION });
            break;
          case 'CONSENT_A':
          case 'CONSENT_B': {
            const scope = s === 'CONSENT_A' ? SCOPE_A : SCOPE_B;
            await step(t, ref, c, 'RECORD_CONSENT', grantedConsent(scope));
            b.consent = { valid: true, scope };
            break;
          }
          case 'SCHEDULE_OPEN':
            await step(t, coord, c, 'SCHEDULE', { sessionId: openSession });
            b.onOpenAgenda = true;
            break;
          case 'SCHEDULE_PLANNED':
            await step(t, coord, c, 'SCHEDULE', { sessionId: plannedSession });
            break;
          case 'START':
            await step(t, coord, c, 'START_REVIEW');
            break;
          case 'ADOPT':
          case 'ADOPT_B': {
            const owners = s === 'ADOPT' ? [w.orgs.housing, epsm] : [w.orgs.housing, w.orgs.municipal];
            const named: Record<string, string> =
              s === 'ADOPT' ? { [w.orgs.housing]: housingStaff.id, [epsm]: epsmNurse.id } : { [w.orgs.housing]: housingStaff.id };
            await step(t, coord, c, 'ADOPT_PLAN', { actions: planActions(owners, named) });
            b.owners = new Map(owners.map((o) => [o, named[o] ?? null]));
            // The case left the session's open agenda with the adoption.
            b.onOpenAgenda = false;
            break;
          }
          case 'DONE': {
            const view = await get(t, coord, `/cases/${c.id}`);
            for (const action of view.body.plan.actions as { id: string }[]) {
              const res = await t.http().patch(`/cases/${c.id}/actions/${action.id}`).set('authorization', `Bearer ${coord}`).send({ status: 'done' });
              if (res.status !== 200) throw new Error(`action done → ${res.status}`);
            }
            b.allDone = true;
            break;
          }
          case 'FOLLOW':
            await step(t, coord, c, 'FOLLOW_UP_DUE');
            break;
          case 'CLOSE':
            await step(t, coord, c, 'CLOSE', { outcome: 'Plan réalisé, situation stabilisée' });
            break;
          case 'DEFER':
            // Deferred to a later session: off this session's agenda (and ready_for_review is not
            // a state of attending_member anyway).
            await step(t, coord, c, 'DEFER');
            b.onOpenAgenda = false;
            break;
          case 'WITHDRAW':
            await step(t, ref, c, 'WITHDRAW_CONSENT');
            b.consent = b.consent && { ...b.consent, valid: false };
            b.onOpenAgenda = false; // removed from every agenda of a session not closed yet
            break;
          case 'EXPIRE':
            await t.db.dataSource.query(`UPDATE consents SET expires_at = now() - interval '1 day' WHERE case_id = $1`, [c.id]);
            b.consent = b.consent && { ...b.consent, valid: false };
            break;
        }
      }
      built.set(key, b);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  function relationsOf(viewer: Viewer, b: Built): Relation[] {
    const relations: Relation[] = [];
    const org = viewer.account.organisationId;
    if (viewer.account.id === w.referrer.id) relations.push('referrer');
    if (viewer.account.id === w.otherReferrer.id) relations.push('referring_service');
    if (viewer.account.id === w.coordinator.id) relations.push('coordinator');
    if (viewer.attends && b.onOpenAgenda) relations.push('attending_member');
    const ownsOpen = org !== null && b.owners.has(org) && !b.allDone;
    if (ownsOpen && (viewer.member || b.owners.get(org) === viewer.account.id)) relations.push('action_owner');
    return relations;
  }

  function situationOf(viewer: Viewer, b: Built) {
    return {
      state: b.handle.state,
      relations: relationsOf(viewer, b),
      consent: b.consent,
      viewer: { sector: viewer.sector, profession: viewer.profession, roles: viewer.roles },
      viewerOrganisationId: viewer.account.organisationId,
    };
  }

  const sectorOf = (organisationId: string): Sector =>
    organisationId === epsm ? 'health' : (Object.entries(w.orgs).find(([, id]) => id === organisationId)![0] as Sector);

  /** The organisations (and partner sectors) the view names, against the test's own reading of policies/. */
  function involvementProblems(name: string, body: Record<string, unknown>, viewer: Viewer, b: Built): string[] {
    const s = situationOf(viewer, b);
    const problems: string[] = [];
    const plan = body.plan as { actions: { ownerOrganisationId: string }[] } | undefined;
    if (plan) {
      const got = plan.actions.map((a) => a.ownerOrganisationId).sort();
      const want = [...b.owners.keys()].filter((o) => expectedInvolvement(policy, s, { organisationId: o, sector: sectorOf(o) })).sort();
      if (got.join() !== want.join()) problems.push(`${name}: plan names ${got.length} owners instead of ${want.length}`);
    }
    const meta = body.meta as { referrerOrganisationId: string | null } | undefined;
    if (meta) {
      const named = expectedInvolvement(policy, s, { organisationId: w.orgs.social, sector: 'social' });
      if ((meta.referrerOrganisationId === w.orgs.social) !== named) problems.push(`${name}: referring organisation ${named ? 'hidden' : 'named'}`);
    }
    const summary = body.summary as { partnersInvolved: string[] } | undefined;
    if (summary) {
      const want = (['health', 'housing'] as Sector[]).filter((sector) => expectedInvolvement(policy, s, { organisationId: null, sector }));
      if (summary.partnersInvolved.join() !== want.join()) problems.push(`${name}: partners [${summary.partnersInvolved}] instead of [${want}]`);
    }
    return problems;
  }

  function expectationFor(viewer: Viewer, b: Built): Expectation {
    return expectedRelease(policy, situationOf(viewer, b));
  }

  /** Each class left out, with the reason the view must give (API.md: `withheld`). */
  function withheldProblems(name: string, body: { withheld?: Record<string, string> }, viewer: Viewer, b: Built): string[] {
    const expected = expectedWithheld(policy, situationOf(viewer, b));
    const got = body.withheld ?? {};
    return JSON.stringify(sorted(got)) === JSON.stringify(sorted(expected))
      ? []
      : [`${name}: withheld ${JSON.stringify(sorted(got))} instead of ${JSON.stringify(sorted(expected))}`];
  }

  /** Every withheld reason the views gave, to check that the matrix met them all. */
  const reasonsSeen = new Set<string>();

  const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

  it('reaches every state the API can reach (all but purged)', () => {
    const states = new Set([...built.values()].map((b) => b.handle.state));
    expect([...states].sort()).toEqual([
      'awaiting_consent',
      'closed',
      'consent_refused',
      'draft',
      'follow_up',
      'in_review',
      'plan_active',
      'ready_for_review',
      'scheduled',
      'submitted',
    ]);
  });

  it('covers every relation of the policy, with and without releases of each protected class, and organisations named and hidden', () => {
    const seen = new Set<string>();
    for (const b of built.values()) {
      for (const viewer of viewers) {
        const relations = relationsOf(viewer, b);
        if (!relations.length) seen.add('none');
        for (const r of relations) seen.add(r);
        for (const cls of Object.keys(expectationFor(viewer, b))) seen.add(`released:${cls}`);
        if (expectationFor(viewer, b).plan) {
          for (const o of b.owners.keys())
            seen.add(`owner ${expectedInvolvement(policy, situationOf(viewer, b), { organisationId: o, sector: sectorOf(o) }) ? 'named' : 'hidden'}`);
        }
      }
    }
    for (const r of [...Object.keys(policy.relations), 'none']) expect(seen).toContain(r);
    for (const cls of ['meta', 'summary', 'plan', 'consent', 'identity', 'health', 'social']) expect(seen).toContain(`released:${cls}`);
    expect(seen).toContain('owner named');
    expect(seen).toContain('owner hidden');
  });

  it.each(Object.keys(SPECS))('GET /cases/:id of the %s case answers each viewer exactly what policies/ release', async (key) => {
    const b = built.get(key)!;
    const problems: string[] = [];
    for (const viewer of viewers) {
      const expected = expectationFor(viewer, b);
      const res = await get(t, viewer.account.token, `/cases/${b.handle.id}`);
      if (!Object.keys(expected).length) {
        if (res.status !== 404) problems.push(`${viewer.name}: ${res.status} instead of 404`);
        continue;
      }
      if (res.status !== 200) {
        problems.push(`${viewer.name}: ${res.status} instead of 200`);
        continue;
      }
      for (const p of compareView(res.body, expected)) problems.push(`${viewer.name}: ${p}`);
      problems.push(...withheldProblems(viewer.name, res.body, viewer, b));
      problems.push(...involvementProblems(viewer.name, res.body, viewer, b));
      for (const reason of Object.values((res.body.withheld ?? {}) as Record<string, string>)) reasonsSeen.add(reason);
      const live = liveRelations(policy, b.handle.state, relationsOf(viewer, b));
      if ([...res.body.relations].sort().join() !== [...live].sort().join())
        problems.push(`${viewer.name}: relations [${res.body.relations}] instead of [${live}]`);
      // The released values are the case's own (decrypted with the right key and context).
      if (res.body.identity?.lastName !== undefined && res.body.identity.lastName !== IDENTITY.lastName) problems.push(`${viewer.name}: wrong identity value`);
      if (res.body.health && res.body.health.narrative !== HEALTH_TEXT) problems.push(`${viewer.name}: wrong health value`);
      if (res.body.social && res.body.social.narrative !== SOCIAL_TEXT) problems.push(`${viewer.name}: wrong social value`);
      if (res.body.summary && typeof res.body.summary.narrative !== 'string') problems.push(`${viewer.name}: summary text missing`);
    }
    expect(problems).toEqual([]);
  });

  it("met every reason a view can give for a class withheld (not_in_state and erased are the specs' and the retention test's)", () => {
    expect([...reasonsSeen].sort()).toEqual([
      'consent_not_valid',
      'never_for_relation',
      'no_consent',
      'not_action_owner',
      'not_released_to_relation',
      'profession_not_qualified',
      'sector_not_in_consent_scope',
    ]);
  });

  it('the session dossier gives each attending member exactly the cases and classes policies/ release', async () => {
    const problems: string[] = [];
    let checkedItems = 0;
    for (const viewer of viewers.filter((v) => v.attends)) {
      const res = await get(t, viewer.account.token, `/sessions/${openSession}/dossier`);
      if (res.status !== 200) {
        problems.push(`${viewer.name}: dossier ${res.status}`);
        continue;
      }
      const items = new Map<string, Record<string, unknown>>(res.body.items.map((i: { id: string }) => [i.id, i]));
      for (const [key, b] of built) {
        const expected = b.onOpenAgenda ? expectationFor(viewer, b) : {};
        const item = items.get(b.handle.id);
        if (!Object.keys(expected).length) {
          if (item) problems.push(`${viewer.name}: ${key} is in the dossier`);
          continue;
        }
        if (!item) {
          problems.push(`${viewer.name}: ${key} missing from the dossier`);
          continue;
        }
        checkedItems++;
        for (const p of compareView(item, expected)) problems.push(`${viewer.name} (dossier, ${key}): ${p}`);
        problems.push(...withheldProblems(`${viewer.name} (dossier, ${key})`, item, viewer, b));
        problems.push(...involvementProblems(`${viewer.name} (dossier, ${key})`, item, viewer, b));
      }
    }
    expect(problems).toEqual([]);
    expect(checkedItems).toBeGreaterThan(20);
  });

  it('the dossier is refused to members who did not attend and to auditors, admins and referrers', async () => {
    const refused = viewers.filter((v) => !v.attends && v.account.id !== w.coordinator.id);
    expect(refused.length).toBeGreaterThan(4);
    for (const viewer of refused) {
      const res = await get(t, viewer.account.token, `/sessions/${openSession}/dossier`);
      expect([403, 404]).toContain(res.status);
    }
  });
});
