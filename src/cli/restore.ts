/**
 * `npm run restore -- <backup folder> [--keyring-from <folder>]`: loads a backup made by
 * `npm run backup` into an empty database, puts its keyring in place when there is none, then —
 * before anything can serve the database — applies again every erasure of the erasure journal
 * (kept with the keyring, so more recent than the backup): a situation shredded after the backup
 * stays shredded.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { keyringPathOf } from '../composition.js';
import { loadConfig, type AppConfig } from '../config/config.js';
import { createDataSource } from '../database/data-source.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import { loadTable } from '../database/logical-backup.js';
import type { ErasureReplayReport } from '../jobs/erasures.js';
import { parseKeyring } from '../vault/keyring.js';
import { BACKUP_FORMAT, codeMigrations, type BackupManifest } from './backup.js';
import { cliContextFor, isMain, runCommand, UsageError } from './context.js';

export const RESTORE_USAGE = `Usage: restore <backup folder> [--keyring-from <folder>]

Loads a backup of \`npm run backup\` into an EMPTY database migrated by this version (the same
migrations as the backup: restore with the version that made it, then upgrade), then applies
again every erasure of the erasure journal (CELLULE_ERASURE_JOURNAL, beside the keyring by
default) that the backup predates, before the command returns: start the server only after it.

  DATABASE_URL        a superuser of the target database (the load switches triggers off for its
                      own session); absent: the embedded PostgreSQL of CELLULE_DATA_DIR
  CELLULE_KEYRING     where the keyring goes: when no file is there, the backup's keyring part
                      (<backup>/keyring, or --keyring-from) is copied there; when one is, it
                      must hold every key-encryption key of the backup
  CELLULE_AUDIT_KEY   likewise for the audit signing key, when the backup holds one`;

export interface RestoreReport {
  manifest: BackupManifest;
  rows: number;
  keyringCopied: boolean;
  replay: ErasureReplayReport;
}

export function readManifest(folder: string): BackupManifest {
  const file = path.join(folder, 'manifest.json');
  if (!existsSync(file)) throw new UsageError(`${folder} holds no manifest.json: not a Cellule backup`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new UsageError(`${file} is not a Cellule backup manifest`);
  return manifest;
}

/**
 * The database part alone: migrates the target, checks it holds no data, loads every table in one
 * transaction. No erasure is applied here: `restore` does it next, and a server started on the
 * result does it before listening (src/app.ts).
 */
export async function loadBackup(databaseUrl: string, folder: string): Promise<{ manifest: BackupManifest; rows: number }> {
  const manifest = readManifest(folder);
  const expected = codeMigrations();
  if (JSON.stringify(manifest.migrations) !== JSON.stringify(expected)) {
    throw new UsageError(
      `the backup was made at schema version ${manifest.migrations.at(-1) ?? 'none'}, this version is at ${expected.at(-1)}: restore with the version that made the backup, then upgrade`,
    );
  }
  const ds = createDataSource(databaseUrl, { poolSize: 1, applicationName: 'cellule-restore-migrate' });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'cellule-restore' });
  await client.connect();
  let rows = 0;
  try {
    const [{ superuser }] = (await client.query<{ superuser: boolean }>(`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`)).rows;
    if (!superuser) throw new UsageError('restore loads with the triggers off for its session: DATABASE_URL must be a superuser of the target database');
    const [{ used }] = (
      await client.query<{ used: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM cases) OR EXISTS (SELECT 1 FROM audit_events) OR EXISTS (SELECT 1 FROM vault_keys) AS used`,
      )
    ).rows;
    if (used) throw new UsageError('the target database already holds data: restore into a new, empty database');
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for (const table of Object.keys(manifest.tables)) {
      if (table === 'schema_migrations') continue;
      const loaded = await loadTable(client, table, path.join(folder, 'database'));
      if (loaded !== manifest.tables[table]) throw new Error(`table ${table}: ${loaded} rows read, the manifest says ${manifest.tables[table]}`);
      rows += loaded;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return { manifest, rows };
}

/** Puts the backup's keyring (and audit key) in place when there is none; checks the one there otherwise. */
export function placeKeyring(manifest: BackupManifest, keyringFrom: string, keyringPath: string, auditKeyFile: string | null): boolean {
  let copied = false;
  if (!existsSync(keyringPath)) {
    copyFileSync(path.join(keyringFrom, 'keyring.json'), keyringPath);
    copied = true;
  } else {
    const keyring = parseKeyring(readFileSync(keyringPath, 'utf8'), keyringPath);
    const missing = manifest.kekIds.filter((id) => !keyring.keks.has(id));
    if (missing.length) {
      throw new UsageError(
        `the keyring ${keyringPath} lacks ${missing.join(', ')}, used by the backup: put the backup's keyring (${path.join(keyringFrom, 'keyring.json')}) there, or add those keys to it`,
      );
    }
  }
  if (auditKeyFile && manifest.auditKey && !existsSync(auditKeyFile)) copyFileSync(path.join(keyringFrom, 'audit-signing.key'), auditKeyFile);
  return copied;
}

/** Load, keyring, then the erasures again — on the database of `databaseUrl`. */
export async function restore(
  config: AppConfig,
  databaseUrl: string,
  folder: string,
  options: { keyringFrom?: string; log?: (line: string) => void } = {},
): Promise<RestoreReport> {
  const log = options.log ?? (() => undefined);
  const manifest = readManifest(folder);
  const keyringCopied = placeKeyring(manifest, path.resolve(options.keyringFrom ?? path.join(folder, 'keyring')), keyringPathOf(config), config.auditKeyFile);
  const { rows } = await loadBackup(databaseUrl, folder);
  const ds = createDataSource(databaseUrl, { poolSize: 2, applicationName: 'cellule-restore-erasures' });
  await ds.initialize();
  try {
    const ctx = await cliContextFor(config, ds, log);
    try {
      const replay = await ctx.replayErasures();
      return { manifest, rows, keyringCopied, replay };
    } finally {
      await ctx.close();
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}

export function parseRestoreArgs(args: string[]): { folder: string; keyringFrom?: string } {
  const positional: string[] = [];
  let keyringFrom: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--keyring-from' && args[i + 1]) keyringFrom = args[++i];
    else if (args[i].startsWith('-')) throw new UsageError(`unknown option ${JSON.stringify(args[i])}`);
    else positional.push(args[i]);
  }
  if (positional.length !== 1) throw new UsageError('give the backup folder');
  return { folder: path.resolve(positional[0]), keyringFrom };
}

export async function runRestore(args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<RestoreReport> {
  const { folder, keyringFrom } = parseRestoreArgs(args);
  const config = loadConfig(env);
  let embedded: EmbeddedServer | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), preferredPort: config.embeddedPgPort, persistent: true });
    await ensureDatabase(embedded.adminUrl, 'cellule');
    url = embedded.urlFor('cellule');
  }
  try {
    const report = await restore(config, url, folder, { keyringFrom, log: out });
    out(
      `restored backup ${report.manifest.id} of ${report.manifest.createdAt}: ${report.rows} rows${report.keyringCopied ? '; its keyring put in place' : ''}`,
    );
    out(
      `erasures applied again: ${report.replay.casesErased.length} situation(s)${report.replay.auditEntriesPurged ? `, ${report.replay.auditEntriesPurged} audit entries purged` : ''}`,
    );
    return report;
  } finally {
    await embedded?.stop();
  }
}

if (isMain(import.meta.url)) {
  runCommand('restore', RESTORE_USAGE, async (args) => {
    await runRestore(args, process.env, (line) => process.stdout.write(`${line}\n`));
  });
}
