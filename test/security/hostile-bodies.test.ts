/**
 * Issue 10, point 1: no request body can produce a 500 (a 500 that rolls back is an oracle too).
 * Every route of the running application (discovered from Nest, not listed by hand) receives, as
 * each caller that may reach its handler, a valid body of its own with one part replaced at a
 * time by a hostile value — NUL bytes in strings and keys, dates PostgreSQL refuses or JavaScript
 * misreads, huge and fractional numbers, wrong types inside nested arrays, JSON nested thousands
 * deep — and raw bodies that are not what any route expects. Query strings of every GET route get
 * the same treatment. Nothing may answer 5xx; a NUL byte or an unusable date is a 400.
 */
import path from 'node:path';
import type { Response } from 'supertest';
import { loadPolicy } from '../../src/access/policy.loader.js';
import { ROLES, type Action, type Policy, type Role } from '../../src/access/policy.types.js';
import { caseIn, inDays, plan, type CaseRef } from '../factories/lifecycle.js';
import { ADMIN, call, caseBody, createWorldApp, PASSWORD, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';
import { routesOf, type Route } from '../support/routes.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function deep(depth: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Replacements for any part of a body. `nul`: must be a 400. */
const HOSTILE: { label: string; value: Json; nul?: true }[] = [
  { label: 'a NUL byte inside a string', value: 'a\u0000b', nul: true },
  { label: 'a huge number', value: 1e308 },
  { label: '2^31', value: 2147483648 },
  { label: 'a fraction', value: 1.5 },
  { label: 'an empty object', value: {} },
  { label: 'an empty array', value: [] },
  { label: 'null', value: null },
  { label: 'true', value: true },
  { label: 'an array holding null', value: [null] },
  { label: 'arrays in arrays', value: [[[]]] },
  { label: 'an array of objects with a NUL key', value: [{ '\u0000': 1 }], nul: true },
];

/** More replacements for a string. */
const HOSTILE_TEXT: { label: string; value: (original: string) => Json; nul?: true }[] = [
  { label: 'a NUL byte at its end', value: (v) => `${v}\u0000`, nul: true },
  { label: 'a lone surrogate', value: (v) => `${v}\ud800` },
  { label: '100,000 characters', value: () => 'x'.repeat(100_000) },
];

/** More replacements for a date: each must be a 400 (PostgreSQL or JavaScript would misread it). */
const HOSTILE_DATES: { label: string; value: Json }[] = [
  { label: 'the year 275760', value: '+275760-09-13T00:00:00.000Z' },
  { label: 'the year 0', value: '0000-01-01T00:00:00Z' },
  { label: 'a year before 0', value: '-000001-01-01T00:00:00Z' },
  { label: '31 February', value: '2026-02-31T00:00:00Z' },
  { label: '30 February as a date alone', value: '2026-02-30' },
  { label: 'the year 9999', value: '9999-12-31T23:59:59Z' },
  { label: 'a time of 24:00', value: '2026-05-01T24:00:00Z' },
  { label: 'a time without offset', value: '2026-05-01T10:00:00' },
];

/** More replacements for an object. */
const HOSTILE_OBJECT: { label: string; value: (original: Record<string, Json>) => Json; nul?: true }[] = [
  { label: 'a NUL member name', value: (o) => ({ ...o, 'a\u0000': 'x' }), nul: true },
  { label: 'a __proto__ member', value: (o) => ({ ...o, ...(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, Json>) }) },
  { label: 'a member nested 2,000 deep', value: (o) => ({ ...o, deep: deep(2000) }) },
];

/** Whole bodies no route expects, sent as application/json text. */
const RAW: { label: string; text: string }[] = [
  { label: 'arrays nested 100,000 deep', text: '['.repeat(100_000) + ']'.repeat(100_000) },
  { label: 'objects nested 30,000 deep', text: '{"a":'.repeat(30_000) + '1' + '}'.repeat(30_000) },
  { label: 'null', text: 'null' },
  { label: 'a string', text: '"text"' },
  { label: 'a number', text: '1e308' },
  { label: 'an array', text: '[{"type":"CLOSE"}]' },
  { label: 'truncated JSON', text: '{"a":' },
  { label: 'an escaped NUL member name', text: '{"\\u0000":"x"}' },
  { label: 'a duplicated member', text: '{"type":"CLOSE","type":"SUBMIT","expectedVersion":1}' },
];

/** Hostile query values, tried on each query parameter a GET route publishes in its OpenAPI document. */
const QUERY_VALUES = ['%00', 'a%00b', '%ED%A0%80', 'x', '99999999999999999999', '-1', '1.5', '%2B275760-09-13', '2026-02-30', '%5B%5D'];

interface Leaf {
  path: (string | number)[];
  value: Json;
}

/** Every part of a body (leaves and inner nodes), by path. */
function parts(value: Json, at: (string | number)[] = []): Leaf[] {
  const out: Leaf[] = at.length ? [{ path: at, value }] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...parts(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...parts(v, [...at, k]));
  return out;
}

function replaced(body: Json, at: (string | number)[], value: Json): Json {
  const copy = structuredClone(body) as Record<string | number, Json>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[at[at.length - 1]] = value;
  return copy;
}

const isDate = (v: Json) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v);

