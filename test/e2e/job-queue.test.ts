/**
 * Issue 13, item 1: the scheduled work on pg-boss (src/jobs/job-queue.ts). Two full application
 * instances on one database run every scheduled round once; a failing job is retried with backoff
 * and then succeeds (or is left failed, counted by the metrics); a graceful stop lets the job in
 * flight finish and closes the queue's connections. The server runs as a login of cellule_app: it
 * never creates a table (the queues come from the migrations).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { createWorldApp, type World } from '../factories/world.js';
import { openSession } from '../factories/security.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { freePort } from '../support/cluster.js';

/** Polls `read` until `done` holds (a generous upper bound, never a timed expectation). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, boundMs = 120_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function runsOf(t: TestApp, queue: string, outcome: 'done' | 'failed' = 'done'): Promise<number> {
  const metric = await t.app.get(Metrics).registry.getSingleMetric('cellule_job_runs_total')!.get();
  return metric.values.filter((v) => v.labels.queue === queue && v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
}

async function jobsOf(t: TestApp, queue: string): Promise<{ state: string; n: number }[]> {
  return t.db.dataSource.query(`SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state ORDER BY state`, [queue]);
}

/** A queue of the test's own, created as a migration would (the database's owner), not by the server. */
async function createQueue(t: TestApp, name: string): Promise<void> {
  await t.db.dataSource.query(`SELECT pgboss.create_queue($1, '{"policy":"standard"}'::json)`, [name]);
}

