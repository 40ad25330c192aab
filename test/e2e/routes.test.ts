/**
 * Every route of the application declares what it does: @Public() (no token), or the action of
 * policies/access.yaml it performs (@Access), which the route guard checks before the handler
 * runs. Routes are discovered from the running Nest application, not listed by hand.
 */
import { WITHHELD_REASONS } from '../../src/access/access.js';
import { loadPolicy } from '../../src/access/policy.loader.js';
import { ACTIONS, type Action } from '../../src/access/policy.types.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { routesOf, type Route } from '../support/routes.js';

describe('routes of the application', () => {
  let t: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    t = await createTestApp();
    routes = routesOf(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('are discovered from the application (the known ones among them)', () => {
    const names = routes.map((r) => r.route);
    for (const known of ['POST /auth/login', 'GET /health', 'GET /me', 'POST /sessions/:id/open', 'GET /audit/events', 'GET /register', 'POST /cases']) {
      expect(names).toContain(known);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('each declare @Public() or the action they perform', () => {
    expect(routes.filter((r) => !r.isPublic && !r.action).map((r) => r.route)).toEqual([]);
    expect(routes.filter((r) => r.isPublic && r.action)).toEqual([]);
  });

  it('declare actions that policies/access.yaml permits to someone, and every action is declared by a route', () => {
    const policy = loadPolicy('policies');
    const declared = new Set(routes.flatMap((r) => (r.action ? [r.action] : [])));
    for (const action of declared) expect({ action, known: action in policy.permissions }).toEqual({ action, known: true });
    expect((Object.keys(ACTIONS) as Action[]).filter((a) => !declared.has(a))).toEqual([]);
  });

  it('publish the reason codes of a withheld class in the OpenAPI document', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    const schemas = res.body.components.schemas as Record<string, { enum?: string[]; properties?: Record<string, { allOf?: unknown[] }> }>;
    expect(schemas.WithheldReason.enum).toEqual([...WITHHELD_REASONS]);
    expect(Object.keys(schemas.WithheldDto.properties ?? {}).sort()).toEqual(['consent', 'health', 'identity', 'meta', 'plan', 'social', 'summary']);
    expect(schemas.WithheldDto.properties?.identity.allOf).toEqual([{ $ref: '#/components/schemas/WithheldReason' }]);
  });
});
