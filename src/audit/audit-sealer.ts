import type { DataSource, EntityManager } from 'typeorm';
import {
  CHAIN_COLUMNS,
  GENESIS_HASH,
  SEALER_LOCK_KEY,
  canonicalEntry,
  chainHash,
  checkpointMessage,
  verificationMessage,
  type ChainRow,
  type Checkpoint,
  type CheckpointKind,
} from './audit-chain.js';
import { asSystem } from '../database/territory-scope.js';
import type { ErasureJournal } from '../vault/erasure-journal.js';
import type { AuditSigner } from './audit-signer.js';
import type { AuditService } from './audit.service.js';
import { lastSignedMark, verifyChain, type Query, type VerifyReport } from './audit-verify.js';

export interface SealResult {
  /** Entries sealed by this run. */
  sealed: number;
  /** Checkpoints written by this run. */
  checkpoints: number;
  /** Another process held the sealer lock (only when not waiting for it). */
  skipped: boolean;
  /** Sequence number of the chain tip after the run (null: empty chain). */
  tipSeq: string | null;
}

export interface PurgeResult {
  purged: number;
  /** Entries up to this sequence number are gone; null when nothing was old enough. */
  throughSeq: string | null;
  cutoff: string;
  checkpointId: string | null;
  skipped: boolean;
}

export interface SealerOptions {
  /** A checkpoint every this many entries, and at the end of every run. */
  checkpointEvery?: number;
  /** Pause between two periodic seals. */
  sealIntervalMs?: number;
  /** Pause between two periodic purges. */
  purgeIntervalMs?: number;
  /** The retention period (policies/retention.yaml `auditLogDays`). */
  retentionDays: () => number;
  log?: { warn(message: string): void; error(message: string): void };
  /** Where each committed purge is written (src/vault/erasure-journal.ts). */
  journal?: ErasureJournal;
}

interface Tip {
  seq: bigint;
  id: string | null;
  hash: Buffer;
}

const DAY_MS = 86_400_000;

/**
 * Seals the audit log after the fact. Requests only INSERT unsealed rows, concurrently, with no
 * hash and no lock; the sealer then takes the unsealed rows in id order, gives them the next
 * sequence numbers, chains their hashes and signs a checkpoint, one transaction per batch of
 * `checkpointEvery` rows.
 *
 * Several replicas: every batch runs under the transaction-level advisory lock SEALER_LOCK_KEY;
 * the periodic loop only tries it (another replica is sealing: skip), on-demand calls wait for it.
 * A crash mid-batch rolls the whole batch back (chain columns and checkpoint together): the rows
 * stay unsealed and the next run, on any replica, seals them. An entry committed late (its
 * transaction took an id before a row that is already sealed) is simply sealed by the next run,
 * after the tip: sequence order is the order of sealing, not of ids.
 */
