import { randomUUID } from 'node:crypto';
import { type TestApp } from '../support/app.js';
import { call, caseBody, createWorldApp, type World } from '../factories/world.js';

/**
 * What an operator relies on: replays of creating POSTs with an Idempotency-Key, the probes
 * (@nestjs/terminus), the Prometheus metrics on their own port, the RateLimit-* headers.
 */
describe('operations', () => {
  let t: TestApp;
  let w: World;
  let metricsPort: number;
  beforeAll(async () => {
    ({ t, w } = await createWorldApp({ CELLULE_METRICS_PORT: '0', CELLULE_RATE_LIMIT: '100000' }));
    metricsPort = t.metricsPort!;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function countCases(): Promise<number> {
    const [{ n }] = (await t.db.dataSource.query('SELECT count(*)::int AS n FROM cases')) as { n: number }[];
    return n;
  }

  it('answers a replay with the first answer and creates nothing more', async () => {
    const key = randomUUID();
    const before = await countCases();
    const first = await t.http().post('/cases').set('authorization', `Bearer ${w.referrer.token}`).set('idempotency-key', key).send(caseBody(w.commissionId));
    expect(first.status).toBe(201);
    const replay = await t.http().post('/cases').set('authorization', `Bearer ${w.referrer.token}`).set('idempotency-key', key).send(caseBody(w.commissionId));
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await countCases()).toBe(before + 1);
    // The kept answer holds the identity: it is stored sealed, never in clear.
    const [row] = (await t.db.dataSource.query('SELECT answer FROM idempotency_keys')) as { answer: Buffer }[];
    expect(row.answer.toString('latin1')).not.toContain('Zéphyrin');
    expect(row.answer.toString('utf8')).not.toContain('Quatremare');
  });

  it('refuses the same key for another request, and a malformed key, naming the header', async () => {
    const key = randomUUID();
    await t.http().post('/cases').set('authorization', `Bearer ${w.referrer.token}`).set('idempotency-key', key).send(caseBody(w.commissionId)).expect(201);
    const other = await t
      .http()
      .post('/cases')
      .set('authorization', `Bearer ${w.referrer.token}`)
      .set('idempotency-key', key)
      .send(caseBody(w.commissionId, { summary: { ...caseBody(w.commissionId).summary, ageBand: '70-79' } }));
    expect(other.status).toBe(422);
    expect(other.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'was used for another request' }]);
    const bad = await t
      .http()
      .post('/cases')
      .set('authorization', `Bearer ${w.referrer.token}`)
      .set('idempotency-key', 'é'.repeat(3))
      .send(caseBody(w.commissionId));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('Idempotency-Key');
  });

  it('keys are per account: another account with the same key creates its own', async () => {
    const key = randomUUID();
    const first = await t.http().post('/cases').set('authorization', `Bearer ${w.referrer.token}`).set('idempotency-key', key).send(caseBody(w.commissionId));
    const second = await t
      .http()
      .post('/cases')
      .set('authorization', `Bearer ${w.otherReferrer.token}`)
      .set('idempotency-key', key)
      .send(caseBody(w.commissionId));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('answers the liveness and readiness probes', async () => {
    const live = await t.http().get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toEqual({ server: { status: 'up' }, database: { status: 'up' } });
  });

  it('announces the rate limit on every answer', async () => {
    const res = await t.http().get('/cases').set('authorization', `Bearer ${w.referrer.token}`);
    expect(res.headers['ratelimit-limit']).toBe('100000');
    expect(Number(res.headers['ratelimit-remaining'])).toBeLessThan(100000);
    expect(res.headers['ratelimit-reset']).toMatch(/^\d+$/);
  });

  it('serves the metrics on their own port only, labelled by route pattern', async () => {
    const created = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId));
    await call(t, w.referrer.token, 'get', `/cases/${created.id}`);
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/cellule_http_requests_total\{method="GET",route="\/cases\/:id",status="200"\} [1-9]/);
    expect(text).not.toContain(created.id);
    expect(text).toMatch(/cellule_http_request_duration_seconds_bucket/);
    expect(text).toMatch(/cellule_job_queue_depth\{task="follow-up-due"\} \d+/);
    expect(text).toMatch(/cellule_audit_sealing_lag_seconds \d/);
    expect((await t.http().get('/metrics')).status).toBe(404);
  });
});
