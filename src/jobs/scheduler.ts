import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { execute, select } from '../database/sql.js';
import { asSystem } from '../database/territory-scope.js';

export interface ScheduledTask {
  /** Stable name; also derives the advisory lock that keeps one replica at a time on it. */
  name: string;
  everyMs: number;
  run(): Promise<number | void>;
}

export function lockKey(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/**
 * Periodic work that must be safe with several replicas: every task runs under a PostgreSQL
 * session advisory lock (`pg_try_advisory_lock`), so one replica at a time does it and the others
 * skip that round. Nothing is kept in memory between rounds: what is due is read from the
 * database each time, so a crash loses nothing and a restart resumes.
 */
export class Scheduler {
  private readonly logger = new Logger('jobs');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: ScheduledTask[],
  ) {}

  start(): void {
    for (const task of this.tasks) this.plan(task, Math.min(task.everyMs, 5_000));
  }

  private plan(task: ScheduledTask, delay: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const round = this.runOnce(task.name).finally(() => {
        this.running.delete(round);
        this.plan(task, task.everyMs);
      });
      this.running.add(round);
    }, delay);
    timer.unref();
    this.timers.set(task.name, timer);
  }

  /** Runs a task now if no replica holds it; returns what it reported, or null when skipped. */
  async runOnce(name: string): Promise<number | void | null> {
    const task = this.tasks.find((t) => t.name === name);
    if (!task) throw new Error(`unknown task ${name}`);
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [{ locked }] = await select<{ locked: boolean }>(runner, 'SELECT pg_try_advisory_lock($1) AS locked', [lockKey(task.name)]);
      if (!locked) return null;
      try {
        // Jobs work across territories: the explicit wide scope, named after the task (their transitions are audited as the system).
        const done = await asSystem(`job:${task.name}`, () => task.run());
        if (typeof done === 'number' && done > 0) this.logger.log({ msg: 'task done', task: task.name, count: done });
        return done;
      } finally {
        await execute(runner, 'SELECT pg_advisory_unlock($1)', [lockKey(task.name)]);
      }
    } catch (error) {
      this.logger.error({ msg: 'task failed', task: task.name, err: { message: (error as Error).message } });
      return null;
    } finally {
      await runner.release();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    await Promise.allSettled([...this.running]);
  }
}
