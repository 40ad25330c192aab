/**
 * `npm run restore -- <backup folder> [--keyring-from <folder>]`: loads a backup made by
 * `npm run backup` into an empty database, puts its keyring in place when there is none, then —
 * before anything can serve the database — applies again every erasure of the erasure journal
 * (kept with the keyring, so more recent than the backup): a situation shredded after the backup
 * stays shredded.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { keyringPathOf } from '../composition.js';
import { loadConfig, type AppConfig } from '../config/config.js';
import { createDataSource } from '../database/data-source.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import { loadTable, readTableRows } from '../database/logical-backup.js';
import type { ErasureReplayReport } from '../jobs/erasures.js';
import { defaultErasureJournalPath, ErasureJournal } from '../vault/erasure-journal.js';
import { parseKeyring } from '../vault/keyring.js';
import { Vault } from '../vault/vault.js';
import { VaultError } from '../vault/vault-error.js';
import { BACKUP_FORMAT, codeMigrations, type BackupManifest } from './backup.js';
import { cliContextFor, isMain, runCommand, UsageError } from './context.js';

export const RESTORE_USAGE = `Usage: restore <backup folder> [--keyring-from <folder>] [--journal-lost]

Loads a backup of \`npm run backup\` into an EMPTY database migrated by this version (the same
migrations as the backup: restore with the version that made it, then upgrade), then applies
again every erasure of the erasure journal (CELLULE_ERASURE_JOURNAL, beside the keyring by
default) that the backup predates, before the command returns: start the server only after it.

  DATABASE_URL        a superuser of the target database (the load switches triggers off for its
                      own session); absent: the embedded PostgreSQL of CELLULE_DATA_DIR
  CELLULE_KEYRING     where the keyring goes: when no file is there, the backup's keyring part
                      (<backup>/keyring, or --keyring-from) is copied there; when one is, it
                      must hold every key-encryption key of the backup
  CELLULE_AUDIT_KEY   likewise for the audit signing key, when the backup holds one
  CELLULE_ERASURE_JOURNAL   the erasure journal kept with the keyring (beside it by default): it
                      must be there, and continue the copy the backup was made with

Everything is checked before anything is written (the keyring opens the backup's data keys, the
journal is there and is this deployment's): a refusal says why and leaves the target untouched.
  --journal-lost      the journal is lost for good: restore with the backup's copy of it; the
                      erasures made after the backup cannot be applied again (say so to the DPO)`;

export interface RestoreReport {
  manifest: BackupManifest;
  rows: number;
  keyringCopied: boolean;
  /** The journal was lost (--journal-lost): the backup's copy was put in its place. */
  journalFromBackup: boolean;
  replay: ErasureReplayReport;
}

export interface RestoreOptions {
  keyringFrom?: string;
  /** The erasure journal is lost: restore with the backup's copy (erasures since cannot be applied again). */
  journalLost?: boolean;
  log?: (line: string) => void;
}

/** Where each part comes from and goes, once checked. */
interface RestorePlan {
  keyringFrom: string;
  keyringPath: string;
  /** The backup's keyring part goes to keyringPath (none there). */
  copyKeyring: boolean;
  journalPath: string;
  /** The backup's copy of the journal goes to journalPath (--journal-lost). */
  copyJournal: boolean;
}

const NOTHING_RESTORED = 'Nothing was restored.';

/**
 * Everything a restore needs, checked before anything is written — the target database, the
 * keyring file and the journal are left as they were on a refusal (UsageError, naming the file
 * and what to do):
 * - the schema version is this code's;
 * - a keyring opens the backup: the one at CELLULE_KEYRING, or else the backup's keyring part
 *   (which must be this backup's: its SHA-256 is in the manifest); it must hold every KEK of the
 *   backup, each the same key (the check values stored in the backup's `vault_keys`);
 * - the erasure journal is there (without it, situations erased after the backup would come back
 *   unnoticed) and continues the copy the backup was made with (a journal only grows: an older
 *   copy, or another deployment's, does not) — unless the operator says it is lost for good.
 */
