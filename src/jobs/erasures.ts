import type { DataSource } from 'typeorm';
import type { AuditSealer } from '../audit/audit-sealer.js';
import type { AuditService } from '../audit/audit.service.js';
import type { WorkflowService } from '../cases/workflow.service.js';
import { AppError } from '../common/errors.js';
import { asSystem } from '../database/territory-scope.js';
import { select } from '../database/sql.js';
import type { ErasureJournal } from '../vault/erasure-journal.js';
import type { VaultService } from '../vault/vault.service.js';

export interface ErasureReplayParts {
  dataSource: DataSource;
  journal: ErasureJournal;
  workflow: WorkflowService;
  vaultService: VaultService;
  audit: AuditService;
  sealer?: AuditSealer;
  log: { warn(message: string): void; error(message: string): void };
}

export interface ErasureReplayReport {
  /** Situations erased again (their data key or ciphertexts were back). */
  casesErased: string[];
  /** Audit entries purged again. */
  auditEntriesPurged: number;
  /** Erasures the database showed and the journal lacked (written to it now). */
  journalled: number;
}

const PURPOSE = 'erasure journal: erased before, back from a restored backup';

/**
 * Brings the database back to every erasure of the journal (src/vault/erasure-journal.ts): run by
 * `npm run restore` after loading a backup, and by every server start before it listens, so that
 * a database restored from a backup made before an erasure never serves what was erased.
 *
 * - A situation listed whose data key (or a ciphertext) is in the database again: its PURGE is
 *   sent again through the workflow (state `purged`, history, audit entry), or, when its restored
 *   state does not allow PURGE any more, its key and ciphertexts are destroyed directly and the
 *   access log says so (`case.purge.replay`).
 * - Audit entries purged after the backup are back: the retention purge runs now (its cut-off
 *   only moves forward, so it covers them).
 * - Then the other way: an erasure the database shows and the journal lacks (the process stopped
 *   between the commit and the journal line) is written to the journal.
 */
export async function replayErasures(parts: ErasureReplayParts): Promise<ErasureReplayReport> {
  const { dataSource, journal, log } = parts;
  const entries = journal.entries();
  const report: ErasureReplayReport = { casesErased: [], auditEntriesPurged: 0, journalled: 0 };
  const listed = [...new Set(entries.flatMap((e) => (e.kind === 'case.shred' ? [e.caseId] : [])))];
  await asSystem('erasure journal replay', async () => {
    for (const caseId of listed) {
      const [row] = await select<{ state: string; hasKey: boolean; fields: number; territoryId: string }>(
        dataSource,
        `SELECT c.state, c.territory_id AS "territoryId",
                coalesce((SELECT k.wrapped_key IS NOT NULL FROM case_keys k WHERE k.case_id = c.id), false) AS "hasKey",
                (SELECT count(*) FROM case_fields f WHERE f.case_id = c.id)::int AS fields
           FROM cases c WHERE c.id = $1`,
        [caseId],
      );
      if (!row) continue; // created after the backup: not in this database at all
      if (row.state === 'purged' && !row.hasKey && row.fields === 0) continue;
      if (row.state !== 'purged') {
        try {
          await parts.workflow.sendAsSystem(caseId, 'PURGE', { purpose: PURPOSE });
          report.casesErased.push(caseId);
          continue;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // The restored state does not take PURGE: the key and the ciphertexts go all the same.
        }
      }
      await dataSource.transaction(async (m) => {
        await parts.vaultService.shredCase(m, caseId);
        await parts.audit.record(
          {
            actorId: null,
            organisationId: null,
            territoryId: row.territoryId,
            action: 'case.purge.replay',
            caseId,
            decision: 'allow',
            purpose: PURPOSE,
            detail: { state: row.state, fieldsDestroyed: row.fields },
          },
          m,
        );
      });
      report.casesErased.push(caseId);
    }

    const purgedThrough = entries.reduce<bigint | null>(
      (max, e) => (e.kind === 'audit.purge' && (max === null || BigInt(e.throughSeq) > max) ? BigInt(e.throughSeq) : max),
      null,
    );
    if (purgedThrough !== null) {
      const firstSeq = async () => (await select<{ first: string | null }>(dataSource, `SELECT min(seq)::text AS first FROM audit_events`))[0].first;
      const first = await firstSeq();
      if (first !== null && BigInt(first) <= purgedThrough) {
        if (parts.sealer) report.auditEntriesPurged = (await parts.sealer.purge()).purged;
        const still = await firstSeq();
        if (still !== null && BigInt(still) <= purgedThrough) {
          log.error(
            `Audit entries up to sequence ${purgedThrough} were purged after this backup and are back (from ${still}): they could not be purged again yet (audit signing key, or the retention registered in the database)`,
          );
        }
      }
    }

    const known = new Set(listed);
    const destroyed = await select<{ caseId: string }>(
      dataSource,
      `SELECT case_id::text AS "caseId" FROM case_keys WHERE wrapped_key IS NULL ORDER BY destroyed_at, case_id`,
    );
    const missing = destroyed.filter((d) => !known.has(d.caseId));
    journal.append(missing.map((d) => ({ kind: 'case.shred', caseId: d.caseId })));
    report.journalled = missing.length;
  });
  if (report.casesErased.length) log.warn(`Erasure journal: ${report.casesErased.length} situation(s) erased before were back in the database; erased again`);
  if (report.journalled) log.warn(`Erasure journal: ${report.journalled} erasure(s) of the database were missing from ${journal.file}; written now`);
  return report;
}
