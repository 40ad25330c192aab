/**
 * Every route of the application declares what it does: @Public() (no token), or the action of
 * policies/access.yaml it performs (@Access), which the route guard checks before the handler
 * runs. Routes are discovered from the running Nest application, not listed by hand.
 */
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { WITHHELD_REASONS } from '../../src/access/access.js';
import { ACCESS_ACTION } from '../../src/access/access.decorator.js';
import { loadPolicy } from '../../src/access/policy.loader.js';
import { ACTIONS, type Action } from '../../src/access/policy.types.js';
import { PUBLIC_ROUTE } from '../../src/auth/viewer.js';
import { createTestApp, type TestApp } from '../support/app.js';

interface Route {
  route: string;
  isPublic: boolean;
  action: string | undefined;
}

function routesOf(t: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const url = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push({
          route: `${method} ${url}`,
          isPublic: Boolean(Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, controller)),
          action: (Reflect.getMetadata(ACCESS_ACTION, handler) ?? Reflect.getMetadata(ACCESS_ACTION, controller)) as string | undefined,
        });
      }
    }
  }
  return routes;
}

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