export async function checkRestore(config: AppConfig, folder: string, manifest: BackupManifest, options: RestoreOptions = {}): Promise<RestorePlan> {
  const expected = codeMigrations();
  if (JSON.stringify(manifest.migrations) !== JSON.stringify(expected)) {
    throw new UsageError(
      `the backup was made at schema version ${manifest.migrations.at(-1) ?? 'none'}, this version is at ${expected.at(-1)}: restore with the version that made the backup, then upgrade. ${NOTHING_RESTORED}`,
    );
  }
  const keyringFrom = path.resolve(options.keyringFrom ?? path.join(folder, 'keyring'));
  const keyringPath = keyringPathOf(config);
  const part = path.join(keyringFrom, 'keyring.json');
  const partThere = existsSync(part);
  if (partThere) {
    const digest = createHash('sha256').update(readFileSync(part)).digest('hex');
    if (digest !== manifest.keyringSha256) {
      throw new UsageError(
        `${part} is not the keyring part of backup ${manifest.id} (another backup's, or changed since): give --keyring-from the folder of this backup's keyring part. ${NOTHING_RESTORED}`,
      );
    }
  }
  const copyKeyring = !existsSync(keyringPath);
  if (copyKeyring && !partThere) {
    throw new UsageError(
      `there is no keyring at ${keyringPath} (CELLULE_KEYRING), and the backup's keyring part is not in ${keyringFrom}: without it the backup's protected data cannot be opened. Give --keyring-from the folder of the keyring part (kept apart from the database part), or put the keyring that opens this backup at ${keyringPath}. ${NOTHING_RESTORED}`,
    );
  }
  const source = copyKeyring ? part : keyringPath;
  const keyring = parseKeyring(readFileSync(source, 'utf8'), source);
  const missing = manifest.kekIds.filter((id) => !keyring.keks.has(id));
  if (missing.length) {
    throw new UsageError(
      `the keyring ${source} lacks ${missing.join(', ')}, used by the backup: put the backup's keyring (${part}) there, or add those keys to it. ${NOTHING_RESTORED}`,
    );
  }
  const stored = (await readTableRows(path.join(folder, 'database'), 'vault_keys')).map((r) => ({
    kekId: String(r.kek_id),
    checkValue: Buffer.from(String(r.check_value).replace(/^\\x/, ''), 'hex'),
  }));
  try {
    (await Vault.create(keyring)).verifyCheckValues(stored);
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    throw new UsageError(
      `the keyring ${source} does not open this backup: it holds another key under an id the backup uses (${error.code}: check value mismatch). Put the keyring that made the backup there (its keyring part, ${part}). ${NOTHING_RESTORED}`,
    );
  }
  if (manifest.auditKey && config.auditKeyFile && !existsSync(config.auditKeyFile) && !existsSync(path.join(keyringFrom, 'audit-signing.key'))) {
    throw new UsageError(
      `there is no audit signing key at ${config.auditKeyFile} (CELLULE_AUDIT_KEY), and the backup's is not in ${keyringFrom}: give --keyring-from the folder of the keyring part. ${NOTHING_RESTORED}`,
    );
  }

  const journalPath = config.erasureJournal ?? defaultErasureJournalPath(keyringPath);
  const copy = path.join(keyringFrom, 'erasure-journal.jsonl');
  const copied = existsSync(copy) ? new ErasureJournal(copy).entries() : [];
  if (!existsSync(journalPath)) {
    if (options.journalLost) return { keyringFrom, keyringPath, copyKeyring, journalPath, copyJournal: true };
    throw new UsageError(
      `the erasure journal ${journalPath} (CELLULE_ERASURE_JOURNAL) is missing: without it, situations erased after this backup would come back. Put the journal kept with the keyring there (the current one, never an older copy) and restore again; if it is lost for good, --journal-lost restores with the backup's copy (${copied.length} erasure(s)) and the erasures made since cannot be applied again. ${NOTHING_RESTORED}`,
    );
  }
  let current;
  try {
    current = new ErasureJournal(journalPath).entries();
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. ${NOTHING_RESTORED}`);
  }
  const continues = current.length >= manifest.journalEntries && copied.every((entry, i) => JSON.stringify(entry) === JSON.stringify(current[i]));
  if (!continues) {
    throw new UsageError(
      `the erasure journal ${journalPath} does not continue the one backup ${manifest.id} was made with (it held ${manifest.journalEntries} erasure(s) then, this one ${current.length}${current.length >= manifest.journalEntries ? ' but not beginning with the same ones' : ''}): an older copy, or another deployment's journal. Put this deployment's current journal there. ${NOTHING_RESTORED}`,
    );
  }
  return { keyringFrom, keyringPath, copyKeyring, journalPath, copyJournal: false };
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

/**
 * Checked first (checkRestore: nothing is written on a refusal), then the database loaded in one
 * transaction, then the keyring (and journal, when lost) put in place, then the erasures again —
 * on the database of `databaseUrl`.
 */
export async function restore(config: AppConfig, databaseUrl: string, folder: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const log = options.log ?? (() => undefined);
  const manifest = readManifest(folder);
  const plan = await checkRestore(config, folder, manifest, options);
  const { rows } = await loadBackup(databaseUrl, folder);
  const keyringCopied = placeKeyring(manifest, plan.keyringFrom, plan.keyringPath, config.auditKeyFile);
  if (plan.copyJournal) {
    const copy = path.join(plan.keyringFrom, 'erasure-journal.jsonl');
    if (existsSync(copy)) copyFileSync(copy, plan.journalPath);
    log(`the erasure journal was lost: the backup's copy is now ${plan.journalPath}; erasures made after the backup cannot be applied again`);
  }
  const ds = createDataSource(databaseUrl, { poolSize: 2, applicationName: 'cellule-restore-erasures' });
  await ds.initialize();
  try {
    const ctx = await cliContextFor(config, ds, log);
    try {
      const replay = await ctx.replayErasures();
      return { manifest, rows, keyringCopied, journalFromBackup: plan.copyJournal, replay };
    } finally {
      await ctx.close();
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}

export function parseRestoreArgs(args: string[]): { folder: string; keyringFrom?: string; journalLost: boolean } {
  const positional: string[] = [];
  let keyringFrom: string | undefined;
  let journalLost = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--keyring-from' && args[i + 1]) keyringFrom = args[++i];
    else if (args[i] === '--journal-lost') journalLost = true;
    else if (args[i].startsWith('-')) throw new UsageError(`unknown option ${JSON.stringify(args[i])}`);
    else positional.push(args[i]);
  }
  if (positional.length !== 1) throw new UsageError('give the backup folder');
  return { folder: path.resolve(positional[0]), keyringFrom, journalLost };
}

export async function runRestore(args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<RestoreReport> {
  const { folder, keyringFrom, journalLost } = parseRestoreArgs(args);
  const config = loadConfig(env);
  let embedded: EmbeddedServer | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), preferredPort: config.embeddedPgPort, persistent: true });
    await ensureDatabase(embedded.adminUrl, 'cellule');
    url = embedded.urlFor('cellule');
  }
  try {
    const report = await restore(config, url, folder, { keyringFrom, journalLost, log: out });
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
