import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import type { HashCost } from './auth/password-hasher.js';
import type { Clock } from './common/clock.js';
import { createRootLogger, PinoNestLogger, requestLogger } from './common/logger.js';
import { createValidationPipe } from './common/validation.js';
import { composeCore, type CoreOptions } from './composition.js';
import { replayErasures } from './jobs/erasures.js';
import { WorkflowService } from './cases/workflow.service.js';
import type { AppConfig } from './config/config.js';
import { JobQueue } from './jobs/job-queue.js';
import { Lifecycle } from './lifecycle.js';
import { openApiDocument } from './openapi.js';
import { Workspace } from './web/workspace.js';

export interface BuildOptions {
  config: AppConfig;
  dataSource: DataSource;
  logger?: Logger;
  /** Cheaper argon2id for tests only; production always uses the OWASP settings. */
  hashCost?: HashCost;
  /** A URL as the schema's owner, when this process migrated (src/database/database.ts). */
  ownerUrl?: string;
  /** Where the first-start admin password is printed. */
  print?: (line: string) => void;
  /** The time of the domain (default: the system clock); tests pass one they can move. */
  clock?: Clock;
  /** Benchmark and test variants (see CoreOptions.variant); never set by src/main.ts. */
  variant?: CoreOptions['variant'];
}

export interface BuiltApp {
  app: NestFastifyApplication;
  /** The job queue: the scheduled tasks (started only when `config.jobs`; `runOnce` runs one round now) and one-off jobs (src/jobs/job-queue.ts). */
  scheduler: JobQueue;
  /** The port the metrics listen on (config.metrics), or null when they are not served. */
  metricsPort: number | null;
  /**
   * Graceful stop: readiness answers 503 (config.shutdownDelayMs first, for load balancers), the
   * server stops accepting connections, in-flight requests finish (at most config.shutdownTimeoutMs),
   * while the job queue stops taking jobs and lets its jobs in flight finish (the same bound); then
   * the sealer and the connections stop.
   */
  close(): Promise<void>;
}

/** Trust the first `n` proxies in front of the server (X-Forwarded-For, from the right). */
const hops = (n: number) => (_address: string, hop: number) => hop < n;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id of a request (access log, logs, X-Request-Id answer): a client's X-Request-Id is kept
 * only when it is a UUID (a correlation id of a calling system); anything else is replaced by a
 * generated one, so no text of the client's choosing reaches the access log.
 */
export function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && UUID.test(given) ? given.toLowerCase() : randomUUID();
}

/**
 * The HTTP application on an open, migrated database: the core (policies, keys checked against
 * the database…) from the composition root, the Nest module on it, then fastify, validation and
 * the API docs. Anything wrong stops here, before listening.
 */
