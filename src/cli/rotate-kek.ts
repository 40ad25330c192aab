import { addKek } from '../vault/keyring.js';
import { isMain, openCliContext, runCommand, UsageError, vaultFor, type CliContext } from './context.js';

export const ROTATE_USAGE = `Usage: rotate-kek [--add-only | --no-add]

Rotates the key-encryption key (KEK) that wraps the data key of every case. Field ciphertexts are
not touched: only the data keys are rewrapped. Reads the same environment as the server
(DATABASE_URL or the embedded PostgreSQL of CELLULE_DATA_DIR; CELLULE_KEYRING or
<CELLULE_DATA_DIR>/keyring.json).

  (no option)   add a new KEK to the keyring file and make it current, rewrap every data key
                with it, then retire the old KEKs that no data key uses any more. Running servers
                keep the old keyring in memory: restart them afterwards (or use the two steps).
  --add-only    step 1 without downtime: only add the new KEK (current). Then restart the servers
                one by one: they read both KEKs and wrap new cases with the new one.
  --no-add      step 2: rewrap every data key with the keyring's current KEK and retire the old
                KEKs once unused (also resumes an interrupted rotation).

Retired KEKs stay in the keyring file until you remove them; keep a backup of the file.`;

export interface RotationReport {
  keyringPath: string;
  /** The KEK added to the keyring file by this run, if any. */
  added: string | null;
  currentKekId: string;
  /** Data keys rewrapped by this run. */
  rewrapped: number;
  /** Data keys of the database, and how many of them were destroyed (crypto-shredded cases). */
  dataKeys: { total: number; shredded: number };
  /** Old KEKs forgotten by the database by this run (no data key depends on them any more). */
  retired: string[];
  /** Old KEKs still needed (data keys still wrapped by them: run again). */
  stillInUse: { kekId: string; dataKeys: number }[];
}

export interface RotateOptions {
  /** Add a new KEK to the keyring file first (default true). */
  add?: boolean;
  /** Rewrap and retire (default true). */
  rewrap?: boolean;
}

/**
 * The rotation. The keyring was already checked against the database when the context was
 * opened, so a wrong keyring file is refused before anything is written to it.
 */
export async function rotateKeks(ctx: CliContext, options: RotateOptions = {}): Promise<RotationReport> {
  const add = options.add ?? true;
  const rewrap = options.rewrap ?? true;
  let { vault, vaultService } = ctx;
  let added: string | null = null;
  if (add) {
    const next = addKek(ctx.keyringPath);
    added = next.kekId;
    ctx.log(`added key-encryption key ${added} to ${ctx.keyringPath} (now current)`);
    // Registers the new KEK's check value in the database.
    ({ vault, vaultService } = await vaultFor(next.keyring, ctx.dataSource));
  }
  const currentKekId = vault.currentKekId;
  let rewrapped = 0;
  const retired: string[] = [];
  const stillInUse: RotationReport['stillInUse'] = [];
  if (rewrap) {
    rewrapped = await vaultService.rotateKek(currentKekId);
    const old: { kek_id: string; n: number }[] = await ctx.dataSource.query(
      `SELECT v.kek_id, (SELECT count(*)::int FROM case_keys k WHERE k.kek_id = v.kek_id AND k.wrapped_key IS NOT NULL)
                     + (SELECT count(*)::int FROM account_secrets a WHERE a.kek_id = v.kek_id) AS n
         FROM vault_keys v WHERE v.kek_id <> $1 ORDER BY v.created_at, v.kek_id`,
      [currentKekId],
    );
    for (const { kek_id: kekId, n } of old) {
      if (n > 0) {
        stillInUse.push({ kekId, dataKeys: n });
        continue;
      }
      // retireKek checks again under a lock: a key wrapped meanwhile keeps the KEK.
      try {
        await vaultService.retireKek(kekId);
        retired.push(kekId);
      } catch (error) {
        if ((error as { code?: string }).code !== 'key_in_use') throw error;
        stillInUse.push({ kekId, dataKeys: -1 });
      }
    }
  }
  const [counts]: { total: number; shredded: number }[] = await ctx.dataSource.query(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE wrapped_key IS NULL)::int AS shredded FROM case_keys`,
  );
  // A key operation is an audited event like any other (issue 4): ids and counts, never key material.
  await ctx.audit.record({
    actorId: null,
    organisationId: null,
    action: 'key.kek.rotate',
    decision: 'allow',
    purpose: 'operator command rotate-kek',
    detail: { added, currentKekId, rewrapped, retired, stillInUse: stillInUse.map((k) => k.kekId) },
  });
  return { keyringPath: ctx.keyringPath, added, currentKekId, rewrapped, dataKeys: counts, retired, stillInUse };
}

export function describeRotation(report: RotationReport, options: RotateOptions = {}): string[] {
  const lines = [`keyring: ${report.keyringPath}`];
  if (report.added) lines.push(`added key-encryption key ${report.added} (now current)`);
  else lines.push(`current key-encryption key: ${report.currentKekId}`);
  if (options.rewrap ?? true) {
    lines.push(
      `rewrapped ${report.rewrapped} data key(s) with ${report.currentKekId}; ${report.dataKeys.total} data key(s) in the database, ${report.dataKeys.shredded} destroyed (crypto-shredded cases)`,
    );
    lines.push(
      report.retired.length
        ? `retired ${report.retired.join(', ')}: no data key uses ${report.retired.length > 1 ? 'them' : 'it'} any more (remove from the keyring file once every server runs with the new one)`
        : 'retired no key-encryption key',
    );
    for (const k of report.stillInUse)
      lines.push(`still in use: ${k.kekId}${k.dataKeys >= 0 ? ` (${k.dataKeys} data key(s))` : ''}: run the command again with --no-add`);
    lines.push('restart the running servers so that they load the updated keyring');
  } else {
    lines.push('next: restart the servers one by one, then run rotate-kek --no-add');
  }
  return lines;
}

export function parseRotateArgs(args: string[]): RotateOptions {
  const unknown = args.find((a) => a !== '--add-only' && a !== '--no-add');
  if (unknown) throw new UsageError(`unknown argument ${JSON.stringify(unknown)}`);
  if (args.includes('--add-only') && args.includes('--no-add')) throw new UsageError('--add-only and --no-add exclude each other');
  return { add: !args.includes('--no-add'), rewrap: !args.includes('--add-only') };
}

if (isMain(import.meta.url)) {
  runCommand('rotate-kek', ROTATE_USAGE, async (args) => {
    const options = parseRotateArgs(args);
    const ctx = await openCliContext();
    try {
      const report = await rotateKeks(ctx, options);
      process.stdout.write(describeRotation(report, options).join('\n') + '\n');
    } finally {
      await ctx.close();
    }
  });
}
