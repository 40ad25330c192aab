/**
 * Issue 10, point 2: an admin can become anyone. Here, the two doors of part B: the puppet member
 * (an admin creates a `member` account in an organisation that owns an action, and reads the
 * identity the action releases), and commission membership (added and removed by the territory's
 * coordinator only; removal ends access at once). Action ownership now releases only to the
 * professionals the coordinator vouched for: members of the commission, or the one named on the
 * action.
 */
import { IDENTITY, call, createWorld, createWorldApp, login, PASSWORD, type World } from '../factories/world.js';
import { findNeedles, get, patch, planActions, post, step } from '../factories/secrecy.js';
import { actionOf, attend, caseInReview, caseWithPlan, openSession } from '../factories/security.js';
import { type TestApp } from '../support/app.js';

const HOUSING_IDENTITY = [{ sector: 'housing' as const, classes: ['identity' as const] }];

describe('security: what an admin cannot do to read a situation, and membership as the coordinator vouches', () => {
  let t: TestApp;
  let w: World;
  let session: string;
  let counter = 0;

  /** An account created by the admin, as an admin would. */
  async function account(organisationId: string, roles: string[]): Promise<{ id: string; token: string }> {
    const email = `created-by-admin.${++counter}.${Date.now()}@test.local`;
    const created = await call(t, w.admin.token, 'post', '/users', {
      email,
      password: PASSWORD,
      displayName: 'Agent',
      organisationId,
      roles,
      profession: 'none',
    });
    return { id: created.id as string, token: await login(t, email) };
  }

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    session = (await openSession(t, w)).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the puppet member: an account an admin creates in the landlord organisation reads nothing of the case its organisation acts on', async () => {
    const c = await caseWithPlan(t, w, session, HOUSING_IDENTITY, [w.orgs.housing]);
    // The landlord's commission member, vouched for by the coordinator, does get the identity.
    expect((await get(t, w.housingOfficer.token, `/cases/${c.id}`)).body.identity?.lastName).toBe(IDENTITY.lastName);

    const puppet = await account(w.orgs.housing, ['member']);
    const read = await get(t, puppet.token, `/cases/${c.id}`);
    expect(read.status).toBe(404);
    expect(findNeedles(read.text, IDENTITY)).toEqual([]);
    expect((await get(t, puppet.token, `/cases/${c.id}/history`)).status).toBe(404);
    expect((await get(t, puppet.token, '/cases')).body.items).toEqual([]);
    expect((await patch(t, puppet.token, `/cases/${c.id}/actions/${await actionOf(t, w, c.id, w.orgs.housing)}`, { status: 'done' })).status).toBe(404);
    // Nor can the admin vouch for it: adding it to the commission is the coordinator's.
    expect((await post(t, w.admin.token, `/commissions/${w.commissionId}/members`, { userId: puppet.id })).status).toBe(403);
    expect((await get(t, puppet.token, `/cases/${c.id}`)).status).toBe(404);
  });

  it('the coordinator may entrust an action to a named professional, who alone of the non-members gets what the action releases', async () => {
    const named = await account(w.orgs.housing, ['member']);
    const other = await account(w.orgs.housing, ['member']);
    const c = await caseInReview(t, w, session, HOUSING_IDENTITY);
    await step(t, w.coordinator.token, c, 'ADOPT_PLAN', { actions: planActions([w.orgs.housing], { [w.orgs.housing]: named.id }) });
    expect((await get(t, named.token, `/cases/${c.id}`)).body.identity?.lastName).toBe(IDENTITY.lastName);
    expect((await get(t, other.token, `/cases/${c.id}`)).status).toBe(404);
    // Only a professional of the owning organisation may be named.
    const elsewhere = await caseInReview(t, w, session, HOUSING_IDENTITY);
    const wrong = await post(t, w.coordinator.token, `/cases/${elsewhere.id}/events`, {
      type: 'ADOPT_PLAN',
      expectedVersion: elsewhere.version,
      actions: planActions([w.orgs.housing], { [w.orgs.housing]: w.psychiatrist.id }),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ field: 'actions.0.assigneeUserId', message: expect.any(String) }]);
  });

  it("an admin adds and removes members of no commission, another territory's coordinator of none of this one's; the territory's coordinator of both", async () => {
    const o = await createWorld(t);
    const candidate = await account(w.orgs.municipal, ['member']);
    expect((await post(t, w.admin.token, `/commissions/${w.commissionId}/members`, { userId: candidate.id })).status).toBe(403);
    expect((await post(t, o.coordinator.token, `/commissions/${w.commissionId}/members`, { userId: candidate.id })).status).toBe(404);
    expect((await post(t, w.coordinator.token, `/commissions/${w.commissionId}/members`, { userId: candidate.id })).status).toBe(201);
    const remove = (token: string) => t.http().delete(`/commissions/${w.commissionId}/members/${candidate.id}`).set('authorization', `Bearer ${token}`);
    expect((await remove(w.admin.token)).status).toBe(403);
    expect((await remove(o.coordinator.token)).status).toBe(404);
    expect((await remove(w.coordinator.token)).status).toBe(204);
    expect((await remove(w.coordinator.token)).status).toBe(404);
    const [removal] = await t.db.dataSource.query(
      `SELECT actor_id AS "actorId", detail FROM audit_events WHERE action = 'commission.member.remove' AND decision = 'allow' ORDER BY id DESC LIMIT 1`,
    );
    expect(removal).toEqual({ actorId: w.coordinator.id, detail: { commissionId: w.commissionId, userId: candidate.id, as: 'member' } });
  });

  it('removing a member ends their access at once: no more dossier, no more case in session, no more release through their actions', async () => {
    const member = await account(w.orgs.housing, ['member']);
    await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/members`, { userId: member.id });
    const charter = await call(t, member.token, 'get', `/commissions/${w.commissionId}/charter`);
    await call(t, member.token, 'post', `/commissions/${w.commissionId}/charter/accept`, { version: charter.version });
    await attend(t, session, [member.token]);
    const inSession = await caseInReview(t, w, session, HOUSING_IDENTITY);
    const owned = await caseWithPlan(t, w, session, HOUSING_IDENTITY, [w.orgs.housing]);
    expect((await get(t, member.token, `/sessions/${session}/dossier`)).status).toBe(200);
    expect((await get(t, member.token, `/cases/${inSession.id}`)).status).toBe(200);
    expect((await get(t, member.token, `/cases/${owned.id}`)).body.identity?.lastName).toBe(IDENTITY.lastName);

    const removed = await t.http().delete(`/commissions/${w.commissionId}/members/${member.id}`).set('authorization', `Bearer ${w.coordinator.token}`);
    expect(removed.status).toBe(204);
    expect((await get(t, member.token, `/sessions/${session}/dossier`)).status).toBe(403);
    expect((await get(t, member.token, `/cases/${inSession.id}`)).status).toBe(404);
    const after = await get(t, member.token, `/cases/${owned.id}`);
    expect(after.status).toBe(404);
    expect(findNeedles(after.text, IDENTITY)).toEqual([]);
    expect((await post(t, member.token, `/sessions/${session}/attendance`)).status).toBe(403);
  });
});