export async function buildApp(options: BuildOptions): Promise<BuiltApp> {
  const { config } = options;
  const logger = options.logger ?? createRootLogger(config.logLevel);
  const core = await composeCore({ ...options, logger, keyring: 'server' });
  const adapter = new FastifyAdapter({
    // The request log never writes a query string (codes, states, invitations): src/common/logger.ts.
    loggerInstance: requestLogger(logger),
    bodyLimit: config.bodyLimitBytes,
    // The source address of the login limits: the socket's, or behind reverse proxies the one
    // they pass on (CELLULE_TRUST_PROXY), never a header a client could set itself.
    trustProxy: typeof config.trustProxy === 'number' ? hops(config.trustProxy) : config.trustProxy,
    genReqId: requestIdOf,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(core), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  await app.register(helmet, { contentSecurityPolicy: false });
  // Documents of a situation (issue 12) come as multipart forms, read as a stream (never
  // buffered whole): the route sets the limits of its one file (src/cases/documents/).
  await app.register(multipart, { throwFileSizeLimit: true, limits: { files: 1, fields: 4, fieldSize: 256, parts: 5 } });
  const fastify = app.getHttpAdapter().getInstance();
  // Requests per client address and minute, announced on every answer (RateLimit-Limit,
  // -Remaining, -Reset, IETF draft); beyond, 429 with Retry-After. Counted per replica. The probes
  // are never limited.
  if (config.rateLimitPerMinute !== null) {
    await app.register(rateLimit, {
      global: true,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      enableDraftSpec: true,
      allowList: (request) => request.url.startsWith('/health'),
      errorResponseBuilder: (_request, context) =>
        Object.assign(new Error('Too many requests from this address: wait before trying again'), {
          statusCode: 429,
          code: 'CELLULE_RATE_LIMITED',
          retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
        }),
    });
  }
  const lifecycle = app.get(Lifecycle);
  fastify.addHook('onResponse', async (request, reply) => {
    core.metrics.observeRequest(request.method, request.routeOptions?.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  fastify.addHook('onSend', async (request, reply) => {
    // Answers carry tokens, secrets and case content: no browser or proxy keeps them (a route
    // that sets its own policy, such as static files, keeps it).
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    // The request's id, to quote to support; the same id is in the access log.
    void reply.header('x-request-id', String(request.id));
    // Draining: the connection of a request in flight ends with its answer (a kept-alive one
    // would otherwise hold the shutdown until its idle timeout, or until shutdownTimeoutMs).
    if (lifecycle.draining) void reply.header('connection', 'close');
  });
  fastify.addHook('onResponse', async () => {
    // A connection that went idle after close() began is closed now, not at its keep-alive timeout.
    if (lifecycle.draining) fastify.server.closeIdleConnections();
  });
  // The web workspace under /app, with its own Content-Security-Policy (src/web/workspace.ts).
  const workspace = new Workspace(config.web);
  workspace.register(app.getHttpAdapter().getInstance());
  if (!workspace.built) logger.warn(`The web workspace is not built (${config.web.distDir}): /app answers 503 until npm run build`);
  app.useGlobalPipes(createValidationPipe());
  // The API's map is not published by a production server unless asked for (CELLULE_API_DOCS=on).
  if (config.apiDocs) SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });

  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // Before anything is served: erasures of the journal the database does not show (a restored backup) are applied again.
  await replayErasures({
    dataSource: core.dataSource,
    journal: core.erasureJournal,
    workflow: app.get(WorkflowService),
    vaultService: core.vaultService,
    audit: core.audit,
    sealer: core.auditSealer,
    log: { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  await app.get(AuthService).bootstrapAdmin(options.print ?? ((line) => process.stdout.write(line + '\n')));
  // With the job queue running, the daily purge is its `audit-purge` task (once across replicas).
  core.auditSealer.start({ purge: !config.jobs });
  const scheduler = app.get(JobQueue);
  // Every queue the tasks use exists (made by the migrations), started or not: a task added without its queue fails here.
  await scheduler.checkQueues();
  if (config.jobs) await scheduler.start();
  let metricsServer: { port: number; close(): Promise<void> } | undefined;
  if (config.metrics) {
    try {
      metricsServer = await core.metrics.listen(config.metrics.host, config.metrics.port);
    } catch (error) {
      logger.warn(`Metrics not served on ${config.metrics.host}:${config.metrics.port}: ${(error as Error).message}`);
    }
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    scheduler,
    metricsPort: metricsServer?.port ?? null,
    close() {
      closing ??= (async () => {
        lifecycle.drain();
        // The job queue takes no new job from now on; its jobs in flight finish meanwhile (at most
        // shutdownTimeoutMs, as the requests), so the whole stop stays within one timeout.
        const jobsStopped = scheduler.stop();
        if (config.shutdownDelayMs) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
        // fastify stops accepting connections, answers 503 on kept-alive ones, and waits for the
        // requests in flight; past the timeout the process stops anyway.
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, config.shutdownTimeoutMs)));
        await Promise.race([app.close(), timedOut]);
        clearTimeout(timer);
        await jobsStopped;
        await core.auditSealer.stop();
        await metricsServer?.close();
        await core.hasher.close();
      })();
      return closing;
    },
  };
}
