import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Provider } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { buildApp, type BuiltApp } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { TestClock } from './clock.js';
import { createDataSource } from '../../src/database/data-source.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  config: AppConfig;
  /** supertest against the in-process server. */
  http: () => TestAgent;
  /** Every line the server logged (JSON), to check that nothing protected was written. */
  logs: string[];
  printed: string[];
  /** The job queue; not started in tests (CELLULE_JOBS=off) — run one round of a task with `runOnce`. */
  scheduler: BuiltApp['scheduler'];
  /** The metrics port (CELLULE_METRICS_PORT; 0 picks a free one), or null when not served. */
  metricsPort: number | null;
  /** The server's clock: `advanceDays()` moves the time of the domain (consent expiry, windows, retention…). */
  clock: TestClock;
  /** The server's graceful stop, as on SIGTERM (src/app.ts BuiltApp.close), keeping the database; `close()` after it is still needed. */
  shutdown(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra providers for the app (e.g. a `TransitionHooks` that blocks a transition before commit). */
  overrideProviders?: Provider[];
  /** The admin URL of a cluster of the test's own (test/support/cluster.js), instead of the run's shared one. */
  server?: string;
  /**
   * A second replica: another full application (its own pool, job queue, metrics) on the same
   * database and data folder (keyring) as this one; its close() leaves both to their first app.
   */
  replicaOf?: TestApp;
}

/**
 * The real application (every module, guard, pipe and filter) on a fresh database of the
 * embedded PostgreSQL, with a keyring generated into a temporary data folder.
 */
export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const replicaOf = options.replicaOf;
  const db = replicaOf ? replicaOf.db : await createTestDatabase(options.server);
  const dataDir = replicaOf ? replicaOf.config.dataDir : mkdtempSync(path.join(os.tmpdir(), 'cellule-test-data-'));
  const config = loadConfig({ NODE_ENV: 'test', CELLULE_DATA_DIR: dataDir, DATABASE_URL: db.url, LOG_LEVEL: 'info', CELLULE_JOBS: 'off', ...env });
  const logs: string[] = [];
  const printed: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const clock = new TestClock();
  // Cheap argon2id in tests only (buildApp ignores it when NODE_ENV=production).
  // The server connects as the application role (not the superuser of db.dataSource): row-level security applies to it.
  const appDataSource = createDataSource(db.appUrl, { poolSize: 10 });
  await appDataSource.initialize();
  const built = await buildApp({
    config,
    dataSource: appDataSource,
    logger,
    hashCost: { opslimit: 1, memlimit: 8 * 1024 * 1024 },
    print: (line) => printed.push(line),
    clock,
    variant: options.overrideProviders ? { providers: options.overrideProviders } : undefined,
  });
  const server = built.app.getHttpServer();
  return {
    app: built.app,
    db,
    config,
    http: () => request(server),
    logs,
    printed,
    scheduler: built.scheduler,
    metricsPort: built.metricsPort,
    clock,
    shutdown: () => built.close(),
    async close() {
      await built.close();
      await appDataSource.destroy();
      if (replicaOf) return;
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
