import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { loadPolicy } from './access/policy.loader.js';
import { PolicyService } from './access/policy.service.js';
import { AppModule } from './app.module.js';
import { createAuditSealer } from './audit/audit-setup.js';
import { AuthService } from './auth/auth.service.js';
import { PasswordHasher, type HashCost } from './auth/password-hasher.js';
import { resolveTokenSecret } from './auth/token-secret.js';
import { TokenSigner } from './auth/tokens.js';
import { createRootLogger, PinoNestLogger } from './common/logger.js';
import { createValidationPipe } from './common/validation.js';
import { WorkflowService } from './cases/workflow.service.js';
import { lifecycleTasks } from './jobs/lifecycle-jobs.js';
import { Scheduler } from './jobs/scheduler.js';
import type { AppConfig } from './config/config.js';
import { loadKeyring } from './vault/keyring.js';
import { Vault } from './vault/vault.js';
import { VaultService } from './vault/vault.service.js';
import { Workspace } from './web/workspace.js';
import { openApiDocument } from './openapi.js';

export interface BuildOptions {
  config: AppConfig;
  dataSource: DataSource;
  logger?: Logger;
  /** Cheaper argon2id for tests only; production always uses the OWASP settings. */
  hashCost?: HashCost;
  /** Where the first-start admin password is printed. */
  print?: (line: string) => void;
  /**
   * TEST ONLY (never set by main.ts or any production path): extra providers registered in the
   * global core module, e.g. a `TransitionHooks` that stops a transition before it commits.
   */
  overrideProviders?: Provider[];
}

export interface BuiltApp {
  app: NestFastifyApplication;
  /** The lifecycle's scheduled tasks (started only when `config.jobs`); `runOnce` runs one now. */
  scheduler: Scheduler;
  close(): Promise<void>;
}

/**
 * Builds the HTTP application on an open, migrated database: policies validated, keys checked
 * against the database, bootstrap admin created. Anything wrong stops here, before listening.
 */
export async function buildApp(options: BuildOptions): Promise<BuiltApp> {
  const { config, dataSource } = options;
  const logger = options.logger ?? createRootLogger(config.logLevel);
  const log = (line: string) => logger.info(line);
  const policy = new PolicyService(loadPolicy(config.policiesDir));
  const keyring = loadKeyring({
    keyringPath: config.keyringPath,
    dataDir: config.dataDir,
    production: config.nodeEnv === 'production',
    log: (line: string) => logger.warn(line),
  });
  const vault = await Vault.create(keyring);
  const vaultService = new VaultService(vault, dataSource);
  const { registered } = await vaultService.verifyKeys();
  const auditSealer = await createAuditSealer({
    dataSource,
    keyring,
    policy,
    production: config.nodeEnv === 'production',
    registeredKeks: registered,
    log: { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  const hasher = new PasswordHasher(config.nodeEnv === 'production' ? undefined : options.hashCost);
  const tokens = new TokenSigner(resolveTokenSecret(config, log));

  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, dataSource, policy, vault, vaultService, hasher, tokens, auditSealer, overrideProviders: options.overrideProviders }),
    adapter,
    {
      logger: new PinoNestLogger(logger),
      bufferLogs: false,
    },
  );
  await app.register(helmet, { contentSecurityPolicy: false });
  // The web workspace under /app, with its own Content-Security-Policy (src/web/workspace.ts).
  const workspace = new Workspace(config.web);
  workspace.register(app.getHttpAdapter().getInstance());
  if (!workspace.built) logger.warn(`The web workspace is not built (${config.web.distDir}): /app answers 503 until npm run build`);
  app.useGlobalPipes(createValidationPipe());

  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await app.get(AuthService).bootstrapAdmin(options.print ?? ((line) => process.stdout.write(line + '\n')));
  auditSealer.start();
  const scheduler = new Scheduler(dataSource, lifecycleTasks(dataSource, app.get(WorkflowService), policy));
  if (config.jobs) scheduler.start();
  return {
    app,
    scheduler,
    async close() {
      await scheduler.stop();
      await auditSealer.stop();
      await app.close();
      await hasher.close();
    },
  };
}
