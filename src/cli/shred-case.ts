import { isMain, openCliContext, runCommand, UsageError, type CliContext } from './context.js';

export const SHRED_REASONS = ['erasure_request', 'retention_expired', 'legal_obligation', 'other'] as const;
export type ShredReason = (typeof SHRED_REASONS)[number];

export const SHRED_USAGE = `Usage: shred-case <caseId> [--reason ${SHRED_REASONS.join('|')}]

Erases the protected data of one closed case now, as the end of its retention would: the case's
PURGE event, sent by the operator (the same path as the retention job). Its data key is destroyed
(crypto-shredding): identity, health and social content, the summary's free text, notes and
consent evidence can no longer be decrypted from this database. Copies of the wrapped key in
backups and WAL stay readable with the current KEK until they expire or that KEK is rotated away
(rotate-kek) and destroyed. The case row, its statistics categories, its history and its action
plan stay, so yearly statistics still count it; it ends in the state purged. The erasure is in
the history and the audit log, with the reason. Irreversible. Run again on a purged case, it
erases whatever ciphertext a restored backup brought back.

A case still being worked on is refused: close it first — when the person withdraws their consent,
WITHDRAW_CONSENT closes it.

  --reason   why (recorded in the audit log); default erasure_request

Reads the same environment as the server (DATABASE_URL or the embedded PostgreSQL of
CELLULE_DATA_DIR; CELLULE_KEYRING or <CELLULE_DATA_DIR>/keyring.json).`;

export interface ShredOptions {
  reason?: ShredReason;
}

export interface ShredReport {
  caseId: string;
  reference: string;
  /** The state the case was in (closed; purged when it had already been erased). */
  state: string;
  /** The case had already been purged: only ciphertexts brought back since (a restored backup) were erased. */
  alreadyShredded: boolean;
  /** Encrypted values erased by this run. */
  fieldsDestroyed: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The case's PURGE, sent as the system through the workflow (the machine and the policy decide, history and audit record it). */
export async function shredCase(ctx: CliContext, caseId: string, options: ShredOptions = {}): Promise<ShredReport> {
  if (!UUID.test(caseId)) throw new UsageError('the case id must be a UUID');
  const reason = options.reason ?? 'erasure_request';
  if (!SHRED_REASONS.includes(reason)) throw new UsageError(`--reason must be one of ${SHRED_REASONS.join(', ')}`);
  const [row] = (await ctx.dataSource.query(
    `SELECT c.reference, c.state, c.territory_id AS "territoryId", (SELECT count(*)::int FROM case_fields f WHERE f.case_id = c.id) AS fields FROM cases c WHERE c.id = $1`,
    [caseId],
  )) as { reference: string; state: string; territoryId: string; fields: number }[];
  if (!row) throw new Error(`no case ${caseId}`);
  const report = { caseId, reference: row.reference, state: row.state, fieldsDestroyed: row.fields };
  if (row.state === 'purged') {
    // Nothing left to erase, unless a restore brought ciphertexts back: they go again (unreadable
    // anyway, the data key is gone), and the audit log says so.
    if (row.fields > 0) {
      await ctx.dataSource.transaction(async (m) => {
        await ctx.vaultService.shredCase(m, caseId);
        await ctx.audit.record(
          {
            actorId: null,
            organisationId: null,
            territoryId: row.territoryId,
            action: 'case.purge.repeat',
            caseId,
            decision: 'allow',
            purpose: `operator command: ${reason}`,
            detail: { fieldsDestroyed: row.fields },
          },
          m,
        );
      });
    }
    return { ...report, alreadyShredded: true };
  }
  if (row.state !== 'closed')
    throw new UsageError(`case ${row.reference} is ${row.state}, not closed: close it first (WITHDRAW_CONSENT when the person withdraws)`);
  await ctx.workflow.sendAsSystem(caseId, 'PURGE', {
    purpose: `operator command: ${reason}`,
    // Under the row lock: still closed (it may have been reopened since it was read).
    stillDue: async (manager) => ((await manager.query(`SELECT 1 FROM cases WHERE id = $1 AND state = 'closed'`, [caseId])) as unknown[]).length === 1,
  });
  return { ...report, alreadyShredded: false };
}

export function parseShredArgs(args: string[]): { caseId: string; options: ShredOptions } {
  const positional: string[] = [];
  const options: ShredOptions = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--reason' || arg.startsWith('--reason=')) {
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
          ? `case ${report.reference} was already purged; nothing to do\n`
          : `case ${report.reference} (${report.state}): purged — data key destroyed, ${report.fieldsDestroyed} encrypted value(s) erased; the case still counts in statistics\n`,
      );
    } finally {
      await ctx.close();
    }
  });
}