export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private lastPurgeAt = 0;
  private purgeInLoop = true;
  private stopped = true;
  private readonly checkpointEvery: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly signer: AuditSigner | undefined,
    private readonly audit: AuditService,
    private readonly options: SealerOptions,
  ) {
    this.checkpointEvery = options.checkpointEvery ?? 1000;
  }

  get keyId(): string | undefined {
    return this.signer?.keyId;
  }

  /** The Ed25519 public key (base64) that verifies this deployment's checkpoints: give it to the offline CLI. */
  get publicKey(): string | undefined {
    return this.signer?.publicKeyBase64;
  }

  /** Seals every unsealed entry visible now. `wait: false` gives up when another process seals. */
  async seal(options: { wait?: boolean } = {}): Promise<SealResult> {
    // The chain runs through every territory's entries: read across territories (row-level security, migration AuditRowSecurity).
    return asSystem('audit:seal', () => this.sealAll(options));
  }

  private async sealAll(options: { wait?: boolean }): Promise<SealResult> {
    const wait = options.wait ?? true;
    const result: SealResult = { sealed: 0, checkpoints: 0, skipped: false, tipSeq: null };
    for (;;) {
      const batch = await this.dataSource.transaction(async (m) => {
        if (!(await this.lock(m, wait))) return undefined;
        return this.sealBatch(m);
      });
      if (!batch) return { ...result, skipped: true };
      result.sealed += batch.sealed;
      result.checkpoints += batch.checkpoint ? 1 : 0;
      result.tipSeq = batch.tipSeq;
      if (batch.sealed < this.checkpointEvery) return result;
    }
  }

  /**
   * Seals pending entries, then verifies in one consistent snapshot: from where the last intact
   * verification signed by this server's key ended (table `audit_verifications`), so that the
   * cost follows what was sealed since, or the whole chain with `full`. An intact result is
   * recorded, signed, for the next one.
   */
  async verify(options: { full?: boolean } = {}): Promise<VerifyReport> {
    return asSystem('audit:verify', () => this.verifyAll(options));
  }

  private async verifyAll(options: { full?: boolean }): Promise<VerifyReport> {
    await this.seal();
    const keys = this.signer?.publicKeys ?? new Map<string, Uint8Array>();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let report: VerifyReport;
    try {
      await runner.startTransaction('REPEATABLE READ');
      const query: Query = (sql, params) => runner.query(sql, params);
      const from = options.full || !this.signer ? undefined : await lastSignedMark(query, keys);
      report = await verifyChain(query, keys, { from });
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
    if (report.ok && report.verified && this.signer && (report.mode === 'full' || report.checked > 0 || report.checkpoints > 0)) {
      await this.recordVerification(report);
    }
    return report;
  }

  private async recordVerification(report: VerifyReport): Promise<void> {
    const signer = this.signer!;
    const mark = report.verified!;
    const body = {
      seq: mark.seq,
      eventId: mark.eventId,
      hash: mark.hash,
      checkpointId: mark.checkpointId,
      mode: report.mode,
      checked: String(report.checked),
      verifiedAt: new Date().toISOString(),
      keyId: signer.keyId,
    };
    await this.dataSource.query(
      `INSERT INTO audit_verifications (seq, event_id, hash, checkpoint_id, mode, checked, verified_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [body.seq, body.eventId, body.hash, body.checkpointId, body.mode, body.checked, body.verifiedAt, body.keyId, signer.sign(verificationMessage(body))],
    );
  }

  /**
   * Retention: deletes the sealed entries older than `auditLogDays` (or the longer retention
   * registered in the database), only as a prefix of the chain, after a signed purge checkpoint
   * over the last purged entry (the remaining chain verifies from it). The database's
   * `audit_purge` checks the checkpoint's signature against the keys it trusts and the retention
   * itself. Writes an `audit.purge` entry. Safe to call on any replica at any time.
   */
  async purge(options: { now?: Date; wait?: boolean } = {}): Promise<PurgeResult> {
    return asSystem('audit:purge', () => this.purgePrefix(options));
  }

  private async purgePrefix(options: { now?: Date; wait?: boolean }): Promise<PurgeResult> {
    const now = options.now ?? new Date();
    const wait = options.wait ?? true;
    // The database enforces the retention registered in it (migration AuditPurgeChecks): never ask for less.
    const [registered] = (await this.dataSource.query(`SELECT retention_days AS days FROM audit_settings`)) as { days: number }[];
    const days = Math.max(this.options.retentionDays(), registered?.days ?? 0);
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    const none: PurgeResult = { purged: 0, throughSeq: null, cutoff: cutoff.toISOString(), checkpointId: null, skipped: false };
    if (!this.signer) {
      this.options.log?.warn('Audit purge skipped: without an audit signing key no purge checkpoint can be signed');
      return { ...none, skipped: true };
    }
    const sealed = await this.seal({ wait });
    if (sealed.skipped) return { ...none, skipped: true };
    const result = await this.dataSource.transaction(async (m): Promise<PurgeResult> => {
      if (!(await this.lock(m, wait))) return { ...none, skipped: true };
      const [bounds] = (await m.query(
        `SELECT (SELECT min(seq) FROM audit_events)::text AS "minSeq",
                (SELECT max(seq) FROM audit_events)::text AS "maxSeq",
                (SELECT min(seq) FROM audit_events WHERE seq IS NOT NULL AND at >= $1)::text AS "firstKept"`,
        [cutoff],
      )) as { minSeq: string | null; maxSeq: string | null; firstKept: string | null }[];
      if (bounds.minSeq === null || bounds.maxSeq === null) return none;
      const through = bounds.firstKept === null ? BigInt(bounds.maxSeq) : BigInt(bounds.firstKept) - 1n;
      if (through < BigInt(bounds.minSeq)) return none;
      const [last] = (await m.query(`SELECT id::text AS id, hash FROM audit_events WHERE seq = $1`, [String(through)])) as { id: string; hash: Buffer }[];
      const entries = through - BigInt(bounds.minSeq) + 1n;
      const checkpointId = await this.writeCheckpoint(m, 'purge', { seq: through, id: last.id, hash: last.hash }, entries);
      const [{ purged }] = (await m.query(`SELECT audit_purge($1, $2, $3)::text AS purged`, [String(through), cutoff, checkpointId])) as { purged: string }[];
      await this.audit.record(
        {
          actorId: null,
          organisationId: null,
          action: 'audit.purge',
          decision: 'allow',
          purpose: `retention: auditLogDays ${days}`,
          detail: { purged: Number(purged), throughSeq: String(through), cutoff: cutoff.toISOString(), checkpointId },
        },
        m,
      );
      return { purged: Number(purged), throughSeq: String(through), cutoff: cutoff.toISOString(), checkpointId, skipped: false };
    });
    if (result.purged > 0 && result.throughSeq) this.options.journal?.append([{ kind: 'audit.purge', throughSeq: result.throughSeq, cutoff: result.cutoff }]);
    return result;
  }

  /**
   * Starts the periodic loop: seal every `sealIntervalMs`; and purge once a day unless `purge` is
   * false — a server whose job queue runs leaves the purge to its `audit-purge` task (one run a
   * day across replicas, src/jobs/audit-jobs.ts).
   */
  start(options: { purge?: boolean } = {}): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.purgeInLoop = options.purge ?? true;
    this.schedule(0);
  }

  /** Stops the loop and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.options.sealIntervalMs ?? 5000);
      });
    }, delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.seal({ wait: false });
      if (this.purgeInLoop && !this.stopped && Date.now() - this.lastPurgeAt >= (this.options.purgeIntervalMs ?? DAY_MS)) {
        this.lastPurgeAt = Date.now();
        await this.purge({ wait: false });
      }
    } catch (error) {
      // Never the content of an entry: the message of a database or signing error.
      if (!this.stopped) this.options.log?.error(`Audit sealer run failed: ${(error as Error).message}`);
    }
  }

  private async lock(m: EntityManager, wait: boolean): Promise<boolean> {
    if (wait) {
      await m.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [SEALER_LOCK_KEY]);
      return true;
    }
    const [{ ok }] = (await m.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS ok`, [SEALER_LOCK_KEY])) as { ok: boolean }[];
    return ok;
  }

  /** The last sealed position: the newest sealed entry, or a purge checkpoint when everything before was purged. */
  private async tip(m: EntityManager): Promise<Tip> {
    const [entry] = (await m.query(
      `SELECT e.seq::text AS seq, e.id::text AS id, e.hash FROM audit_events e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1`,
    )) as {
      seq: string;
      id: string;
      hash: Buffer;
    }[];
    const [checkpoint] = (await m.query(
      `SELECT c.seq::text AS seq, c.event_id::text AS id, c.hash FROM audit_checkpoints c ORDER BY c.seq DESC, c.id DESC LIMIT 1`,
    )) as {
      seq: string;
      id: string;
      hash: Buffer;
    }[];
    const best = [entry, checkpoint].filter(Boolean).sort((a, b) => (BigInt(b.seq) > BigInt(a.seq) ? 1 : BigInt(b.seq) < BigInt(a.seq) ? -1 : 0))[0];
    return best ? { seq: BigInt(best.seq), id: best.id, hash: best.hash } : { seq: 0n, id: null, hash: GENESIS_HASH };
  }

  private async sealBatch(m: EntityManager): Promise<{ sealed: number; checkpoint: boolean; tipSeq: string | null }> {
    const tip = await this.tip(m);
    const rows = (await m.query(`SELECT ${CHAIN_COLUMNS} FROM audit_events e WHERE e.seq IS NULL ORDER BY e.id LIMIT $1`, [
      this.checkpointEvery,
    ])) as unknown as ChainRow[];
    if (!rows.length) return { sealed: 0, checkpoint: false, tipSeq: tip.seq ? String(tip.seq) : null };
    const ids: string[] = [];
    const prevIds: (string | null)[] = [];
    const hashes: Buffer[] = [];
    let { seq, id: prevId, hash } = tip;
    for (const row of rows) {
      seq += 1n;
      hash = chainHash(hash, canonicalEntry(row, String(seq), prevId));
      ids.push(row.id);
      prevIds.push(prevId);
      hashes.push(hash);
      prevId = row.id;
    }
    await m.query(`SELECT audit_seal($1::bigint, $2::bigint[], $3::bigint[], $4::bytea[])`, [String(tip.seq + 1n), ids, prevIds, hashes]);
    let checkpoint = false;
    if (this.signer) {
      await this.writeCheckpoint(m, 'seal', { seq, id: prevId!, hash }, BigInt(rows.length));
      checkpoint = true;
    }
    return { sealed: rows.length, checkpoint, tipSeq: String(seq) };
  }

  private async writeCheckpoint(m: EntityManager, kind: CheckpointKind, at: { seq: bigint; id: string; hash: Buffer }, entries: bigint): Promise<string> {
    const signer = this.signer!;
    const [{ next }] = (await m.query(`SELECT (coalesce(max(id), 0) + 1)::text AS next FROM audit_checkpoints`)) as { next: string }[];
    const body: Omit<Checkpoint, 'signature'> = {
      id: next,
      kind,
      seq: String(at.seq),
      eventId: at.id,
      hash: at.hash,
      entries: String(entries),
      createdAt: new Date().toISOString(),
      keyId: signer.keyId,
    };
    const signature = signer.sign(checkpointMessage(body));
    await m.query(
      `INSERT INTO audit_checkpoints (id, kind, seq, event_id, hash, entries, created_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [body.id, kind, body.seq, body.eventId, body.hash, body.entries, body.createdAt, body.keyId, signature],
    );
    return next;
  }
}
