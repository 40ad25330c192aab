import { Logger } from '@nestjs/common';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { DataSource, EntityManager } from 'typeorm';
import { JOB_SCHEMA } from '../../migrations/1796500000001-JobQueue.js';
import { isDatabaseUnreachable } from '../common/database-errors.js';
import { select, type SqlRunner } from '../database/sql.js';
import { asSystem } from '../database/territory-scope.js';
import { cronOf, TASK_RETRY, type ScheduledTask } from './scheduler.js';

/** Retries of a one-off job (JobQueue.send): pg-boss's, in seconds; backoff doubles the delay each time, jittered. */
export interface JobRetry {
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
}

export interface SendOptions extends JobRetry {
  /** Start no earlier than this. */
  startAfter?: Date;
  /** At most one job with this key waiting in the queue (a second send answers null). */
  singletonKey?: string;
  /** A job still running after this long is failed (then retried): default 15 minutes. */
  expireInSeconds?: number;
  /** Enqueue inside this transaction: the job exists only if it commits. */
  manager?: EntityManager;
}

/** What a one-off worker is given: the job's data (ids and counts, never a protected value) and which attempt this is. */
export interface OneOffJob<T> {
  id: string;
  data: T;
  /** 0 the first time, then 1, 2… for the retries. */
  retryCount: number;
  /** The retries it may have: the last attempt is the one where retryCount = retryLimit. */
  retryLimit: number;
}

export interface JobQueueOptions {
  /** The database as the application role (DML on the pgboss schema, no DDL). */
  url: string;
  /** How long stop() waits for the jobs in flight before failing them (they are retried later). */
  stopTimeoutMs?: number;
  /** How often an idle worker looks for a job (pg-boss: at least 0.5 s). */
  pollingIntervalSeconds?: number;
  /** How often a replica checks the cron schedules (pg-boss: 1 to 45 s). */
  cronMonitorIntervalSeconds?: number;
  /** How often the send-it queue of cron is read (pg-boss: 1 to 45 s). */
  cronWorkerIntervalSeconds?: number;
  /** Counts every round or job run, by queue and outcome (src/metrics). */
  observe?: (queue: string, outcome: 'done' | 'failed') => void;
}

let formatter: PgBoss | undefined;

/**
 * Enqueues a one-off job on `runner` — TypeORM's pool, or a transaction's manager: then the job
 * exists only if that transaction commits. pg-boss only formats the INSERT here (a PgBoss never
 * started, with no connection of its own); the statement runs on `runner`. Usable by any module
 * (the notifications enqueue their emails in the transaction that writes them) without the
 * JobQueue, which depends on them. Answers the job's id, or null when a singletonKey refused it.
 * `data`: ids and counts only, never a protected value (it stays in `pgboss.job`).
 */
export function enqueueJob<T extends object>(runner: SqlRunner, name: string, data: T, options: Omit<SendOptions, 'manager'> = {}): Promise<string | null> {
  formatter ??= new PgBoss({
    db: { executeSql: () => Promise.reject(new Error('the job formatter runs no statement of its own')) },
    schema: JOB_SCHEMA,
    migrate: false,
    supervise: false,
    schedule: false,
  });
  const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: (await runner.query(text, values)) as unknown[] }) };
  return formatter.send(name, data, { ...options, db });
}

