import pg from 'pg';
import {
  CHAIN_COLUMNS,
  CHECKPOINT_COLUMNS,
  GENESIS_HASH,
  canonicalEntry,
  chainHash,
  checkpointMessage,
  VERIFICATION_COLUMNS,
  verificationMessage,
  type ChainRow,
  type Checkpoint,
  type VerificationRecord,
} from './audit-chain.js';
import { checkAnchor, type Anchor } from './audit-anchor.js';
import { publicKeySet, verifySignature, type PublicKeySet } from './audit-signer.js';

/** Why the chain does not verify, at `firstBrokenId`. */
export type BreakReason =
  /** The entry's content (or its chain columns) no longer gives its recorded hash: it was edited. */
  | 'hash_mismatch'
  /** The entry recorded as predecessor is not the one found there: deleted or moved (firstBrokenId names it). */
  | 'missing_entry'
  /** Entries before the first remaining one are gone, and no purge checkpoint covers them. */
  | 'missing_prefix'
  /** The entries up to this checkpoint were rewritten (hashes recomputed); firstBrokenId is the first entry it covers. */
  | 'checkpoint_mismatch'
  | 'bad_signature'
  | 'unknown_key'
  /** A checkpoint was deleted (checkpoint numbers have a gap). */
  | 'missing_checkpoint'
  /** The anchor given to verify against is not signed by a trusted key. */
  | 'anchor_signature'
  /** The chain ends before the anchored head, or the anchored checkpoint is gone or changed: the tail was cut (anchor.missingEntries). */
  | 'truncated'
  /**
   * Incremental verification: the entry (or checkpoint) where the last verification ended is no
   * longer the one verified then — the history before it was rewritten or cut; a full
   * verification names the first broken entry.
   */
  | 'verified_mismatch';

/**
 * Where a verification ended, intact: the next one may start there (`from`) and recompute only
 * what was sealed since. Trust it only from a source the database holder cannot write: a row of
 * `audit_verifications` signed with a trusted audit key (the server), or a file kept by the
 * auditor (the CLI's `--state`).
 */
export interface VerifiedMark {
  /** The last verified entry's sequence number ('0' before the first entry). */
  seq: string;
  /** Its id (null when seq is '0', or when the chain was verified up to a purge checkpoint's position without its entry). */
  eventId: string | null;
  /** The chain hash at `seq`. */
  hash: Buffer;
  /** The highest checkpoint number verified ('0': none). */
  checkpointId: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Sealed entries whose hash was recomputed. */
  checked: number;
  /** The first entry (in chain order) that cannot be trusted; null when ok. */
  firstBrokenId: string | null;
  /** Checkpoints whose signature and hash were both verified. */
  checkpoints: number;
  reason: BreakReason | null;
  /** Sequence number where the break was found. */
  brokenSeq: string | null;
  firstSeq: string | null;
  lastSeq: string | null;
  /** Entries written but not sealed yet (not covered by this verification). */
  unsealed: number;
  /** Entries purged by retention, covered by signed purge checkpoints. */
  purgedThroughSeq: string | null;
  lastCheckpoint: { id: string; seq: string; createdAt: string; keyId: string } | null;
  /** Keys trusted for this verification. */
  keyIds: string[];
  /** When verified against an anchor (src/audit/audit-anchor.ts): the anchored head, and the entries missing since it. */
  anchor?: { id: string; seq: string; createdAt: string; missingEntries: number };
  /** `full`: from the first entry; `incremental`: from the mark of a previous verification (`from`), trusting what it verified. */
  mode: 'full' | 'incremental';
  /** Incremental: the sequence number the previous verification reached (entries after it were recomputed). */
  fromSeq: string | null;
  /** Where this verification ended, when intact: the mark to start the next one from. */
  verified: VerifiedMark | null;
}

/** Runs one SQL statement and answers its rows (a TypeORM manager, a pg client…). */
export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

type CheckpointProblem = Extract<BreakReason, 'bad_signature' | 'unknown_key' | 'missing_checkpoint'>;

interface CheckedCheckpoint extends Checkpoint {
  problem: CheckpointProblem | null;
}

async function checkCheckpoints(checkpoints: Checkpoint[], keys: PublicKeySet, firstId = 1n): Promise<CheckedCheckpoint[]> {
  const out: CheckedCheckpoint[] = [];
  let expected = firstId;
  for (const c of checkpoints) {
    let problem: CheckpointProblem | null = null;
    if (BigInt(c.id) !== expected) problem = 'missing_checkpoint';
    expected = BigInt(c.id) + 1n;
    const key = keys.get(c.keyId);
    if (!key) problem ??= 'unknown_key';
    else if (!(await verifySignature(checkpointMessage(c), c.signature, key))) problem = 'bad_signature';
    out.push({ ...c, problem });
  }
  return out;
}

