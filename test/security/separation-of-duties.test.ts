/**
 * Issue 10, point 2 — separation of duties: an account with `admin` or `auditor` holds no role
 * that reads situations (referrer, member, coordinator), at creation and at every update
 * (policies/access.yaml accounts.exclusive).
 */
import { call, createWorldApp, PASSWORD, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

describe('security: separation of duties', () => {
  let t: TestApp;
  let w: World;
  let n = 0;
  const create = (roles: string[], organisationId: string | null) =>
    t
      .http()
      .post('/users')
      .set('authorization', `Bearer ${w.admin.token}`)
      .send({
        email: `sod.${++n}.${Date.now()}@test.local`,
        password: PASSWORD,
        displayName: 'S',
        roles,
        profession: 'none',
        ...(organisationId ? { organisationId } : {}),
      });

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    [['admin', 'member']],
    [['admin', 'referrer']],
    [['admin', 'coordinator']],
    [['auditor', 'referrer']],
    [['auditor', 'member']],
    [['auditor', 'coordinator']],
  ])('refuses to create an account with %j', async (roles) => {
    const res = await create(roles, w.orgs.housing);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'roles', message: expect.stringContaining('separation of duties') }]);
    const [{ count }] = await t.db.dataSource.query(`SELECT count(*)::int AS count FROM users WHERE roles @> $1::text[]`, [roles]);
    expect(count).toBe(0);
  });

  it('refuses an update that would give an admin or an auditor a role that reads situations, or the reverse', async () => {
    const member = await call(t, w.admin.token, 'post', '/users', {
      email: `member.${Date.now()}@test.local`,
      password: PASSWORD,
      displayName: 'Membre',
      organisationId: w.orgs.housing,
      roles: ['member'],
      profession: 'none',
    });
    for (const [id, roles] of [
      [member.id as string, ['member', 'admin']],
      [member.id as string, ['member', 'auditor']],
      [w.auditor.id, ['auditor', 'referrer']],
      [w.admin.id, ['admin', 'member']],
    ] as const) {
      const res = await t.http().patch(`/users/${id}`).set('authorization', `Bearer ${w.admin.token}`).send({ roles });
      expect({ id, roles, status: res.status }).toEqual({ id, roles, status: 400 });
    }
    const [{ roles }] = await t.db.dataSource.query(`SELECT roles FROM users WHERE id = $1`, [member.id]);
    expect(roles).toEqual(['member']);
  });

  it('still lets one account refer and sit on a commission (member and referrer)', async () => {
    expect((await create(['member', 'referrer'], w.orgs.social)).status).toBe(201);
  });
});
