/**
 * Accounts and the directory: login, admin endpoints, bootstrap admin, health and OpenAPI.
 */
import { pino } from 'pino';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { type TestApp } from '../support/app.js';
import { ADMIN, call, createWorldApp, login, PASSWORD, type World } from '../factories/world.js';
import { get } from '../factories/lifecycle.js';
import { HTTP_EVENTS } from '../../src/cases/events/registry.js';
import { settled } from '../support/login.js';

describe('accounts and directory', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('POST /auth/login', () => {
    it('answers 200 with a bearer token that works, once the second factor is passed', async () => {
      const password = await t
        .http()
        .post('/auth/login')
        .send({ email: w.referrer.email, password: settled(PASSWORD) });
      expect(password.status).toBe(200);
      // The password alone opens nothing: the second factor comes next (policies/access.yaml).
      expect(password.body).toEqual({ mfa: 'required', challengeToken: expect.any(String) });
      const token = await login(t, w.referrer.email);
      const me = await get(t, token, '/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        userId: w.referrer.id,
        roles: ['referrer'],
        organisationId: w.orgs.social,
        sector: 'social',
        profession: 'social_worker',
      });
      // The email is case-insensitive.
      expect(await login(t, w.referrer.email.toUpperCase())).toEqual(expect.any(String));
    });

    it('answers 401 with the same body for an unknown email and a wrong password', async () => {
      const unknown = await t.http().post('/auth/login').send({ email: 'nobody@test.local', password: PASSWORD });
      const wrong = await t.http().post('/auth/login').send({ email: w.referrer.email, password: 'wrong-password-123' });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(wrong.body).toEqual(unknown.body);
      expect(JSON.stringify(unknown.body)).not.toContain('nobody');
    });

    it('refuses a malformed login body with 400', async () => {
      const res = await t.http().post('/auth/login').send({ email: w.referrer.email });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(res.body.errors)).toContain('password');
    });
  });

  describe('admin endpoints', () => {
    it('creates a territory, an organisation with its sector and a user with a profession (201)', async () => {
      const territory = await t.http().post('/territories').set('authorization', `Bearer ${w.admin.token}`).send({ name: 'CLSM de Port-Nouveau' });
      expect(territory.status).toBe(201);
      expect(territory.body).toMatchObject({ id: expect.any(String), name: 'CLSM de Port-Nouveau' });

      const organisation = await t
        .http()
        .post('/organisations')
        .set('authorization', `Bearer ${w.admin.token}`)
        .send({ name: 'EPSM du Littoral', sector: 'health', territoryId: territory.body.id });
      expect(organisation.status).toBe(201);
      expect(organisation.body).toMatchObject({ id: expect.any(String), sector: 'health', territoryId: territory.body.id });

      const user = await t
        .http()
        .post('/users')
        .set('authorization', `Bearer ${w.admin.token}`)
        .send({
          email: 'Infirmiere@EPSM.test',
          password: PASSWORD,
          displayName: 'Infirmière EPSM',
          organisationId: organisation.body.id,
          roles: ['member'],
          profession: 'nurse',
        });
      expect(user.status).toBe(201);
      expect(user.body).toMatchObject({
        id: expect.any(String),
        email: 'infirmiere@epsm.test',
        roles: ['member'],
        profession: 'nurse',
        territoryId: territory.body.id,
        disabled: false,
      });
      expect(JSON.stringify(user.body)).not.toContain(PASSWORD);
      expect(Object.keys(user.body).some((k) => /hash|password/i.test(k))).toBe(false);
      const token = await login(t, 'infirmiere@epsm.test');
      const me = await get(t, token, '/me');
      expect(me.body).toMatchObject({ sector: 'health', profession: 'nurse', territoryId: territory.body.id });

      const duplicate = await t.http().post('/territories').set('authorization', `Bearer ${w.admin.token}`).send({ name: 'CLSM de Port-Nouveau' });
      expect(duplicate.status).toBe(409);
    });

    it('refuses an unknown sector, role or profession, naming the field', async () => {
      const sector = await t
        .http()
        .post('/organisations')
        .set('authorization', `Bearer ${w.admin.token}`)
        .send({ name: 'Police', sector: 'police', territoryId: w.territoryId });
      expect(sector.status).toBe(400);
      expect(sector.body.errors.map((e: { field: string }) => e.field)).toContain('sector');
      const base = { email: 'x@test.local', password: PASSWORD, displayName: 'X', organisationId: w.orgs.social };
      const role = await t
        .http()
        .post('/users')
        .set('authorization', `Bearer ${w.admin.token}`)
        .send({ ...base, roles: ['superuser'], profession: 'none' });
      expect(role.status).toBe(400);
      expect(role.body.errors.map((e: { field: string }) => e.field)).toContain('roles');
      const profession = await t
        .http()
        .post('/users')
        .set('authorization', `Bearer ${w.admin.token}`)
        .send({ ...base, roles: ['member'], profession: 'wizard' });
      expect(profession.status).toBe(400);
      expect(profession.body.errors.map((e: { field: string }) => e.field)).toContain('profession');
    });

    it.each([
      ['post', '/territories', () => ({ name: 'CLSM interdit' })],
      ['post', '/organisations', (w: World) => ({ name: 'Org interdite', sector: 'social', territoryId: w.territoryId })],
      [
        'post',
        '/users',
        (w: World) => ({
          email: 'forbidden@test.local',
          password: PASSWORD,
          displayName: 'F',
          organisationId: w.orgs.social,
          roles: ['admin'],
          profession: 'none',
        }),
      ],
    ] as const)('%s %s is 403 for every non-admin role', async (method, url, body) => {
      for (const account of [w.referrer, w.coordinator, w.auditor, w.psychiatrist]) {
        const res = await t.http()[method](url).set('authorization', `Bearer ${account.token}`).send(body(w));
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = 'forbidden@test.local'`);
      expect(n).toBe(0);
    });

    it('get /users is 403 for the roles that work on situations (auditors list the accounts within their reach: oversight.test.ts)', async () => {
      for (const account of [w.referrer, w.coordinator, w.psychiatrist]) {
        const res = await t.http().get('/users').set('authorization', `Bearer ${account.token}`);
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });

    it('lets an admin disable an account and enable it again', async () => {
      const created = await call(t, w.admin.token, 'post', '/users', {
        email: 'toggle@test.local',
        password: PASSWORD,
        displayName: 'T',
        organisationId: w.orgs.housing,
        roles: ['member'],
        profession: 'none',
      });
      const token = await login(t, 'toggle@test.local');
      const disabled = await call(t, w.admin.token, 'patch', `/users/${created.id}`, { disabled: true }, 200);
      expect(disabled.disabled).toBe(true);
      expect((await get(t, token, '/me')).status).toBe(401);
      await call(t, w.admin.token, 'patch', `/users/${created.id}`, { disabled: false }, 200);
      // Enabled again: the tokens of before stay ended, a new login works.
      expect((await get(t, token, '/me')).status).toBe(401);
      expect((await get(t, await login(t, 'toggle@test.local'), '/me')).status).toBe(200);
      // An admin cannot lock themself out.
      const self = await t.http().patch(`/users/${w.admin.id}`).set('authorization', `Bearer ${w.admin.token}`).send({ disabled: true });
      expect(self.status).toBe(409);
    });
  });

  it('creates the bootstrap admin once: a second start on the same database adds none', async () => {
    const admins = async () => (await t.db.dataSource.query(`SELECT id FROM users WHERE 'admin' = ANY(roles) ORDER BY id`)) as { id: string }[];
    const before = await admins();
    expect(before).toHaveLength(1);
    // A second server process on the same database and data folder, with the same variables.
    const second = await buildApp({
      config: t.config,
      dataSource: t.db.dataSource,
      logger: pino({ level: 'silent' }),
      hashCost: { opslimit: 1, memlimit: 8 * 1024 * 1024 },
      print: () => undefined,
    });
    try {
      expect(await admins()).toEqual(before);
      const res = await request(second.app.getHttpServer())
        .post('/auth/login')
        .send({ email: ADMIN.email, password: settled(ADMIN.password) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mfa: 'required' });
    } finally {
      await second.close();
    }
    expect(t.printed).toEqual([]);
  });

  it('GET /health answers 200 without a token', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/docs-json describes the API', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const path of [
      '/auth/login',
      '/territories',
      '/organisations',
      '/users',
      '/users/{id}',
      '/commissions',
      '/commissions/{id}/members',
      '/commissions/{id}/charter',
      '/commissions/{id}/charter/accept',
      '/commissions/{id}/sessions',
      '/sessions/{id}/open',
      '/sessions/{id}/close',
      '/sessions/{id}/attendance',
      '/sessions/{id}/dossier',
      '/cases',
      '/cases/{id}',
      '/cases/{id}/events',
      '/cases/{id}/history',
      '/cases/{id}/actions/{actionId}',
    ]) {
      expect(paths).toContain(path);
    }
    const schemas = Object.keys(res.body.components.schemas);
    expect(schemas).toEqual(expect.arrayContaining(['CreateCaseDto', 'ReviewWithoutConsentPayload', 'AdoptPlanPayload', 'CreateUserDto', 'UpdateActionDto']));
    // One schema per event; the body of POST /cases/{id}/events is their oneOf, discriminated by type.
    const body = res.body.paths['/cases/{id}/events'].post.requestBody.content['application/json'].schema;
    expect(body.discriminator.propertyName).toBe('type');
    expect(body.discriminator.mapping.REVIEW_WITHOUT_CONSENT).toBe('#/components/schemas/ReviewWithoutConsentPayload');
    // Every event a client may send (the registry's HTTP events), and no other.
    expect(Object.keys(body.discriminator.mapping).sort()).toEqual(HTTP_EVENTS.map((m) => m.type).sort());
    expect(body.oneOf).toHaveLength(HTTP_EVENTS.length);
    expect(HTTP_EVENTS.length).toBeGreaterThan(20);
    expect(res.body.components.schemas.ReviewWithoutConsentPayload.properties.type.enum).toEqual(['REVIEW_WITHOUT_CONSENT']);
    expect(res.body.components.schemas.ReviewWithoutConsentPayload.required).toEqual(expect.arrayContaining(['type', 'expectedVersion', 'justification']));
  });
});
