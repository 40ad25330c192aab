/**
 * Issue 10, point 6 — logins under attack: guesses from one address (on one account or spread
 * over many), guesses on one account from many addresses, a flood on the password hashing, and
 * the access log under a flood. The server sits behind a trusted proxy here (CELLULE_TRUST_PROXY)
 * so that each request can come from the address the test chooses (X-Forwarded-For).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorldApp, login, PASSWORD, type World } from '../factories/world.js';
import { call } from '../factories/world.js';
import { type TestApp } from '../support/app.js';
import { credentials } from '../support/login.js';

describe('security: logins under attack', () => {
  let t: TestApp;
  let w: World;
  let address = 0;
  /** A new source address (TEST-NET-2). */
  const elsewhere = () => `198.51.100.${(++address % 250) + 1}`;
  const attempt = (email: string, password: string, from = elsewhere()) => t.http().post('/auth/login').set('x-forwarded-for', from).send({ email, password });
  const member = async (key: string) => {
    const email = `${key}.${Date.now()}@test.local`;
    await call(t, w.admin.token, 'post', '/users', {
      email,
      password: PASSWORD,
      displayName: key,
      organisationId: w.orgs.housing,
      roles: ['member'],
      profession: 'none',
    });
    await login(t, email);
    return email;
  };

  beforeAll(async () => {
    ({ t, w } = await createWorldApp({
      CELLULE_TRUST_PROXY: 'on',
      CELLULE_LOGIN_FREE_FAILURES: '3',
      CELLULE_LOGIN_MAX_DELAY_SECONDS: '4',
      CELLULE_LOGIN_ADDRESS_MAX_FAILURES: '6',
      CELLULE_LOGIN_WINDOW_SECONDS: '600',
    }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('one address guessing across accounts (and unknown emails) is stopped with 429 and Retry-After', async () => {
    const from = '203.0.113.7';
    const victims = [w.referrer.email, w.coordinator.email, 'nobody-1@test.local', w.townOfficer.email, 'nobody-2@test.local', w.psychiatrist.email];
    for (const email of victims) expect((await attempt(email, 'a-wrong-guess-123', from)).status).toBe(401);
    const stopped = await attempt(w.auditor.email, 'another-wrong-guess', from);
    expect(stopped.status).toBe(429);
    expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(0);
    expect(stopped.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Even the right password is not checked from there meanwhile; from elsewhere it is.
    expect((await attempt(w.auditor.email, credentials(t, w.auditor.email)!.password, from)).status).toBe(429);
    expect((await attempt(w.auditor.email, credentials(t, w.auditor.email)!.password)).status).toBe(200);
    // One entry in the access log says the address reached its limit.
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.address_limited'`);
    expect(n).toBe(1);
  });

  it('guesses on one account from many addresses are slowed progressively, and the owner gets in once the stranger stops', async () => {
    const email = await member('victim');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt(email, `wrong-guess-${i}-xyz`)).status);
    expect(statuses).toEqual([401, 401, 401]);
    const slowed = await attempt(email, 'wrong-guess-3-xyz');
    expect(slowed.status).toBe(429);
    const first = Number(slowed.headers['retry-after']);
    expect(first).toBeGreaterThanOrEqual(1);
    // While it waits, nothing is checked, not even the right password, and the wait does not grow.
    expect((await attempt(email, credentials(t, email)!.password)).status).toBe(429);
    await sleep(first * 1000 + 100);
    expect((await attempt(email, 'wrong-guess-4-xyz')).status).toBe(401);
    const longer = await attempt(email, 'wrong-guess-5-xyz');
    expect(longer.status).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(first);
    // No lock: after the (short, capped) wait, the owner's password works.
    await sleep(Number(longer.headers['retry-after']) * 1000 + 100);
    expect(await login(t, email)).toEqual(expect.any(String));
    // …and the count starts afresh.
    expect((await attempt(email, 'wrong-guess-6-xyz')).status).toBe(401);
  });

  it('an unknown email is slowed exactly like an account', async () => {
    const known = await member('known');
    const sequence = async (email: string) => {
      const out: (number | string)[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await attempt(email, `wrong-guess-${i}-abc`);
        out.push(res.status, res.headers['retry-after'] ? 'retry' : '-');
      }
      return out;
    };
    const ofKnown = await sequence(known);
    const ofUnknown = await sequence(`nobody.${Date.now()}@test.local`);
    expect(ofUnknown).toEqual(ofKnown);
    expect(ofKnown).toEqual([401, '-', 401, '-', 401, '-', 429, 'retry', 429, 'retry']);
  });

  it('a flood of guesses on one account adds a few entries to the access log, not one per guess', async () => {
    const email = await member('flooded');
    const [{ id }] = await t.db.dataSource.query(`SELECT id FROM users WHERE email = $1`, [email]);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(email, `flood-guess-${i}-password`)));
    expect(answers.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    // Claimed before they are checked: no more guesses are checked than the free ones and one.
    expect(answers.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 AND decision = 'deny'`, [id]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(5);
  });
});

describe('security: the password hashing queue is bounded', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp({ CELLULE_TRUST_PROXY: 'on', CELLULE_PASSWORD_QUEUE_MAX: '1', CELLULE_LOGIN_ADDRESS_MAX_FAILURES: '100000' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 with Retry-After when the queue is full, never an unbounded wait', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t
          .http()
          .post('/auth/login')
          .set('x-forwarded-for', `192.0.2.${i + 1}`)
          .send({ email: `flood-${i}@test.local`, password: 'some-wrong-password' }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    // The server is not stuck: a login goes through afterwards.
    expect(await login(t, w.referrer.email)).toEqual(expect.any(String));
  });
});
