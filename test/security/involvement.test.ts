/**
 * Issue 10, point 4: who is involved is itself a secret. A landlord owning an action must not
 * learn from the plan, the history or the session dossier that the CMP follows the person (that
 * is health information), nor which social service referred them, unless the consent releases
 * that sector's involvement to housing (policies/sectors.yaml `involvement`,
 * visibility.yaml `involvement`). Its own action it always sees; the coordinator sees everything.
 */
import { createWorldApp, type World } from '../factories/world.js';
import { get, step, type ScopeEntry } from '../factories/secrecy.js';
import { attend, caseInReview, caseWithPlan, openSession } from '../factories/security.js';
import { type TestApp } from '../support/app.js';

describe('security: who works with the person is told only as far as the consent goes', () => {
  let t: TestApp;
  let w: World;
  let session: string;
  /** The organisations' ids and names: neither may appear where their involvement is not released. */
  let cmp: Record<string, string>;
  let socialService: Record<string, string>;

  const HOUSING_IDENTITY: ScopeEntry[] = [
    { sector: 'housing', classes: ['identity'] },
    { sector: 'health', classes: ['identity', 'health'] },
  ];

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    session = (await openSession(t, w)).id;
    const orgs = (await get(t, w.coordinator.token, `/organisations?territoryId=${w.territoryId}`)).body as { id: string; name: string }[];
    const named = (id: string) => ({ id, name: orgs.find((o) => o.id === id)!.name });
    cmp = named(w.orgs.health);
    socialService = named(w.orgs.social);
  });

  afterAll(async () => {
    await t?.close();
  });

  const mentions = (text: string, org: Record<string, string>) => text.includes(org.id) || text.includes(org.name);

  it('the plan: the landlord sees its own action, not that the CMP acts too — unless the consent names housing for health', async () => {
    const c = await caseWithPlan(t, w, session, HOUSING_IDENTITY, [w.orgs.housing, w.orgs.health]);
    const landlord = await get(t, w.housingOfficer.token, `/cases/${c.id}`);
    expect(landlord.status).toBe(200);
    expect((landlord.body.plan.actions as { ownerOrganisationId: string }[]).map((a) => a.ownerOrganisationId)).toEqual([w.orgs.housing]);
    expect(mentions(landlord.text, cmp)).toBe(false);
    expect(landlord.body.meta.referrerOrganisationId).toBeNull();
    expect(mentions(landlord.text, socialService)).toBe(false);
    // The coordinator, who adopted the plan, sees both.
    const coordinator = await get(t, w.coordinator.token, `/cases/${c.id}`);
    expect((coordinator.body.plan.actions as unknown[]).length).toBe(2);

    const told = await caseWithPlan(t, w, session, [...HOUSING_IDENTITY, { sector: 'housing', classes: ['health'] }], [w.orgs.housing, w.orgs.health]);
    const informed = await get(t, w.housingOfficer.token, `/cases/${told.id}`);
    expect((informed.body.plan.actions as { ownerOrganisationId: string }[]).map((a) => a.ownerOrganisationId).sort()).toEqual(
      [w.orgs.housing, w.orgs.health].sort(),
    );
    // Health involvement told, not health content: a landlord has no qualifying profession.
    expect(informed.body.health).toBeUndefined();
  });

  it('the history: the landlord does not learn which service referred the person', async () => {
    const c = await caseWithPlan(t, w, session, HOUSING_IDENTITY, [w.orgs.housing]);
    const history = await get(t, w.housingOfficer.token, `/cases/${c.id}/history`);
    expect(history.status).toBe(200);
    expect(mentions(history.text, socialService)).toBe(false);
    const submit = (history.body as { event: string; actorOrganisationId: string | null }[]).find((r) => r.event === 'SUBMIT')!;
    expect(submit.actorOrganisationId).toBeNull();
    // The commission's own coordination is no secret.
    expect((history.body as { event: string; actorOrganisationId: string | null }[]).find((r) => r.event === 'ACCEPT')!.actorOrganisationId).toBe(
      w.orgs.coordination,
    );
    const asCoordinator = await get(t, w.coordinator.token, `/cases/${c.id}/history`);
    expect((asCoordinator.body as { event: string; actorOrganisationId: string | null }[]).find((r) => r.event === 'SUBMIT')!.actorOrganisationId).toBe(
      w.orgs.social,
    );
  });

  it('the dossier: an attending landlord learns neither the partner sectors nor the earlier plan owners the consent does not release to it', async () => {
    await attend(t, session, [w.housingOfficer.token, w.psychiatrist.token]);
    // A case back in review after a first plan with the landlord and the CMP.
    const c = await caseWithPlan(t, w, session, HOUSING_IDENTITY, [w.orgs.housing, w.orgs.health]);
    await step(t, w.coordinator.token, c, 'FOLLOW_UP_DUE');
    await step(t, w.coordinator.token, c, 'CLOSE', { outcome: 'no_change' });
    await step(t, w.coordinator.token, c, 'REOPEN');
    await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId: session });
    await step(t, w.coordinator.token, c, 'START_REVIEW');
    const fresh = await caseInReview(t, w, session, HOUSING_IDENTITY);

    const dossier = await get(t, w.housingOfficer.token, `/sessions/${session}/dossier`);
    expect(dossier.status).toBe(200);
    for (const id of [c.id, fresh.id]) {
      const item = (dossier.body.items as { id: string; summary: { partnersInvolved: string[] }; meta: { referrerOrganisationId: string | null } }[]).find(
        (i) => i.id === id,
      )!;
      // The referral named health and housing as partners; the landlord learns of its own sector only.
      expect(item.summary.partnersInvolved).toEqual(['housing']);
      expect(item.meta.referrerOrganisationId).toBeNull();
    }
    expect(mentions(dossier.text, cmp)).toBe(false);
    expect(mentions(dossier.text, socialService)).toBe(false);
    // The psychiatrist, whose sector the consent names for health and identity, learns of health.
    const psychiatrist = await get(t, w.psychiatrist.token, `/sessions/${session}/dossier`);
    const item = (psychiatrist.body.items as { id: string; summary: { partnersInvolved: string[] } }[]).find((i) => i.id === fresh.id)!;
    expect(item.summary.partnersInvolved).toEqual(['health']);
  });
});
