/**
 * Issue 10, points 2 and 5 — small leaks and development conveniences in production: answers
 * kept by caches, the API's map published, a client's text stored as the request id, the demo
 * seed and its published password. The server runs here as in production (NODE_ENV=production,
 * with a keyring file and a token secret, and the OWASP argon2id cost).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD, seedDemo } from '../../scripts/demo/seed-demo.js';
import { generateKeyringFile } from '../../src/vault/keyring.js';
import { PasswordHasher } from '../../src/auth/password-hasher.js';
import { ADMIN, createWorld, type World } from '../factories/world.js';
import { createTestApp, type TestApp } from '../support/app.js';

describe('security: small leaks, in production', () => {
  let t: TestApp;
  let w: World;
  let docs: TestApp;
  let secrets: string;

  const production = (extra: Record<string, string> = {}) =>
    createTestApp({
      NODE_ENV: 'production',
      CELLULE_KEYRING: path.join(secrets, 'keyring.json'),
      CELLULE_TOKEN_SECRET: randomBytes(32).toString('base64'),
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      ...extra,
    });

  beforeAll(async () => {
    secrets = mkdtempSync(path.join(os.tmpdir(), 'cellule-prod-secrets-'));
    writeFileSync(path.join(secrets, 'keyring.json'), JSON.stringify(generateKeyringFile()), { mode: 0o600 });
    t = await production();
    w = await createWorld(t);
    docs = await production({ CELLULE_API_DOCS: 'on' });
  });
  afterAll(async () => {
    await t?.close();
    await docs?.close();
    rmSync(secrets, { recursive: true, force: true });
  });

  it('marks every answer no-store: tokens, case content and errors stay out of caches', async () => {
    const answers = [
      await t.http().get('/me').set('authorization', `Bearer ${w.referrer.token}`),
      await t.http().get('/users').set('authorization', `Bearer ${w.admin.token}`),
      await t.http().get('/me'),
      await t.http().post('/auth/login').send({ email: w.referrer.email, password: 'not the password' }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 401, 401]);
    for (const r of answers) expect(r.headers['cache-control']).toBe('no-store');
  });

  it('does not publish /docs and /docs-json in production unless CELLULE_API_DOCS=on', async () => {
    expect((await t.http().get('/docs-json')).status).toBe(404);
    expect((await t.http().get('/docs')).status).toBe(404);
    const published = await docs.http().get('/docs-json');
    expect(published.status).toBe(200);
    expect(Object.keys(published.body.paths)).toContain('/auth/mfa');
  });

  it("never stores a client's X-Request-Id as it is: only a UUID is kept", async () => {
    const tricky = `x"; DROP TABLE audit_events; -- <script>`;
    const chosen = 'abcdefgh-not-a-uuid-0001';
    const uuid = '0b9e7f5c-6a1d-4c2e-9f3a-5d7e8b1c2a40';
    for (const given of [tricky, chosen]) {
      const res = await t.http().get('/audit/verify').set('authorization', `Bearer ${w.referrer.token}`).set('x-request-id', given);
      expect(res.status).toBe(403);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(res.headers['x-request-id']).not.toBe(given);
      const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1`, [res.headers['x-request-id']]);
      expect(n).toBe(1);
    }
    const [{ n: stored }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE request_id IN ($1, $2)`, [tricky, chosen]);
    expect(stored).toBe(0);
    const kept = await t.http().get('/audit/verify').set('authorization', `Bearer ${w.referrer.token}`).set('x-request-id', uuid);
    expect(kept.headers['x-request-id']).toBe(uuid);
    const [{ n: found }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1`, [uuid]);
    expect(found).toBe(1);
  });

  it('refuses the demo seed and its published password', async () => {
    await expect(seedDemo(t.app, t.db.dataSource)).rejects.toThrow(/NODE_ENV=production/);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@val-fictif.invalid'`);
    expect(n).toBe(0);
    const res = await t
      .http()
      .post('/users')
      .set('authorization', `Bearer ${w.admin.token}`)
      .send({
        email: 'demo-like@test.local',
        password: DEMO_PASSWORD,
        displayName: 'D',
        organisationId: w.orgs.social,
        roles: ['referrer'],
        profession: 'none',
      });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'password', message: 'is the published demonstration password' }]);
    // Even an account that got it outside production (a demo database promoted) cannot log in with it.
    const hash = await t.app.get(PasswordHasher).hash(DEMO_PASSWORD);
    await t.db.dataSource.query(`UPDATE users SET password_hash = $2, password_temporary = false WHERE id = $1`, [w.townOfficer.id, hash]);
    const demo = await t.http().post('/auth/login').send({ email: w.townOfficer.email, password: DEMO_PASSWORD });
    expect(demo.status).toBe(401);
    const [{ purpose }] = await t.db.dataSource.query(
      `SELECT purpose FROM audit_events WHERE actor_id = $1 AND action = 'auth.login' ORDER BY id DESC LIMIT 1`,
      [w.townOfficer.id],
    );
    expect(purpose).toBe('demo_password');
  });

  it('the production image holds neither the demo seed nor the benchmark', () => {
    const dockerfile = readFileSync(path.resolve('Dockerfile'), 'utf8');
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const copies = final.split('\n').filter((line) => line.startsWith('COPY'));
    expect(copies.some((line) => /dist\/scripts|dist\/bench|\/app\/dist\s+\.\/dist/.test(line))).toBe(false);
    expect(copies).toEqual(expect.arrayContaining([expect.stringContaining('/app/dist/src'), expect.stringContaining('/app/dist/migrations')]));
    expect(final).not.toMatch(/COPY\s+(scripts|bench)\b/);
  });
});
