import { call, createWorld, createWorldApp, login, PASSWORD, type World } from '../factories/world.js';
import { caseIn, get, inDays, newSession, postEvent, step } from '../factories/lifecycle.js';
import { type TestApp } from '../support/app.js';

/** Relations that must hold only for working professionals, under the current charter. */
describe('secrecy: who a relation can belong to', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an auditor attached to an organisation that owns an action gets nothing of the case (404)', async () => {
    const session = await newSession(t, w, { open: true });
    // Consent names health for identity and health; the plan gives an action to the CMP (health).
    const c = await caseIn(t, w, 'plan_active', session);
    const email = `dpo-cmp.${Date.now()}@test.local`;
    await call(t, w.admin.token, 'post', '/users', {
      email,
      password: PASSWORD,
      displayName: 'DPO du CMP',
      organisationId: w.orgs.health,
      roles: ['auditor'],
      profession: 'physician',
    });
    const dpo = await login(t, email);
    const res = await get(t, dpo, `/cases/${c.id}`);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toMatch(/Zéphyrin|Anatole/);
    // A member of the same organisation, with the same profession, named on the action by the
    // coordinator, does receive what the consent allows (issue 10: ownership releases only to
    // professionals the coordinator vouched for).
    const memberEmail = `psy-cmp.${Date.now()}@test.local`;
    await call(t, w.admin.token, 'post', '/users', {
      email: memberEmail,
      password: PASSWORD,
      displayName: 'Psy du CMP',
      organisationId: w.orgs.health,
      roles: ['member'],
      profession: 'physician',
    });
    const memberToken = await login(t, memberEmail);
    expect((await get(t, memberToken, `/cases/${c.id}`)).status).toBe(404);
    const named = await caseIn(t, w, 'in_review', session);
    const { userId: memberId } = (await call(t, memberToken, 'get', '/me')) as { userId: string };
    const actions = [{ title: 'Reprendre le suivi', ownerOrganisationId: w.orgs.health, dueAt: inDays(30), assigneeUserId: memberId }];
    await step(t, w.coordinator.token, named, 'ADOPT_PLAN', { actions });
    const member = await get(t, memberToken, `/cases/${named.id}`);
    expect(member.status).toBe(200);
    expect(member.body.relations).toEqual(['action_owner']);
    expect(member.body.identity.lastName).toBe('Zéphyrin-Quatremare');
  });

  it('a former action owner of a closed case gets 404 on events too, not a 403 that confirms it', async () => {
    const session = await newSession(t, w, { open: true });
    const c = await caseIn(t, w, 'follow_up', session);
    await postEvent(t, w.coordinator.token, c.id, { type: 'CLOSE', outcome: 'resolved', expectedVersion: c.version });
    const res = await postEvent(t, w.housingOfficer.token, c.id, { type: 'REOPEN', expectedVersion: c.version + 1 });
    expect(res.status).toBe(404);
  });

  it('a new charter version cuts off members who attended under the old one until they accept it', async () => {
    const session = await newSession(t, w, { open: true });
    await call(t, w.psychiatrist.token, 'post', `/sessions/${session}/attendance`);
    const c = await caseIn(t, w, 'scheduled', session);
    expect((await get(t, w.psychiatrist.token, `/sessions/${session}/dossier`)).status).toBe(200);
    expect((await get(t, w.psychiatrist.token, `/cases/${c.id}`)).status).toBe(200);

    const [{ current }] = await t.db.dataSource.query(`SELECT max(version) AS current FROM charter_versions WHERE commission_id = $1`, [w.commissionId]);
    await call(t, w.coordinator.token, 'put', `/commissions/${w.commissionId}/charter`, { version: current + 1, text: 'Charte révisée' }, 200);
    expect((await get(t, w.psychiatrist.token, `/sessions/${session}/dossier`)).status).toBe(403);
    expect((await get(t, w.psychiatrist.token, `/cases/${c.id}`)).status).toBe(404);

    await call(t, w.psychiatrist.token, 'post', `/commissions/${w.commissionId}/charter/accept`, { version: current + 1 });
    await call(t, w.psychiatrist.token, 'post', `/sessions/${session}/attendance`);
    expect((await get(t, w.psychiatrist.token, `/sessions/${session}/dossier`)).status).toBe(200);
    expect((await get(t, w.psychiatrist.token, `/cases/${c.id}`)).status).toBe(200);
  });

  it("a coordinator of another territory gets 404 for this territory's sessions and commissions", async () => {
    const other = await createWorld(t);
    const session = await newSession(t, w);
    for (const [method, url] of [
      ['post', `/sessions/${session}/open`],
      ['get', `/sessions/${session}/agenda`],
      ['post', `/commissions/${w.commissionId}/sessions`],
    ] as const) {
      const res = await t
        .http()
        [method](url)
        .set('authorization', `Bearer ${other.coordinator.token}`)
        .send({ startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString() });
      expect([url, res.status]).toEqual([url, 404]);
    }
  });

  it('GET /cases lists exactly the cases the policy releases to the caller, paginated', async () => {
    const other = await createWorld(t);
    const session = await newSession(t, other, { open: true });
    const draft = await caseIn(t, other, 'draft');
    const submitted = await caseIn(t, other, 'submitted');
    const planned = await caseIn(t, other, 'plan_active', session);
    const list = async (token: string, query = '') => {
      const res = await get(t, token, `/cases${query}`);
      expect(res.status).toBe(200);
      return res.body as { items: { id: string; state: string }[]; nextCursor: string | null };
    };
    const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id).sort();
    expect(ids(await list(other.referrer.token))).toEqual([draft.id, submitted.id, planned.id].sort());
    // A colleague of the referring service lists them too (workflow data only: issue 10, so that
    // recording the person's withdrawal never depends on one account).
    expect(ids(await list(other.otherReferrer.token))).toEqual([draft.id, submitted.id, planned.id].sort());
    expect(ids(await list(other.coordinator.token))).toEqual([draft.id, submitted.id, planned.id].sort());
    // The landlord owns an action of the plan only; the town officer has no tie at all.
    expect(ids(await list(other.housingOfficer.token))).toEqual([planned.id]);
    expect(ids(await list(other.townOfficer.token))).toEqual([]);
    // Nothing of the other territory leaks into this one's coordinator list.
    expect(ids(await list(w.coordinator.token))).not.toContain(draft.id);
    expect(ids(await list(other.coordinator.token, '?state=submitted'))).toEqual([submitted.id]);
    // Pages of one follow the cursor to the end without repeating.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(other.coordinator.token, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([draft.id, submitted.id, planned.id].sort());
  });
});