describe('the job queue on pg-boss', () => {
  it('two application instances on one database: each scheduled round runs once, by one of them', async () => {
    const { t, w }: { t: TestApp; w: World } = await createWorldApp();
    let replica: TestApp | undefined;
    try {
      const session = await openSession(t, w, 1);
      replica = await createTestApp({}, { replicaOf: t });
      // Both see the session past its end; then both start their job queue at once.
      for (const app of [t, replica]) app.clock.advance(session.endsAt.getTime() - Date.now() + 60_000);
      await Promise.all([t.scheduler.start(), replica.scheduler.start()]);
      await until(
        () => jobsOf(t, 'session-end'),
        (rows) => rows.some((r) => r.state === 'completed'),
        'a round of session-end',
      );
      await until(
        () => jobsOf(t, 'follow-up-due'),
        (rows) => rows.some((r) => r.state === 'completed'),
        'a round of follow-up-due',
      );
      // The audit log's purge is one schedule for both (daily, 02:30 UTC), not one loop per replica.
      expect(await t.db.dataSource.query(`SELECT name, cron FROM pgboss.schedule WHERE name = 'audit-purge'`)).toEqual([
        { name: 'audit-purge', cron: '30 2 * * *' },
      ]);
      // Stopped gracefully, nothing is in flight: every round that began has ended.
      await Promise.all([t.shutdown(), replica.shutdown()]);
      for (const queue of ['session-end', 'follow-up-due']) {
        const rows = await jobsOf(t, queue);
        const completed = rows.find((r) => r.state === 'completed')?.n ?? 0;
        expect({ queue, states: rows.map((r) => r.state).filter((s) => s !== 'completed' && s !== 'created') }).toEqual({ queue, states: [] });
        // As many runs, over both instances, as rounds the queue completed: none ran twice.
        expect({ queue, runs: (await runsOf(t, queue)) + (await runsOf(replica, queue)) }).toEqual({ queue, runs: completed });
        // pg-boss's clock sent one job per schedule and minute, whichever instance ticked.
        const [{ sent, minutes }] = await t.db.dataSource.query(
          `SELECT count(*)::int AS sent, count(DISTINCT singleton_on)::int AS minutes FROM pgboss.job WHERE name = '__pgboss__send-it' AND data->>'name' = $1`,
          [queue],
        );
        expect({ queue, sent }).toEqual({ queue, sent: minutes });
        // A round that throws is retried with backoff (TASK_RETRY): the schedule gives it to every job.
        const retries = await t.db.dataSource.query(
          `SELECT DISTINCT retry_limit AS "retryLimit", retry_delay AS "retryDelay", retry_backoff AS "retryBackoff" FROM pgboss.job WHERE name = $1`,
          [queue],
        );
        expect({ queue, retries }).toEqual({ queue, retries: [{ retryLimit: 3, retryDelay: 30, retryBackoff: true }] });
      }
      // The round's change is in the audit trail, as the system, once.
      const closings = await t.db.dataSource.query(
        `SELECT actor_id AS "actorId" FROM audit_events WHERE action = 'session.close' AND detail->>'sessionId' = $1`,
        [session.id],
      );
      expect(closings).toEqual([{ actorId: null }]);
      expect(t.logs.concat(replica.logs).some((l) => l.includes('"jobs started"'))).toBe(true);
    } finally {
      await replica?.close();
      await t.close();
    }
  }, 180_000);

  describe('one-off jobs', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await createTestApp({ CELLULE_JOBS: 'on' });
    });
    afterEach(async () => {
      await t?.close();
    });

    it('a failing job is retried with backoff, then succeeds; its data never reaches the log', async () => {
      await createQueue(t, 'test-flaky');
      const attempts: { retryCount: number; at: number }[] = [];
      await t.scheduler.work<{ ref: string }>('test-flaky', async (job) => {
        attempts.push({ retryCount: job.retryCount, at: Date.now() });
        if (attempts.length === 1) throw new Error('mail server unreachable');
      });
      const id = await t.scheduler.send('test-flaky', { ref: 'distinctive-job-data-7f3a' }, { retryLimit: 3, retryDelay: 1, retryBackoff: true });
      expect(id).toEqual(expect.any(String));
      const [job] = await until(
        () =>
          t.db.dataSource.query(`SELECT state::text AS state, retry_count AS "retryCount", retry_backoff AS "retryBackoff" FROM pgboss.job WHERE id = $1`, [
            id,
          ]),
        (rows: { state: string }[]) => rows[0]?.state === 'completed',
        'the job to complete',
      );
      expect(job).toEqual({ state: 'completed', retryCount: 1, retryBackoff: true });
      expect(attempts.map((a) => a.retryCount)).toEqual([0, 1]);
      // Backoff: the retry waited at least retryDelay × 2¹ / 2 = 1 s after the failure.
      expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(1000);
      expect(await runsOf(t, 'test-flaky', 'failed')).toBe(1);
      expect(await runsOf(t, 'test-flaky', 'done')).toBe(1);
      const failure = t.logs.find((l) => l.includes('job failed, to be retried'));
      expect(failure).toContain('mail server unreachable');
      expect(t.logs.join('\n')).not.toContain('distinctive-job-data-7f3a');
    });

    it('a job failing every time is left failed after its retries, and the metrics count it', async () => {
      await createQueue(t, 'test-broken');
      await t.scheduler.work('test-broken', async () => {
        throw new Error('always down');
      });
      const id = await t.scheduler.send('test-broken', {}, { retryLimit: 1, retryDelay: 1 });
      const [job] = await until(
        () => t.db.dataSource.query(`SELECT state::text AS state, retry_count AS "retryCount", output FROM pgboss.job WHERE id = $1`, [id]),
        (rows: { state: string }[]) => rows[0]?.state === 'failed',
        'the job to fail for good',
      );
      expect(job).toMatchObject({ state: 'failed', retryCount: 1, output: expect.objectContaining({ message: 'always down' }) });
      expect(t.logs.some((l) => l.includes('job failed, no retry left'))).toBe(true);
      const { body } = await t.app.get(Metrics).render();
      expect(body).toMatch(/cellule_job_queue_jobs\{queue="test-broken",state="failed"\} 1/);
    });

    it('is enqueued with the transaction it belongs to: a rolled-back transaction leaves no job', async () => {
      await createQueue(t, 'test-tx');
      const runner = t.db.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      const id = await t.scheduler.send('test-tx', { n: 1 }, { manager: runner.manager });
      await runner.rollbackTransaction();
      await runner.release();
      expect(id).toEqual(expect.any(String));
      expect(await t.db.dataSource.query(`SELECT id FROM pgboss.job WHERE id = $1`, [id])).toEqual([]);
    });

    it('a graceful stop lets the job in flight finish, then closes the queue’s connections', async () => {
      await createQueue(t, 'test-slow');
      let started!: () => void;
      const isStarted = new Promise<void>((resolve) => (started = resolve));
      let stopCalled!: () => void;
      const stopping = new Promise<void>((resolve) => (stopCalled = resolve));
      const stop = t.scheduler.stop.bind(t.scheduler);
      t.scheduler.stop = () => {
        stopCalled();
        return stop();
      };
      let finished = false;
      await t.scheduler.work('test-slow', async () => {
        started();
        await stopping; // still running when the stop begins
        await t.db.dataSource.query('SELECT 1');
        finished = true;
      });
      const id = await t.scheduler.send('test-slow', {});
      await isStarted;
      await t.shutdown();
      expect(finished).toBe(true);
      const [job] = await t.db.dataSource.query(`SELECT state::text AS state FROM pgboss.job WHERE id = $1`, [id]);
      expect(job).toEqual({ state: 'completed' });
      // No worker is left: pg-boss's pool is closed.
      const connections = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'cellule-jobs'`,
      );
      expect(connections).toEqual([{ n: 0 }]);
    });
  });

  it('a job end pg-boss cannot record (database unreachable) is logged, not thrown: it would end the process, unawaited', async () => {
    const queue = new JobQueue({} as DataSource, [], { url: `postgres://nobody:none@127.0.0.1:${await freePort()}/none` });
    const boss = (queue as unknown as { producer(): PgBoss }).producer();
    try {
      await expect(boss.complete('session-end', randomUUID())).resolves.toMatchObject({ affected: 0 });
      await expect(boss.fail('session-end', randomUUID(), new Error('down'))).resolves.toMatchObject({ affected: 0 });
      // Any other statement still fails (pg-boss awaits and reports those).
      await expect(boss.getQueueSize('session-end')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await (queue as unknown as { pool?: pg.Pool }).pool?.end();
    }
  });

  it('the server never creates a queue: one its tasks need but no migration made stops the start, named', async () => {
    const t = await createTestApp();
    try {
      await t.db.dataSource.query(`SELECT pgboss.delete_queue('session-end')`);
      await expect(t.scheduler.checkQueues()).rejects.toThrow(/Job queue\(s\) session-end do not exist: create them in a migration/);
      // The application role may not make it itself.
      const client = new pg.Client({ connectionString: t.db.appUrl });
      await client.connect();
      try {
        await expect(client.query(`SELECT pgboss.create_queue('session-end', '{}'::json)`)).rejects.toThrow(/permission denied for schema pgboss/);
        await expect(client.query(`SELECT pgboss.delete_queue('follow-up-due')`)).rejects.toThrow(/permission denied for function delete_queue/);
        await expect(client.query(`CREATE TABLE pgboss.intruder (id int)`)).rejects.toThrow(/permission denied/);
      } finally {
        await client.end();
      }
    } finally {
      await t.close();
    }
  });
});
