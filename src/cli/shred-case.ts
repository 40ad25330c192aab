import { isMain, openCliContext, runCommand, UsageError, type CliContext } from './context.js';

export const SHRED_REASONS = ['erasure_request', 'retention_expired', 'legal_obligation', 'other'] as const;
export type ShredReason = (typeof SHRED_REASONS)[number];

export const SHRED_USAGE = `Usage: shred-case <caseId> [--reason ${SHRED_REASONS.join('|')}] [--force]

Erases the protected data of one case by destroying its data key (crypto-shredding): identity,
health and social content, the summary's free text, notes and consent evidence can no longer be
decrypted from this database. Copies of the wrapped key in backups and WAL stay readable with the
current KEK until they expire or that KEK is rotated away (rotate-kek) and destroyed. The case row,
its state, its statistics categories, its history and its action plan stay, so yearly statistics
still count it. The erasure is written to the audit log. Irreversible.

  --reason   why (recorded in the audit log); default erasure_request
  --force    also erase a case that is not closed (its workflow can then no longer save texts)

Reads the same environment as the server (DATABASE_URL or the embedded PostgreSQL of
CELLULE_DATA_DIR; CELLULE_KEYRING or <CELLULE_DATA_DIR>/keyring.json).`;

export interface ShredOptions {
  reason?: ShredReason;
  force?: boolean;
}

export interface ShredReport {
  caseId: string;
  reference: string;
  state: string;
  /** The case had already been shredded: nothing was done (the command is idempotent). */
  alreadyShredded: boolean;
  /** Encrypted values deleted by this run. */
  fieldsDestroyed: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ERASABLE_STATES = ['closed', 'purged'];

/**
 * One transaction: lock the case, destroy its data key and ciphertexts (VaultService.shredCase),
 * drop its blind index (derived from the identity, it must go with it), write the audit entry.
 */
export async function shredCase(ctx: CliContext, caseId: string, options: ShredOptions = {}): Promise<ShredReport> {
  if (!UUID.test(caseId)) throw new UsageError('the case id must be a UUID');
  const reason = options.reason ?? 'erasure_request';
  if (!SHRED_REASONS.includes(reason)) throw new UsageError(`--reason must be one of ${SHRED_REASONS.join(', ')}`);
  return ctx.dataSource.transaction(async (m) => {
    const [row]: { id: string; reference: string; state: string; territoryId: string }[] = await m.query(
      `SELECT id, reference, state, territory_id AS "territoryId" FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    if (!row) throw new Error(`no case ${caseId}`);
    const [key]: { destroyed: boolean }[] = await m.query(`SELECT wrapped_key IS NULL AS destroyed FROM case_keys WHERE case_id = $1 FOR UPDATE`, [caseId]);
    const alreadyShredded = Boolean(key?.destroyed);
    if (!alreadyShredded && !ERASABLE_STATES.includes(row.state) && !options.force) {
      throw new UsageError(`case ${row.reference} is ${row.state}, not closed: close it first, or pass --force`);
    }
    const [{ n }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM case_fields WHERE case_id = $1`, [caseId]);
    await ctx.vaultService.shredCase(m, caseId);
    await m.query(`UPDATE cases SET identity_index = NULL, updated_at = now() WHERE id = $1`, [caseId]);
    await ctx.audit.record(
      {
        actorId: null,
        organisationId: null,
        territoryId: row.territoryId,
        action: 'case.shred',
        caseId,
        classes: ['identity', 'health', 'social', 'summary', 'consent'],
        decision: 'allow',
        purpose: `operator command: ${reason}`,
        detail: { fieldsDestroyed: n, alreadyShredded, state: row.state, forced: Boolean(options.force) && !ERASABLE_STATES.includes(row.state) },
      },
      m,
    );
    return { caseId, reference: row.reference, state: row.state, alreadyShredded, fieldsDestroyed: n };
  });
}

export function parseShredArgs(args: string[]): { caseId: string; options: ShredOptions } {
  const positional: string[] = [];
  const options: ShredOptions = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--force') options.force = true;
    else if (arg === '--reason' || arg.startsWith('--reason=')) {
      const value = arg === '--reason' ? args[++i] : arg.slice('--reason='.length);
      if (!SHRED_REASONS.includes(value as ShredReason)) throw new UsageError(`--reason must be one of ${SHRED_REASONS.join(', ')}`);
      options.reason = value as ShredReason;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError('give exactly one case id');
  return { caseId: positional[0], options };
}

if (isMain(import.meta.url)) {
  runCommand('shred-case', SHRED_USAGE, async (args) => {
    const { caseId, options } = parseShredArgs(args);
    const ctx = await openCliContext();
    try {
      const report = await shredCase(ctx, caseId, options);
      process.stdout.write(
        report.alreadyShredded
          ? `case ${report.reference} (${report.state}) was already crypto-shredded; nothing to do\n`
          : `case ${report.reference} (${report.state}): data key destroyed, ${report.fieldsDestroyed} encrypted value(s) erased; the case still counts in statistics\n`,
      );
    } finally {
      await ctx.close();
    }
  });
}
