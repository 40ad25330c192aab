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

  it('include every route of the HTTP contract (API.md in the project brief), its path parameters aside', () => {
    const contract = [
      'DELETE /commissions/:id/members/:id',
      'GET /audit/access-report',
      'GET /audit/events',
      'GET /audit/verify',
      'GET /auth/oidc/:id/callback',
      'GET /auth/oidc/:id/login',
      'GET /cases',
      'GET /cases/:id',
      'GET /cases/:id/documents/:id',
      'GET /cases/:id/duplicates',
      'GET /cases/:id/history',
      'GET /health',
      'GET /me',
      'GET /me/notifications',
      'GET /me/todo',
      'GET /rights-requests/:id',
      'GET /rights-requests/:id/access-report',
      'GET /sessions/:id/dossier',
      'GET /sessions/:id/record',
      'GET /stats',
      'PATCH /cases/:id',
      'PATCH /cases/:id/actions/:id',
      'POST /auth/login',
      'POST /auth/mfa',
      'POST /auth/password',
      'POST /cases',
      'POST /cases/:id/consent/letter',
      'POST /cases/:id/consent/receipt',
      'POST /cases/:id/documents',
      'POST /cases/:id/events',
      'POST /commissions',
      'POST /commissions/:id/charter/accept',
      'POST /commissions/:id/members',
      'POST /commissions/:id/sessions',
      'POST /me/notifications/:id/read',
      'POST /me/password',
      'POST /organisations',
      'POST /rights-requests',
      'POST /sessions/:id/attendance',
      'POST /sessions/:id/close',
      'POST /sessions/:id/open',
      'POST /territories',
      'POST /transparency',
      'POST /users',
      'PUT /commissions/:id/charter',
    ];
    const served = new Set(routes.map((r) => r.route.replace(/:[A-Za-z]+/g, ':id')));
    expect(contract.filter((route) => !served.has(route))).toEqual([]);
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
