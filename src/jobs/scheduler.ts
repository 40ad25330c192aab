/**
 * A periodic task of the job queue (src/jobs/job-queue.ts): a pg-boss cron schedule and a worker
 * on the queue of the same name. Its queue is created by a migration (createJobQueues in
 * migrations/1796500000001-JobQueue.ts): the server never creates tables.
 */
export interface ScheduledTask {
  /** Stable name: the queue, the schedule and the scope's reason (`job:<name>`). */
  name: string;
  /**
   * How often, as a period: rounded to a minute schedule (pg-boss's cron has the minute as its
   * unit) — up to a minute: every minute; under an hour: every n minutes; under a day: every n
   * hours at minute 0; else daily at 00:00 UTC. `cron` overrides it.
   */
  everyMs: number;
  /** A cron expression (UTC, five fields) when the period does not say it (e.g. `30 2 * * *`). */
  cron?: string;
  /**
   * One round: reads what is due from the database (nothing is kept between rounds, so a crash
   * loses nothing) and does it, each change audited as the system. Answers how many things it
   * did. A round that throws is retried with backoff (RETRY below).
   */
  run(): Promise<number | void>;
}

/** Retries of a failed round: 3 more attempts, after 30–60 s, then 1–2 min, then 2–4 min (pg-boss's backoff: the delay doubles, plus up to as much again at random). */
export const TASK_RETRY = { retryLimit: 3, retryDelay: 30, retryBackoff: true } as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The cron expression of a task (see ScheduledTask.everyMs). */
export function cronOf(task: Pick<ScheduledTask, 'everyMs' | 'cron'>): string {
  if (task.cron) return task.cron;
  const every = task.everyMs;
  if (!(every > 0)) throw new Error('A scheduled task needs a positive period (everyMs) or a cron expression');
  if (every <= MINUTE) return '* * * * *';
  if (every < HOUR) return `*/${Math.round(every / MINUTE)} * * * *`;
  if (every < DAY) {
    const hours = Math.round(every / HOUR);
    return hours === 1 ? '0 * * * *' : `0 */${hours} * * *`;
  }
  return '0 0 * * *';
}
