import { CASE_STATES } from '../../src/cases/machine/context.js';
import { DEMO_PASSWORD, seedDemo } from '../../scripts/demo/seed-demo.js';
import { createTestApp, type TestApp } from '../support/app.js';

describe('npm run seed:demo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates one account per role and situations in several states, once', async () => {
    const first = await seedDemo(t.app, t.db.dataSource);
    expect(first.created).toBe(true);
    const roles = new Set(first.accounts.flatMap((a) => a.roles));
    expect([...roles].sort()).toEqual(['admin', 'auditor', 'coordinator', 'member', 'referrer']);
    const states: { state: string }[] = await t.db.dataSource.query(`SELECT DISTINCT state FROM cases`);
    expect(states.length).toBeGreaterThanOrEqual(5);
    for (const { state } of states) expect(CASE_STATES).toContain(state);

    const again = await seedDemo(t.app, t.db.dataSource);
    expect(again.created).toBe(false);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM territories`);
    expect(n).toBe(1);

    // Every demo account can log in with the printed password, which it must replace at once.
    for (const account of first.accounts) {
      const res = await t.http().post('/auth/login').send({ email: account.email, password: DEMO_PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ passwordChange: 'required', challengeToken: expect.any(String) });
    }
  });
});
