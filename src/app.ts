import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import type { HashCost } from './auth/password-hasher.js';
import type { Clock } from './common/clock.js';
import { createRootLogger, PinoNestLogger } from './common/logger.js';
import { createValidationPipe } from './common/validation.js';
import { composeCore, type CoreOptions } from './composition.js';
import type { AppConfig } from './config/config.js';
import { Scheduler } from './jobs/scheduler.js';
import { openApiDocument } from './openapi.js';
import { Workspace } from './web/workspace.js';

export interface BuildOptions {
  config: AppConfig;
  dataSource: DataSource;
  logger?: Logger;
  /** Cheaper argon2id for tests only; production always uses the OWASP settings. */
  hashCost?: HashCost;
  /** Where the first-start admin password is printed. */
  print?: (line: string) => void;
  /** The time of the domain (default: the system clock); tests pass one they can move. */
  clock?: Clock;
  /** Benchmark and test variants (see CoreOptions.variant); never set by src/main.ts. */
  variant?: CoreOptions['variant'];
}

export interface BuiltApp {
  app: NestFastifyApplication;
  /** The lifecycle's scheduled tasks (started only when `config.jobs`); `runOnce` runs one now. */
  scheduler: Scheduler;
  close(): Promise<void>;
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
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(core), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  await app.register(helmet, { contentSecurityPolicy: false });
  // The web workspace under /app, with its own Content-Security-Policy (src/web/workspace.ts).
  const workspace = new Workspace(config.web);
  workspace.register(app.getHttpAdapter().getInstance());
  if (!workspace.built) logger.warn(`The web workspace is not built (${config.web.distDir}): /app answers 503 until npm run build`);
  app.useGlobalPipes(createValidationPipe());
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });

  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await app.get(AuthService).bootstrapAdmin(options.print ?? ((line) => process.stdout.write(line + '\n')));
  core.auditSealer.start();
  const scheduler = app.get(Scheduler);
  if (config.jobs) scheduler.start();
  return {
    app,
    scheduler,
    async close() {
      await scheduler.stop();
      await core.auditSealer.stop();
      await app.close();
      await core.hasher.close();
    },
  };
}
