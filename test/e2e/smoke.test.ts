import { type TestApp } from '../support/app.js';
import { call, caseBody, createWorldApp, type World } from '../factories/world.js';

describe('smoke', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a case and reads it back', async () => {
    const created = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId));
    expect(created.state).toBe('draft');
    const view = await call(t, w.referrer.token, 'get', `/cases/${created.id}`);
    expect(view.identity.lastName).toBe('Zéphyrin-Quatremare');
    expect(view.allowedEvents).toContain('SUBMIT');
  });
});
