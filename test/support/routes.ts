/**
 * The routes of the running application, discovered from Nest's controllers (never listed by
 * hand): what test/e2e/routes.test.ts checks and test/security/hostile-bodies.test.ts fires at.
 */
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_ACTION } from '../../src/access/access.decorator.js';
import { PUBLIC_ROUTE } from '../../src/auth/viewer.js';
import type { TestApp } from './app.js';

export interface Route {
  /** `METHOD /path/:param` */
  route: string;
  method: string;
  path: string;
  isPublic: boolean;
  action: string | undefined;
}

export function routesOf(t: TestApp): Route[] {
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
          method,
          path: url,
          isPublic: Boolean(Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, controller)),
          action: (Reflect.getMetadata(ACCESS_ACTION, handler) ?? Reflect.getMetadata(ACCESS_ACTION, controller)) as string | undefined,
        });
      }
    }
  }
  return routes;
}
