/**
 * Issue 3, "Consent" and "Views": the situations the users of DESIGN.md live, end to end through
 * the HTTP API — a landlord acting on a plan, a CMP psychiatrist in session, a CMP secretary, the
 * coordination and the DPO, withdrawal, anonymous review, an expired consent.
 */
import { caseBody, createWorldApp, HEALTH_TEXT, IDENTITY, SOCIAL_TEXT, type World } from '../factories/world.js';
import {
  createCase,
  createPerson,
  createSession,
  findNeedles,
  get,
  grantedConsent,
  JUSTIFICATION,
  planActions,
  post,
  step,
  type CaseHandle,
  type Person,
  type ScopeEntry,
} from '../factories/secrecy.js';
import { type TestApp } from '../support/app.js';

const PROTECTED = { ...IDENTITY, social: SOCIAL_TEXT, health: HEALTH_TEXT };

describe('secrecy: consent-scoped release, end to end', () => {
  let t: TestApp;
  let w: World;
  let session: string;
  let housingStaff: Person;
  let cmpSecretary: Person;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    housingStaff = await createPerson(t, w, 'landlord-staff', { id: w.orgs.housing, sector: 'housing' }, 'none');
    cmpSecretary = await createPerson(t, w, 'cmp-secretary', { id: w.orgs.health, sector: 'health' }, 'none', { commissionMember: true });
    session = await createSession(t, w, true);
    for (const member of [w.psychiatrist, w.housingOfficer, cmpSecretary]) {
      expect((await post(t, member.token, `/sessions/${session}/attendance`)).status).toBe(201);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  /** A case taken through the API to in_review on the open session (consented or anonymous). */
  async function inReview(scope: ScopeEntry[] | null, sessionId = session): Promise<CaseHandle> {
    const c = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    await step(t, w.referrer.token, c, 'SUBMIT');
    await step(t, w.coordinator.token, c, 'ACCEPT');
    if (scope) await step(t, w.referrer.token, c, 'RECORD_CONSENT', grantedConsent(scope));
    else await step(t, w.referrer.token, c, 'REVIEW_WITHOUT_CONSENT', { justification: JUSTIFICATION });
    await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId });
    await step(t, w.coordinator.token, c, 'START_REVIEW');
    return c;
  }

  /**
   * In review, then its plan adopted: the landlord staff (not a commission member) is named on the
   * housing action — since issue 10 the only way ownership releases anything to them.
   */
  async function planActive(scope: ScopeEntry[] | null, owners: string[] = [w.orgs.housing]): Promise<CaseHandle> {
    const c = await inReview(scope);
    await step(t, w.coordinator.token, c, 'ADOPT_PLAN', { actions: planActions(owners, { [w.orgs.housing]: housingStaff.id }) });
    return c;
  }

  async function dossierItem(token: string, caseId: string, sessionId = session): Promise<Record<string, unknown> | undefined> {
    const res = await get(t, token, `/sessions/${sessionId}/dossier`);
    expect(res.status).toBe(200);
    return res.body.items.find((i: { id: string }) => i.id === caseId);
  }

  it('a landlord owning an action, with consent naming housing for identity, gets names, address and phone — never health or social', async () => {
    const c = await planActive([{ sector: 'housing', classes: ['identity'] }]);
    const res = await get(t, housingStaff.token, `/cases/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body.relations).toEqual(['action_owner']);
    expect(res.body.identity).toEqual({ lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, address: IDENTITY.address, phone: IDENTITY.phone });
    expect(res.body.health).toBeUndefined();
    expect(res.body.social).toBeUndefined();
    expect(res.body.plan.actions).toHaveLength(1);
    expect(findNeedles(res.text, { health: HEALTH_TEXT, social: SOCIAL_TEXT, birthDate: IDENTITY.birthDate, email: IDENTITY.email })).toEqual([]);
  });

  it('even a consent naming housing for health and social releases neither to a landlord (no qualifying profession, no such need)', async () => {
    const c = await planActive([{ sector: 'housing', classes: ['identity', 'health', 'social'] }]);
    const res = await get(t, housingStaff.token, `/cases/${c.id}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.identity).sort()).toEqual(['address', 'firstName', 'lastName', 'phone']);
    expect(res.body.health).toBeUndefined();
    expect(res.body.social).toBeUndefined();
    expect(findNeedles(res.text, { health: HEALTH_TEXT, social: SOCIAL_TEXT })).toEqual([]);
    // The landlord officer, a commission member, owns the action too; having attended the session
    // adds nothing once the plan is adopted (the case left its open agenda: issue 10).
    const officer = await get(t, w.housingOfficer.token, `/cases/${c.id}`);
    expect(officer.body.relations).toEqual(['action_owner']);
    expect(officer.body.summary).toBeUndefined();
    expect(officer.body.health).toBeUndefined();
    expect(officer.body.social).toBeUndefined();
  });

  it('a consented psychiatrist of a health organisation attending the open session sees health, in the case and in the dossier', async () => {
    const c = await inReview([{ sector: 'health', classes: ['health'] }]);
    const res = await get(t, w.psychiatrist.token, `/cases/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body.relations).toEqual(['attending_member']);
    expect(res.body.health).toEqual({ narrative: HEALTH_TEXT });
    // The scope names health only: no social narrative; and the dossier is pseudonymised.
    expect(res.body.social).toBeUndefined();
    expect(res.body.identity).toBeUndefined();
    const item = await dossierItem(w.psychiatrist.token, c.id);
    expect(item?.health).toEqual({ narrative: HEALTH_TEXT });
    expect(item?.identity).toBeUndefined();
  });

  it('a health-sector user with profession none never sees health or social, whatever the consent names', async () => {
    const c = await inReview([{ sector: 'health', classes: ['identity', 'health', 'social'] }]);
    const res = await get(t, cmpSecretary.token, `/cases/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body.health).toBeUndefined();
    expect(res.body.social).toBeUndefined();
    const item = await dossierItem(cmpSecretary.token, c.id);
    expect(item).toBeDefined();
    expect(item?.health).toBeUndefined();
    expect(item?.social).toBeUndefined();
    expect(findNeedles(res.text + JSON.stringify(item), { health: HEALTH_TEXT, social: SOCIAL_TEXT })).toEqual([]);
  });

  it('the coordinator, the auditor and the admin never see identity, health or social content, even under a consent naming every sector', async () => {
    const sectors = ['health', 'social', 'housing', 'municipal', 'association', 'justice', 'education'] as const;
    // The commission's own coordination sector cannot be named in a consent at all (the policies
    // release nothing to it: src/consent/proposal.ts) — refused, nothing written.
    const refused = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    await step(t, w.referrer.token, refused, 'SUBMIT');
    await step(t, w.coordinator.token, refused, 'ACCEPT');
    const withCoordination = [...sectors, 'coordination'].map((sector) => ({ sector, classes: ['identity', 'health', 'social'] }));
    const answer = await post(t, w.referrer.token, `/cases/${refused.id}/events`, {
      type: 'RECORD_CONSENT',
      expectedVersion: refused.version,
      ...grantedConsent(withCoordination as ScopeEntry[]),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'scope.7.sector' })]);
    // Every sector a consent may name, every class: still nothing for coordination, audit or admin.
    const everything: ScopeEntry[] = sectors.map((sector) => ({ sector, classes: ['identity', 'health', 'social'] }));
    const c = await planActive(everything, [w.orgs.housing, w.orgs.coordination]);
    const coordinatorView = await get(t, w.coordinator.token, `/cases/${c.id}`);
    expect(coordinatorView.status).toBe(200);
    expect(coordinatorView.body.released.sort()).toEqual(['consent', 'meta', 'plan', 'summary']);
    const reads = [
      coordinatorView,
      await get(t, w.coordinator.token, `/cases/${c.id}/history`),
      await get(t, w.coordinator.token, `/cases/${c.id}/duplicates`),
      await get(t, w.coordinator.token, `/sessions/${session}/agenda`),
      await get(t, w.coordinator.token, `/sessions/${session}/dossier`),
      await get(t, w.coordinator.token, `/cases?limit=200`),
    ];
    for (const res of reads) {
      expect(res.status).toBe(200);
      expect(findNeedles(res.text, PROTECTED)).toEqual([]);
    }
    for (const account of [w.auditor, w.admin]) {
      const res = await get(t, account.token, `/cases/${c.id}`);
      expect(res.status).toBe(404);
      expect(findNeedles(res.text, PROTECTED)).toEqual([]);
      const listed = await get(t, account.token, `/cases?limit=200`);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([]);
    }
  });

  it('WITHDRAW_CONSENT revokes every release at once and takes the case off the agendas of sessions not closed yet', async () => {
    const scope: ScopeEntry[] = [
      { sector: 'health', classes: ['health'] },
      { sector: 'housing', classes: ['identity'] },
    ];
    // (a) in review on the open session, and (a') another whose plan the landlord owns
    const inSession = await inReview(scope);
    const withPlan = await planActive(scope);
    // (b) scheduled on a session still planned
    const planned = await createSession(t, w, false);
    const later = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    await step(t, w.referrer.token, later, 'SUBMIT');
    await step(t, w.coordinator.token, later, 'ACCEPT');
    await step(t, w.referrer.token, later, 'RECORD_CONSENT', grantedConsent(scope));
    await step(t, w.coordinator.token, later, 'SCHEDULE', { sessionId: planned });
    // (c) in review on a session that is then closed: its agenda is history and keeps the case
    const past = await createSession(t, w, true);
    expect((await post(t, w.psychiatrist.token, `/sessions/${past}/attendance`)).status).toBe(201);
    const reviewed = await inReview(scope, past);
    expect((await post(t, w.coordinator.token, `/sessions/${past}/close`)).status).toBe(200);

    expect((await get(t, w.psychiatrist.token, `/cases/${inSession.id}`)).body.health).toEqual({ narrative: HEALTH_TEXT });
    expect((await get(t, housingStaff.token, `/cases/${withPlan.id}`)).body.identity.lastName).toBe(IDENTITY.lastName);
    expect(await dossierItem(w.psychiatrist.token, inSession.id)).toBeDefined();

    for (const c of [inSession, withPlan, later, reviewed]) await step(t, w.referrer.token, c, 'WITHDRAW_CONSENT');

    for (const c of [inSession, withPlan, later, reviewed]) {
      expect(c.state).toBe('closed');
      for (const token of [w.psychiatrist.token, housingStaff.token, w.housingOfficer.token, cmpSecretary.token]) {
        const res = await get(t, token, `/cases/${c.id}`);
        expect(res.status).toBe(404);
        expect(findNeedles(res.text, PROTECTED)).toEqual([]);
      }
    }
    expect(await dossierItem(w.psychiatrist.token, inSession.id)).toBeUndefined();
    const agenda = async (id: string) =>
      ((await get(t, w.coordinator.token, `/sessions/${id}/agenda`)).body.items as { caseId: string }[]).map((i) => i.caseId);
    expect(await agenda(session)).not.toContain(inSession.id);
    expect(await agenda(planned)).not.toContain(later.id);
    expect(await agenda(past)).toContain(reviewed.id);
    // A withdrawn case cannot be scheduled again.
    const again = await post(t, w.coordinator.token, `/cases/${later.id}/events`, { type: 'SCHEDULE', expectedVersion: later.version, sessionId: planned });
    expect(again.status).toBe(409);
    // The referrer keeps their own record, which shows the withdrawal.
    const own = await get(t, w.referrer.token, `/cases/${inSession.id}`);
    expect(own.body.identity.lastName).toBe(IDENTITY.lastName);
    expect(own.body.consent).toMatchObject({ decision: 'granted', valid: false });
    expect(own.body.consent.withdrawnAt).toEqual(expect.any(String));
  });

  it('REVIEW_WITHOUT_CONSENT releases nothing but the summary (with meta and plan) to members and action owners', async () => {
    const c = await inReview(null);
    for (const member of [w.psychiatrist, w.housingOfficer]) {
      const res = await get(t, member.token, `/cases/${c.id}`);
      expect(res.status).toBe(200);
      expect(res.body.released.sort()).toEqual(['meta', 'plan', 'summary']);
      expect(findNeedles(res.text, PROTECTED)).toEqual([]);
    }
    const item = await dossierItem(w.psychiatrist.token, c.id);
    expect((item?.released as string[]).sort()).toEqual(['meta', 'plan', 'summary']);
    await step(t, w.coordinator.token, c, 'ADOPT_PLAN', { actions: planActions([w.orgs.housing], { [w.orgs.housing]: housingStaff.id }) });
    const owner = await get(t, housingStaff.token, `/cases/${c.id}`);
    expect(owner.status).toBe(200);
    expect(owner.body.released.sort()).toEqual(['meta', 'plan']);
    expect(findNeedles(owner.text, PROTECTED)).toEqual([]);
  });

  it('an expired consent counts as none: releases stop until a consent is recorded again', async () => {
    const scope: ScopeEntry[] = [
      { sector: 'health', classes: ['health'] },
      { sector: 'housing', classes: ['identity'] },
    ];
    // In review (the psychiatrist attends), and another case whose plan the landlord owns.
    const c = await inReview(scope);
    const p = await planActive(scope);
    expect((await get(t, w.psychiatrist.token, `/cases/${c.id}`)).body.health).toEqual({ narrative: HEALTH_TEXT });
    expect((await get(t, housingStaff.token, `/cases/${p.id}`)).body.identity).toBeDefined();

    await t.db.dataSource.query(`UPDATE consents SET expires_at = now() - interval '1 minute' WHERE case_id = ANY($1::uuid[])`, [[c.id, p.id]]);

    const psychiatrist = await get(t, w.psychiatrist.token, `/cases/${c.id}`);
    expect(psychiatrist.status).toBe(200);
    expect(psychiatrist.body.health).toBeUndefined();
    const owner = await get(t, housingStaff.token, `/cases/${p.id}`);
    expect(owner.status).toBe(200);
    expect(owner.body.identity).toBeUndefined();
    expect(findNeedles(psychiatrist.text + owner.text, PROTECTED)).toEqual([]);
    expect((await get(t, w.referrer.token, `/cases/${c.id}`)).body.consent).toMatchObject({ decision: 'granted', valid: false });

    // Renewed (narrower: health only): the psychiatrist reads health again, the landlord no identity.
    for (const renewed of [c, p]) await step(t, w.referrer.token, renewed, 'RECORD_CONSENT', grantedConsent([{ sector: 'health', classes: ['health'] }]));
    expect((await get(t, w.psychiatrist.token, `/cases/${c.id}`)).body.health).toEqual({ narrative: HEALTH_TEXT });
    expect((await get(t, housingStaff.token, `/cases/${p.id}`)).body.identity).toBeUndefined();
  });
});