/** pg-boss's completeJobs and failJobsById statements (src/plans.js), which it sends without awaiting them. */
const RECORDS_A_JOB_END = /^\s*WITH (results|deleted_jobs) AS \(\s*(UPDATE|DELETE FROM) [a-z_]+\.job\b/;

interface Worker {
  name: string;
  handler: (job: OneOffJob<unknown>) => Promise<unknown>;
}

/**
 * The scheduled and background work on pg-boss (a PostgreSQL-backed queue, schema `pgboss`):
 *
 * - Every periodic task (ScheduledTask) is a cron schedule and a worker on its queue. Each replica
 *   runs pg-boss's clock: the first to pass a minute's tick sends one job per due schedule, the
 *   others' sends of that minute are refused by a unique index, and one worker fetches the job
 *   (`FOR UPDATE SKIP LOCKED`): with several replicas on one database every round runs once. The
 *   queues are `stately`: a round never starts while the previous one still runs. A round that
 *   throws is retried with backoff (TASK_RETRY), then left `failed` in `pgboss.job` (the metric
 *   cellule_job_queue_jobs{state="failed"} counts them).
 * - One-off jobs (`send` + `work`): retried with backoff as asked, enqueued inside a transaction
 *   when given one.
 *
 * Every round and job runs in the explicit wide scope `job:<name>` (asSystem): it sees every
 * territory, and its changes are audited as the system by the code it calls. pg-boss never
 * changes its schema here (`migrate: false`): the schema and the queues come from the migrations,
 * as the owner; the server's role only reads and writes rows.
 */
export class JobQueue {
  private readonly logger = new Logger('jobs');
  private readonly workers: Worker[] = [];
  private boss: PgBoss | undefined;
  private pool: pg.Pool | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    readonly tasks: readonly ScheduledTask[],
    private readonly options: JobQueueOptions,
  ) {
    const names = new Set<string>();
    for (const task of tasks) {
      if (names.has(task.name)) throw new Error(`Two scheduled tasks are named ${task.name}`);
      names.add(task.name);
      cronOf(task);
    }
  }

  /** The queues this process uses: its tasks' and its one-off workers'. */
  queueNames(): string[] {
    return [...this.tasks.map((t) => t.name), ...this.workers.map((w) => w.name)];
  }

  /** Throws, naming them, when queues this process uses were not created by a migration. */
  async checkQueues(): Promise<void> {
    const rows = await select<{ name: string }>(this.dataSource, `SELECT name FROM ${JOB_SCHEMA}.queue WHERE name = ANY($1::text[])`, [this.queueNames()]);
    const present = new Set(rows.map((r) => r.name));
    const missing = this.queueNames().filter((n) => !present.has(n));
    if (missing.length) {
      throw new Error(
        `Job queue(s) ${missing.join(', ')} do not exist: create them in a migration with createJobQueues (migrations/1796500000001-JobQueue.ts), run as the owner`,
      );
    }
  }

  /**
   * One round of a task, now, in this process: what its worker does for one job (the wide scope
   * `job:<name>`, the log line, the metric). For tests and operator commands; not exclusive with
   * the queue's workers (the tasks re-check under their row locks what they change).
   */
  async runOnce(name: string): Promise<number | void> {
    const task = this.tasks.find((t) => t.name === name);
    if (!task) throw new Error(`unknown task ${name}`);
    return this.round(task);
  }

  private async round(task: ScheduledTask): Promise<number | void> {
    try {
      const done = await asSystem(`job:${task.name}`, () => task.run());
      if (typeof done === 'number' && done > 0) this.logger.log({ msg: 'task done', task: task.name, count: done });
      this.options.observe?.(task.name, 'done');
      return done;
    } catch (error) {
      this.options.observe?.(task.name, 'failed');
      throw error;
    }
  }

  /**
   * Registers the worker of a one-off queue (its queue made by a migration). Before start():
   * started with the others; after: at once. The handler throws to have the job retried.
   */
  async work<T>(name: string, handler: (job: OneOffJob<T>) => Promise<unknown>): Promise<void> {
    if (this.tasks.some((t) => t.name === name) || this.workers.some((w) => w.name === name)) throw new Error(`Queue ${name} has a worker already`);
    const worker: Worker = { name, handler: handler as Worker['handler'] };
    this.workers.push(worker);
    if (this.boss) await this.listen(this.boss, worker);
  }

  /**
   * Enqueues a one-off job; answers its id (null when a singletonKey refused it). `data` is read
   * back by the worker and kept in `pgboss.job` until archived: ids and counts only, never a
   * protected value. Works whether this process runs the workers or not (CELLULE_JOBS=off).
   */
  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    const { manager, ...rest } = options;
    return enqueueJob(manager ?? this.dataSource, name, data, rest);
  }

  private producer(): PgBoss {
    return (this.boss ??= this.create());
  }

  private create(): PgBoss {
    const boss = new PgBoss({
      // Its statements run on our pool (opened by start()), or on TypeORM's for a send (see send()).
      db: { executeSql: (text: string, values: unknown[]) => this.execute(text, values) },
      schema: JOB_SCHEMA,
      migrate: false,
      supervise: true,
      schedule: true,
      pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
      cronMonitorIntervalSeconds: this.options.cronMonitorIntervalSeconds ?? 30,
      cronWorkerIntervalSeconds: this.options.cronWorkerIntervalSeconds ?? 5,
      // Jobs carry ids only; done ones are archived after a day, failed ones after a week.
      archiveCompletedAfterSeconds: 86_400,
      archiveFailedAfterSeconds: 7 * 86_400,
      deleteAfterDays: 7,
    });
    // Never the job's data: pg-boss's message (a database error, a worker's) and the queue.
    boss.on('error', (error: Error & { queue?: string }) => this.logger.error({ msg: 'job queue error', queue: error.queue, err: { message: error.message } }));
    return boss;
  }

  /**
   * A statement of pg-boss on the queue's pool. pg-boss 10 records a job's end (completeJobs,
   * failJobsById) without awaiting it: with the database unreachable at that moment (a restart,
   * a failover) the rejection would be unhandled and end the process. Those two statements answer
   * "nothing recorded" instead: the job stays active until it expires (expireInSeconds), then is
   * retried — the tasks re-read what is due, so a round run twice does nothing twice.
   */
  private async execute(text: string, values: unknown[]): Promise<{ rows: unknown[] }> {
    try {
      return await this.openPool().query(text, values);
    } catch (error) {
      if (!RECORDS_A_JOB_END.test(text) || !isDatabaseUnreachable(error)) throw error;
      this.logger.warn({ msg: 'job end not recorded: database unreachable; the job is retried once it expires', err: { message: (error as Error).message } });
      return { rows: [{ count: '0' }] };
    }
  }

  /** The queue's own small pool (its workers poll; they never hold a request's connection). */
  private openPool(): pg.Pool {
    if (!this.pool) {
      this.pool = new pg.Pool({ connectionString: this.options.url, application_name: 'cellule-jobs', max: 4 });
      this.pool.on('error', (error) => this.logger.error({ msg: 'job queue connection error', err: { message: error.message } }));
    }
    return this.pool;
  }

  private get started(): boolean {
    return this.starting !== undefined;
  }

  /** Starts pg-boss: its clock (cron), its maintenance, and a worker per task and per one-off queue. */
  async start(): Promise<void> {
    this.starting ??= (async () => {
      await this.checkQueues();
      const boss = this.producer();
      // The schedules first, so that pg-boss's clock finds them on its first tick, at start.
      const names = new Set(this.tasks.map((t) => t.name));
      for (const schedule of await boss.getSchedules()) {
        // A task this version no longer has: its schedule goes (else its queue fills with nobody to run it).
        if (!names.has(schedule.name)) await boss.unschedule(schedule.name);
      }
      for (const task of this.tasks) await boss.schedule(task.name, cronOf(task), {}, { tz: 'UTC', ...TASK_RETRY, expireInSeconds: 15 * 60 });
      await boss.start();
      for (const task of this.tasks) {
        await boss.work(task.name, { batchSize: 1, includeMetadata: true }, async ([job]) =>
          this.guard(task.name, job, async () => ({ count: (await this.round(task)) ?? null })),
        );
      }
      for (const worker of this.workers) await this.listen(boss, worker);
      this.logger.log({ msg: 'jobs started', tasks: this.tasks.map((t) => `${t.name} (${cronOf(t)})`), queues: this.workers.map((w) => w.name) });
    })();
    await this.starting;
  }

  private async listen(boss: PgBoss, worker: Worker): Promise<void> {
    if (!this.started) return;
    await boss.work(worker.name, { batchSize: 1, includeMetadata: true }, async ([job]) =>
      this.guard(worker.name, job, async () => {
        try {
          const result = await asSystem(`job:${worker.name}`, () =>
            worker.handler({ id: job.id, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit }),
          );
          this.options.observe?.(worker.name, 'done');
          return result;
        } catch (error) {
          this.options.observe?.(worker.name, 'failed');
          throw error;
        }
      }),
    );
  }

  /** A job's run as pg-boss sees it: a failure is logged and stored (pgboss.job.output) as its message only, never a driver error's parameters. */
  private async guard<T>(queue: string, job: { id: string; retryCount: number; retryLimit: number }, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const message = (error as Error).message;
      const retrying = job.retryCount < job.retryLimit;
      this.logger[retrying ? 'warn' : 'error']({
        msg: retrying ? 'job failed, to be retried' : 'job failed, no retry left',
        queue,
        job: job.id,
        attempt: job.retryCount + 1,
        err: { message },
      });
      throw new Error(message);
    }
  }

  /**
   * Graceful stop: no new job is fetched, the rounds and jobs in flight finish (at most
   * stopTimeoutMs; past it they are failed, to be retried by a replica or the next start), and
   * the pool closes.
   */
  stop(): Promise<void> {
    return (this.stopping ??= this.halt());
  }

  private async halt(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    await this.starting?.catch(() => undefined);
    await boss.stop({ graceful: true, wait: true, close: true, timeout: Math.max(1000, this.options.stopTimeoutMs ?? 30_000) });
    // pg-boss lets go of its stopped workers on a loop that checks every second (manager.offWork):
    // the stop ends after it, so that nothing of the queue still runs once it has returned.
    if (this.started) await new Promise((resolve) => setTimeout(resolve, 1100));
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