/** One valid body of a route, as one caller, on one resource (a case in the right state for an event). */
interface Template {
  label: string;
  url: string;
  token: string;
  body: Json;
  /** A body accepted (2xx) changed the resource: build a fresh one before the next try. */
  renew?: () => Promise<{ url: string; body: Json }>;
}

describe('security: no request body can produce a 5xx', () => {
  let t: TestApp;
  let w: World;
  let policy: Policy;
  let routes: Route[];
  let openSession: string;
  let planned: CaseRef;
  const tokenOf: Partial<Record<Role, string>> = {};
  const problems: string[] = [];
  let sent = 0;

  beforeAll(async () => {
    policy = loadPolicy(path.resolve('policies'));
    ({ t, w } = await createWorldApp());
    routes = routesOf(t);
    tokenOf.admin = w.admin.token;
    tokenOf.coordinator = w.coordinator.token;
    tokenOf.referrer = w.referrer.token;
    tokenOf.member = w.psychiatrist.token;
    tokenOf.auditor = w.auditor.token;
    openSession = (await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/sessions`, { startsAt: inDays(0), endsAt: inDays(0.5) }))
      .id as string;
    await call(t, w.coordinator.token, 'post', `/sessions/${openSession}/open`, undefined, 200);
    planned = await caseIn(t, w, 'plan_active', openSession);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** The roles that pass the route guard of an action (the test's reading of access.yaml). */
  function rolesOf(action: string | undefined): Role[] {
    if (!action) return [];
    const permission = policy.permissions[action as Action];
    return ROLES.filter((role) => permission.relations.some((relation) => policy.holders[relation].roles.includes(role)));
  }

  function fill(route: Route, ids: Record<string, string>): string {
    const base = route.path.split('/')[1];
    return route.path.replace(/:(\w+)/g, (_, name: string) => {
      if (name === 'id') return ids[base] ?? ids.none;
      return ids[name] ?? ids.none;
    });
  }

  async function send(method: string, url: string, token: string | null, body: Json | { raw: string } | undefined): Promise<Response> {
    sent++;
    let req = t.http()[method.toLowerCase() as 'post'](url);
    if (token) req = req.set('authorization', `Bearer ${token}`);
    if (body !== undefined && body !== null && typeof body === 'object' && 'raw' in body && typeof body.raw === 'string') {
      return req.set('content-type', 'application/json').send(body.raw);
    }
    return body === undefined ? req : req.send(body as object);
  }

  function check(what: string, res: Response, mustBe400: boolean) {
    if (res.status >= 500) problems.push(`${what}: ${res.status}`);
    else if (mustBe400 && res.status !== 400) problems.push(`${what}: ${res.status} instead of 400`);
  }

  /** A case driven to `state` for an event's template (a fresh one when a try was accepted). */
  async function caseFor(state: string, body: (c: CaseRef) => Json): Promise<{ url: string; body: Json }> {
    const c = await caseIn(t, w, state, openSession);
    return { url: `/cases/${c.id}/events`, body: body(c) };
  }

  async function templates(route: Route): Promise<Template[]> {
    const ids: Record<string, string> = {
      commissions: w.commissionId,
      sessions: openSession,
      cases: planned.id,
      users: w.housingOfficer.id,
      me: '00000000-0000-4000-8000-000000000000',
      actionId: '',
      userId: w.townOfficer.id,
      none: '00000000-0000-4000-8000-000000000000',
    };
    const view = await call(t, w.coordinator.token, 'get', `/cases/${planned.id}`);
    ids.actionId = (view.plan.actions as { id: string }[])[0].id;
    const url = fill(route, ids);
    const as = (role: Role) => tokenOf[role]!;
    const event = (state: string, role: Role, payload: (c: CaseRef) => Record<string, Json>): Template => {
      const label = `${route.route} ${String(payload({ id: '', reference: '', state, version: 1 }).type)}`;
      return {
        label,
        url: '',
        token: as(role),
        body: null,
        renew: () => caseFor(state, (c) => ({ expectedVersion: c.version, ...payload(c) })),
      };
    };
    switch (route.route) {
      case 'POST /auth/login':
        return [{ label: route.route, url, token: '', body: { email: ADMIN.email, password: 'not-the-password' } }];
      case 'POST /territories':
        return [{ label: route.route, url, token: as('admin'), body: { name: 'CLSM hostile' } }];
      case 'POST /organisations':
        return [{ label: route.route, url, token: as('admin'), body: { name: 'Association hostile', sector: 'association', territoryId: w.territoryId } }];
      case 'POST /users':
        return [
          {
            label: route.route,
            url,
            token: as('admin'),
            body: {
              email: 'hostile@test.local',
              password: PASSWORD,
              displayName: 'H',
              organisationId: w.orgs.housing,
              roles: ['member'],
              profession: 'none',
            },
          },
        ];
      case 'PATCH /users/:id':
        return [{ label: route.route, url, token: as('admin'), body: { displayName: 'Renamed', profession: 'none', disabled: false } }];
      case 'POST /commissions':
        return [{ label: route.route, url, token: as('coordinator'), body: { territoryId: w.territoryId, name: 'Cellule hostile' } }];
      case 'POST /commissions/:id/members':
        return [{ label: route.route, url, token: as('coordinator'), body: { userId: w.townOfficer.id, deputyUserId: w.housingOfficer.id } }];
      case 'PUT /commissions/:id/charter':
        return [{ label: route.route, url, token: as('coordinator'), body: { version: 2, text: 'Charte v2' } }];
      case 'POST /commissions/:id/charter/accept':
        return [{ label: route.route, url, token: as('member'), body: { version: 1 } }];
      case 'POST /commissions/:id/sessions':
        return [{ label: route.route, url, token: as('coordinator'), body: { startsAt: inDays(3), endsAt: inDays(3.1) } }];
      case 'POST /sessions/:id/invitations':
        return [{ label: route.route, url, token: as('coordinator'), body: { userId: w.otherReferrer.id, caseId: planned.id } }];
      case 'PATCH /cases/:id/actions/:actionId':
        return [{ label: route.route, url, token: as('coordinator'), body: { status: 'in_progress', note: 'Rendez-vous proposé' } }];
      case 'POST /cases':
        return [{ label: route.route, url, token: as('referrer'), body: caseBody(w.commissionId) as unknown as Json }];
      case 'POST /cases/:id/events':
        return [
          event('in_review', 'coordinator', () => ({ type: 'ADOPT_PLAN', ...(plan(w, { followUpAt: inDays(60) }) as Record<string, Json>) })),
          event('awaiting_consent', 'referrer', () => ({
            type: 'RECORD_CONSENT',
            decision: 'granted',
            informedAt: inDays(-1),
            method: 'written',
            scope: [{ sector: 'housing', classes: ['identity'] }],
            expiresAt: inDays(200),
            evidence: 'Formulaire signé',
          })),
          event('in_review', 'coordinator', () => ({ type: 'CLOSE', outcome: 'Situation stabilisée' })),
          event('submitted', 'coordinator', () => ({ type: 'REJECT', reason: 'Hors champ', suggestedOrientation: 'CCAS' })),
          event('follow_up', 'coordinator', () => ({ type: 'CONTINUE', followUpAt: inDays(60) })),
          event('ready_for_review', 'coordinator', () => ({ type: 'SCHEDULE', sessionId: openSession })),
          event('awaiting_consent', 'referrer', () => ({ type: 'REVIEW_WITHOUT_CONSENT', justification: 'Personne injoignable' })),
          event('plan_active', 'referrer', () => ({ type: 'WITHDRAW_CONSENT' })),
          event('draft', 'referrer', () => ({ type: 'SUBMIT' })),
        ];
      default: {
        // Routes without a body of their own (and any route added later): the raw bodies and an
        // object with hostile members, as every caller the guard lets through.
        const roles = route.isPublic ? [] : rolesOf(route.action);
        return (route.isPublic ? [''] : roles.map(as)).map((token) => ({ label: route.route, url, token, body: {} }));
      }
    }
  }

  it('fires a corpus of hostile bodies at every route: never a 5xx, and a NUL byte or an unusable date is a 400', async () => {
    const withBody = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(withBody.length).toBeGreaterThan(15);
    for (const route of withBody) {
      for (const template of await templates(route)) {
        let current = template.renew ? await template.renew() : { url: template.url, body: template.body };
        const attempt = async (what: string, body: Json | { raw: string }, mustBe400: boolean) => {
          const res = await send(route.method, current.url, template.token || null, body);
          check(`${template.label} with ${what}`, res, mustBe400);
          if (res.status < 300 && template.renew) current = await template.renew();
        };
        for (const raw of RAW) await attempt(`a raw body of ${raw.label}`, { raw: raw.text }, false);
        for (const hostile of HOSTILE_OBJECT)
          await attempt(`a body with ${hostile.label}`, hostile.value(current.body as Record<string, Json>), Boolean(hostile.nul));
        for (const part of parts(current.body)) {
          const name = part.path.join('.');
          if (name === 'type') continue;
          const at = (label: string, value: Json, mustBe400: boolean) => attempt(`${name} = ${label}`, replaced(current.body, part.path, value), mustBe400);
          for (const hostile of HOSTILE) await at(hostile.label, hostile.value, Boolean(hostile.nul));
          if (typeof part.value === 'string') for (const hostile of HOSTILE_TEXT) await at(hostile.label, hostile.value(part.value), Boolean(hostile.nul));
          if (isDate(part.value)) for (const hostile of HOSTILE_DATES) await at(hostile.label, hostile.value, true);
          if (part.value !== null && typeof part.value === 'object' && !Array.isArray(part.value)) {
            for (const hostile of HOSTILE_OBJECT) await at(hostile.label, hostile.value(part.value), Boolean(hostile.nul));
          }
        }
      }
    }
    const openApi = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const url = fill(route, { commissions: w.commissionId, sessions: openSession, cases: planned.id, none: '00000000-0000-4000-8000-000000000000' });
      const documented = openApi.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.get?.parameters ?? [];
      const names = documented.filter((p) => p.in === 'query').map((p) => p.name);
      const tokens = route.isPublic ? [''] : rolesOf(route.action).map((role) => tokenOf[role]!);
      for (const token of tokens) {
        for (const name of names) {
          for (const value of QUERY_VALUES)
            check(`${route.route}?${name}=${value}`, await send('GET', `${url}?${name}=${value}`, token || null, undefined), false);
          check(`${route.route}?${name} twice`, await send('GET', `${url}?${name}=1&${name}=2`, token || null, undefined), false);
        }
        check(`${route.route} with an unknown parameter holding a NUL byte`, await send('GET', `${url}?x%00=%00`, token || null, undefined), true);
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(2000);
  }, 600_000);

  it('answers who may call first: 401 without a token and 403 (logged) without the role, whatever the body holds', async () => {
    const nul = { name: 'a\u0000b' };
    const anonymous = await t.http().post('/territories').send(nul);
    expect(anonymous.status).toBe(401);
    const referrer = await t.http().post('/territories').set('authorization', `Bearer ${w.referrer.token}`).send(nul);
    expect(referrer.status).toBe(403);
    const [row] = await t.db.dataSource.query<{ decision: string; purpose: string }[]>(
      `SELECT decision, purpose FROM audit_events WHERE actor_id = $1 AND action = 'route:POST /territories' ORDER BY id DESC LIMIT 1`,
      [w.referrer.id],
    );
    expect(row).toEqual({ decision: 'deny', purpose: 'no_role' });
    // The admin, who may call it, gets the input's refusal.
    const admin = await t.http().post('/territories').set('authorization', `Bearer ${w.admin.token}`).send(nul);
    expect(admin.status).toBe(400);
  });

  it('logged no request body and no hostile value on the way', () => {
    const hostile = t.logs.filter((line) => line.includes('\\u0000') || line.includes('Renamed') || line.includes('Situation stabilis'));
    expect(hostile).toEqual([]);
  });
});