/**
 * Recomputes the chain and checks every checkpoint (signature with a trusted key, numbering, hash
 * at its position). Stops at the first break, in chain order. Run it inside one REPEATABLE READ
 * transaction so that a concurrent seal or purge is not seen half-way.
 *
 * With `from` (the mark of a previous intact verification), only what came after it is
 * recomputed: the entries after `from.seq` and the checkpoints numbered after
 * `from.checkpointId`; the entry and the checkpoint at the mark must still be the ones verified
 * then (a history rewritten and re-chained before the mark changes the hash there:
 * `verified_mismatch`). What it cannot see is an entry before the mark edited in place with its
 * stored hash left alone (only possible with the append-only trigger switched off): a full
 * verification (no `from`) recomputes everything.
 */
export async function verifyChain(query: Query, keys: PublicKeySet, options: { pageSize?: number; from?: VerifiedMark } = {}): Promise<VerifyReport> {
  const pageSize = options.pageSize ?? 2000;
  const from = options.from;
  const markCp = from ? BigInt(from.checkpointId) : 0n;
  const rows = (await query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints c WHERE c.id >= $1 ORDER BY c.id`, [
    String(markCp),
  ])) as unknown as Checkpoint[];
  const markCheckpoint = markCp > 0n && rows[0]?.id === String(markCp) ? rows[0] : undefined;
  const all = await checkCheckpoints(
    rows.filter((c) => BigInt(c.id) > markCp),
    keys,
    markCp + 1n,
  );
  const [{ unsealed, firstSeq }] = (await query(
    `SELECT (SELECT count(*) FROM audit_events WHERE seq IS NULL)::int AS unsealed, (SELECT min(seq) FROM audit_events)::text AS "firstSeq"`,
  )) as { unsealed: number; firstSeq: string | null }[];
  // Checkpoints in chain order (by position, then by number).
  const pending = [...all].sort((a, b) => {
    const d = BigInt(a.seq) - BigInt(b.seq);
    return d !== 0n ? (d < 0n ? -1 : 1) : BigInt(a.id) < BigInt(b.id) ? -1 : 1;
  });
  const lastCp = all.at(-1) ?? markCheckpoint;
  const report: VerifyReport = {
    ok: true,
    checked: 0,
    firstBrokenId: null,
    checkpoints: 0,
    reason: null,
    brokenSeq: null,
    firstSeq,
    lastSeq: null,
    unsealed,
    purgedThroughSeq: null,
    lastCheckpoint: lastCp ? { id: lastCp.id, seq: lastCp.seq, createdAt: lastCp.createdAt, keyId: lastCp.keyId } : null,
    keyIds: [...keys.keys()],
    mode: 'full',
    fromSeq: null,
    verified: null,
  };
  const broken = (reason: BreakReason, id: string | null, seq: bigint | string): VerifyReport => ({
    ...report,
    ok: false,
    reason,
    firstBrokenId: id,
    brokenSeq: String(seq),
  });

  let prevHash: Buffer = GENESIS_HASH;
  let prevSeq = 0n;
  let prevId: string | null = null;
  if (from && markCp > 0n && !markCheckpoint) return broken('verified_mismatch', from.eventId, from.seq);
  if (from && firstSeq !== null && BigInt(from.seq) >= BigInt(firstSeq)) {
    // Incremental: the entry where the last verification ended must still be that entry, with that hash.
    const [mark] = (await query(`SELECT e.id::text AS id, e.hash FROM audit_events e WHERE e.seq = $1`, [from.seq])) as { id: string; hash: Buffer | null }[];
    if (!mark || mark.id !== from.eventId || !mark.hash?.equals(from.hash)) return broken('verified_mismatch', from.eventId, from.seq);
    [prevHash, prevSeq, prevId] = [from.hash, BigInt(from.seq), from.eventId];
    report.mode = 'incremental';
    report.fromSeq = from.seq;
    report.lastSeq = from.seq;
    if (BigInt(firstSeq) > 1n) report.purgedThroughSeq = String(BigInt(firstSeq) - 1n);
  } else {
    // Where the remaining chain starts: the beginning, or a signed purge checkpoint just before it.
    // (A mark purged away since: every entry left comes after it, and the purge checkpoint is newer than the mark.)
    if (from) {
      report.mode = 'incremental';
      report.fromSeq = from.seq;
    }
    const validPurges = all.filter((c) => c.kind === 'purge' && !c.problem);
    if (firstSeq === null) {
      const last = validPurges.reduce<CheckedCheckpoint | undefined>((m, c) => (!m || BigInt(c.seq) > BigInt(m.seq) ? c : m), undefined);
      if (last) [prevHash, prevSeq, prevId] = [last.hash, BigInt(last.seq), last.eventId];
      else if (from) [prevHash, prevSeq, prevId] = [from.hash, BigInt(from.seq), from.eventId];
    } else if (BigInt(firstSeq) > 1n) {
      const anchor = validPurges.filter((c) => BigInt(c.seq) === BigInt(firstSeq) - 1n).at(-1);
      if (!anchor) {
        const [first] = (await query(`SELECT e.id::text AS id, e.prev_id::text AS "prevId" FROM audit_events e WHERE e.seq = $1`, [firstSeq])) as {
          id: string;
          prevId: string | null;
        }[];
        return broken('missing_prefix', first.prevId ?? first.id, firstSeq);
      }
      [prevHash, prevSeq, prevId] = [anchor.hash, BigInt(anchor.seq), anchor.eventId];
    }
    if (prevSeq > 0n) report.purgedThroughSeq = String(prevSeq);
  }

  // Checkpoints over purged (or already verified) entries: their signature and numbering only.
  let p = 0;
  for (; p < pending.length && BigInt(pending[p].seq) <= prevSeq; p++) {
    const c = pending[p];
    if (c.problem) return broken(c.problem, c.eventId, c.seq);
    if (BigInt(c.seq) === prevSeq && (!c.hash.equals(prevHash) || c.eventId !== prevId)) return broken('checkpoint_mismatch', c.eventId, c.seq);
    report.checkpoints++;
  }

  let segmentStart: string | null = null;
  let after = prevSeq;
  for (;;) {
    const rows = (await query(`SELECT ${CHAIN_COLUMNS} FROM audit_events e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`, [
      String(after),
      pageSize,
    ])) as unknown as ChainRow[];
    for (const row of rows) {
      const seq = BigInt(row.seq!);
      if (seq !== prevSeq + 1n || row.prevId !== prevId) {
        // The predecessor recorded by this entry is not where it should be: it was deleted or moved.
        const named = pending[p] && BigInt(pending[p].seq) === prevSeq + 1n ? pending[p].eventId : (row.prevId ?? row.id);
        return broken('missing_entry', named, prevSeq + 1n);
      }
      const hash = chainHash(prevHash, canonicalEntry(row, row.seq!, row.prevId));
      if (!row.hash || !hash.equals(row.hash)) return broken('hash_mismatch', row.id, seq);
      segmentStart ??= row.id;
      for (; p < pending.length && BigInt(pending[p].seq) === seq; p++) {
        const c = pending[p];
        if (c.problem) return broken(c.problem, segmentStart, seq);
        if (c.eventId !== row.id || !c.hash.equals(hash)) return broken('checkpoint_mismatch', segmentStart, seq);
        report.checkpoints++;
        segmentStart = null;
      }
      report.checked++;
      [prevHash, prevSeq, prevId] = [hash, seq, row.id];
      report.lastSeq = row.seq;
    }
    if (rows.length < pageSize) break;
    after = BigInt(rows[rows.length - 1].seq!);
  }
  // A checkpoint beyond the last entry: entries at the end were deleted.
  if (p < pending.length) {
    const c = pending[p];
    return broken(c.problem ?? 'missing_entry', c.eventId, prevSeq + 1n);
  }
  report.verified = { seq: String(prevSeq), eventId: prevId, hash: prevHash, checkpointId: lastCp?.id ?? '0' };
  return report;
}

/**
 * The newest verification mark of `audit_verifications` signed by one of `keys`, among the last
 * `window` rows (the application role may insert rows: one that does not verify is passed over,
 * so a forged row makes the next verification start further back, never skip anything).
 */
export async function lastSignedMark(query: Query, keys: PublicKeySet, window = 50): Promise<VerifiedMark | undefined> {
  const rows = (await query(`SELECT ${VERIFICATION_COLUMNS} FROM audit_verifications v ORDER BY v.id DESC LIMIT $1`, [
    window,
  ])) as unknown as VerificationRecord[];
  for (const row of rows) {
    const key = keys.get(row.keyId);
    if (key && (await verifySignature(verificationMessage(row), row.signature, key))) {
      return { seq: row.seq, eventId: row.eventId, hash: row.hash, checkpointId: row.checkpointId };
    }
  }
  return undefined;
}

/**
 * The CLI's verification: connects to `databaseUrl` read-only, verifies the chain against the
 * given trusted Ed25519 public keys (base64 or bytes), writes nothing (entries not sealed yet are
 * counted in `unsealed`, not verified).
 */
export async function verifyAuditOffline(
  databaseUrl: string,
  publicKeys: Iterable<string | Uint8Array> | PublicKeySet,
  options: { anchor?: Anchor; from?: VerifiedMark } = {},
): Promise<VerifyReport> {
  const keys = publicKeys instanceof Map ? (publicKeys as PublicKeySet) : publicKeySet(publicKeys as Iterable<string | Uint8Array>);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'cellule-audit-verify' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Every territory's entries (row-level security, migration AuditRowSecurity): the chain runs through them all.
    await client.query(`SELECT set_config('cellule.territories', '*', true)`);
    const [{ present }] = (await client.query(`SELECT to_regclass('audit_checkpoints') IS NOT NULL AS present`)).rows as { present: boolean }[];
    if (!present) throw new Error('This database has no audit chain (migrations not applied?)');
    const query: Query = async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[];
    const chain = await verifyChain(query, keys, { from: options.from });
    const report = options.anchor ? await checkAnchor(query, keys, options.anchor, chain) : chain;
    await client.query('COMMIT');
    return report;
  } finally {
    await client.end();
  }
}
