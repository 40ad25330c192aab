/**
 * `npm run backup -- <folder> [--keyring-out <folder>]`: a consistent backup of the database and
 * of the keyring that opens it (issue 14, item 4). `npm run restore` (src/cli/restore.ts) loads it
 * back and applies again every erasure of the erasure journal made since.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import { keyringPathOf } from '../composition.js';
import { loadConfig } from '../config/config.js';
import { dumpTable, listTables, tablesHiddenByRowSecurity } from '../database/logical-backup.js';
import { defaultErasureJournalPath, ErasureJournal } from '../vault/erasure-journal.js';
import { parseKeyring } from '../vault/keyring.js';
import { withDatabase } from '../audit/audit-verify-cli.js';
import { isMain, runCommand, UsageError } from './context.js';

export const BACKUP_USAGE = `Usage: backup <folder> [--keyring-out <folder>]

Writes a consistent backup: the database's tables (one snapshot, gzip'd JSON lines: protected
values stay encrypted) into <folder>/database, and the keyring that opens them — with the audit
signing key (CELLULE_AUDIT_KEY) and a copy of the erasure journal — into <folder>/keyring, or
into --keyring-out: keep that part on other media than the database part. Refused when the
keyring lacks a key-encryption key the database uses. <folder> must not exist or be empty.

  DATABASE_URL      as the owner role (cellule_owner) or a superuser: row-level security hides
                    rows from anyone else (absent: the embedded PostgreSQL of CELLULE_DATA_DIR)
  CELLULE_KEYRING, CELLULE_AUDIT_KEY, CELLULE_ERASURE_JOURNAL   as for the server`;

export const BACKUP_FORMAT = 'cellule-backup-v1';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  id: string;
  createdAt: string;
  /** The schema version: every migration applied, in order. */
  migrations: string[];
  /** Rows per table. */
  tables: Record<string, number>;
  /** The key-encryption keys the database uses (all in the keyring part). */
  kekIds: string[];
  keyringSha256: string;
  auditKey: boolean;
  /** Erasures in the journal when the backup was made (a restore applies the journal's later ones again). */
  journalEntries: number;
}

export interface BackupOptions {
  databaseUrl: string;
  keyringPath: string;
  auditKeyFile?: string | null;
  journalPath: string;
  out: string;
  keyringOut?: string;
  now?: Date;
}

function emptyFolder(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length) throw new UsageError(`${dir} is not empty: give a new folder for each backup`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** The schema version the code expects: the names of its migrations, in order. */
export function codeMigrations(): string[] {
  return migrations.map((M) => new M().name!);
}

export async function backup(options: BackupOptions): Promise<BackupManifest> {
  const now = options.now ?? new Date();
  const out = path.resolve(options.out);
  const keyringOut = path.resolve(options.keyringOut ?? path.join(out, 'keyring'));
  emptyFolder(out);
  const databaseDir = path.join(out, 'database');
  mkdirSync(databaseDir, { mode: 0o700 });
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'cellule-backup' });
  await client.connect();
  const tables: Record<string, number> = {};
  let migrationNames: string[];
  let kekIds: string[];
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const hidden = await tablesHiddenByRowSecurity(client);
    if (hidden.length) {
      throw new UsageError(
        `the role of DATABASE_URL would not see every row of ${hidden.join(', ')} (row-level security): back up as the owner role or a superuser`,
      );
    }
    for (const table of await listTables(client)) tables[table] = await dumpTable(client, table, databaseDir);
    migrationNames = (await client.query<{ name: string }>(`SELECT name FROM schema_migrations ORDER BY id`)).rows.map((r) => r.name);
    kekIds = (await client.query<{ id: string }>(`SELECT kek_id AS id FROM vault_keys ORDER BY kek_id`)).rows.map((r) => r.id);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  // The keyring right after the snapshot: it must open every data key the snapshot holds.
  const keyringText = readFileSync(options.keyringPath, 'utf8');
  const keyring = parseKeyring(keyringText, options.keyringPath);
  const missing = kekIds.filter((id) => !keyring.keks.has(id));
  if (missing.length) {
    throw new Error(
      `the keyring ${options.keyringPath} lacks ${missing.join(', ')}, used by the database: a backup of both would not open (a rotation in progress? back up again)`,
    );
  }
  emptyFolder(keyringOut);
  writeFileSync(path.join(keyringOut, 'keyring.json'), keyringText, { mode: 0o600 });
  if (options.auditKeyFile) copyFileSync(options.auditKeyFile, path.join(keyringOut, 'audit-signing.key'));
  const journal = new ErasureJournal(options.journalPath);
  const journalEntries = journal.entries().length;
  if (existsSync(options.journalPath)) copyFileSync(options.journalPath, path.join(keyringOut, 'erasure-journal.jsonl'));
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    id: createHash('sha256')
      .update(`${now.toISOString()}|${JSON.stringify(tables)}|${keyringText}`)
      .digest('hex')
      .slice(0, 16),
    createdAt: now.toISOString(),
    migrations: migrationNames,
    tables,
    kekIds,
    keyringSha256: createHash('sha256').update(keyringText).digest('hex'),
    auditKey: Boolean(options.auditKeyFile),
    journalEntries,
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(path.join(out, 'manifest.json'), text, { mode: 0o600 });
  writeFileSync(path.join(keyringOut, 'manifest.json'), text, { mode: 0o600 });
  return manifest;
}

export function parseBackupArgs(args: string[]): { out: string; keyringOut?: string } {
  const positional: string[] = [];
  let keyringOut: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--keyring-out' && args[i + 1]) keyringOut = args[++i];
    else if (args[i].startsWith('-')) throw new UsageError(`unknown option ${JSON.stringify(args[i])}`);
    else positional.push(args[i]);
  }
  if (positional.length !== 1) throw new UsageError('give the backup folder');
  return { out: positional[0], keyringOut };
}

export async function runBackup(args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<BackupManifest> {
  const { out: folder, keyringOut } = parseBackupArgs(args);
  const config = loadConfig(env);
  const keyringPath = keyringPathOf(config);
  const manifest = await withDatabase(env, config.dataDir, { out, err: out }, (databaseUrl) =>
    backup({
      databaseUrl,
      keyringPath,
      auditKeyFile: config.auditKeyFile,
      journalPath: config.erasureJournal ?? defaultErasureJournalPath(keyringPath),
      out: folder,
      keyringOut,
    }),
  );
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  out(`backup ${manifest.id}: ${Object.keys(manifest.tables).length} tables, ${rows} rows in ${path.resolve(folder, 'database')}`);
  out(
    `keyring (${manifest.kekIds.length} KEK(s) in use${manifest.auditKey ? ', audit signing key' : ''}, ${manifest.journalEntries} erasure(s) journalled) in ${path.resolve(keyringOut ?? path.join(folder, 'keyring'))}: keep it apart from the database part`,
  );
  return manifest;
}

if (isMain(import.meta.url)) {
  runCommand('backup', BACKUP_USAGE, async (args) => {
    await runBackup(args, process.env, (line) => process.stdout.write(`${line}\n`));
  });
}
