import { CHECKPOINT_COLUMNS, checkpointMessage, type Checkpoint } from './audit-chain.js';
import { verifySignature, type PublicKeySet } from './audit-signer.js';
import type { Query, VerifyReport } from './audit-verify.js';

/**
 * Anchors: the latest signed checkpoint head, copied out of the database (`npm run audit:anchor`
 * appends one JSON line to a file, or writes it to standard output for a witness: another host, a
 * ticket, a printed log book). A database holder who deletes the newest entries together with the
 * newest checkpoints leaves a chain that still verifies on its own; against the last anchor, the
 * entries between the remaining end and the anchored head are reported missing.
 */
export interface Anchor {
  format: 'cellule-audit-anchor-v1';
  id: string;
  kind: Checkpoint['kind'];
  seq: string;
  eventId: string;
  /** base64 */
  hash: string;
  entries: string;
  createdAt: string;
  keyId: string;
  /** base64: the checkpoint's Ed25519 signature, so that the witness can check it alone. */
  signature: string;
  /** When it was copied out (information only; not signed). */
  anchoredAt: string;
}

/** The newest checkpoint (highest number), or null before the first seal. */
export async function latestCheckpoint(query: Query): Promise<Checkpoint | null> {
  const [row] = (await query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints c ORDER BY c.id DESC LIMIT 1`)) as unknown as Checkpoint[];
  return row ?? null;
}

export function anchorOf(c: Checkpoint, at: Date): Anchor {
  return {
    format: 'cellule-audit-anchor-v1',
    id: c.id,
    kind: c.kind,
    seq: c.seq,
    eventId: c.eventId,
    hash: c.hash.toString('base64'),
    entries: c.entries,
    createdAt: c.createdAt,
    keyId: c.keyId,
    signature: c.signature.toString('base64'),
    anchoredAt: at.toISOString(),
  };
}

/** The last anchor of an anchor file (one JSON object a line; blank lines ignored). */
export function lastAnchor(text: string): Anchor {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  if (!line) throw new Error('The anchor file holds no anchor');
  const a = JSON.parse(line) as Partial<Anchor>;
  if (a.format !== 'cellule-audit-anchor-v1' || !a.id || !a.seq || !a.hash || !a.signature || !a.keyId || !a.eventId || !a.createdAt || !a.kind || !a.entries) {
    throw new Error('The last line of the anchor file is not a Cellule audit anchor');
  }
  return a as Anchor;
}

function checkpointOf(a: Anchor): Checkpoint {
  return {
    id: a.id,
    kind: a.kind,
    seq: a.seq,
    eventId: a.eventId,
    hash: Buffer.from(a.hash, 'base64'),
    entries: a.entries,
    createdAt: a.createdAt,
    keyId: a.keyId,
    signature: Buffer.from(a.signature, 'base64'),
  };
}

/**
 * Completes a chain report with the anchor: the anchor must carry a valid signature of a trusted
 * key, its checkpoint must still be in the database unchanged, and the chain must reach its
 * position. Otherwise the report is broken ('anchor_signature', 'truncated') and says how many
 * entries are missing since the anchor.
 */
export async function checkAnchor(query: Query, keys: PublicKeySet, anchor: Anchor, report: VerifyReport): Promise<VerifyReport> {
  const anchored = checkpointOf(anchor);
  const key = keys.get(anchored.keyId);
  const base = { ...report, anchor: { id: anchored.id, seq: anchored.seq, createdAt: anchored.createdAt, missingEntries: 0 } };
  if (!key || !(await verifySignature(checkpointMessage(anchored), anchored.signature, key))) {
    return { ...base, ok: false, reason: 'anchor_signature', firstBrokenId: null, brokenSeq: anchored.seq };
  }
  const [stored] = (await query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints c WHERE c.id = $1`, [anchored.id])) as unknown as Checkpoint[];
  // How far the remaining chain goes: its last sealed entry, or the purged prefix when nothing remains.
  const reached = BigInt(report.lastSeq ?? report.purgedThroughSeq ?? '0');
  const missing = BigInt(anchored.seq) > reached ? BigInt(anchored.seq) - reached : 0n;
  const intact = stored && stored.seq === anchored.seq && stored.eventId === anchored.eventId && stored.hash.equals(anchored.hash);
  if (!intact || missing > 0n) {
    return {
      ...base,
      ok: false,
      reason: 'truncated',
      firstBrokenId: report.ok ? null : report.firstBrokenId,
      brokenSeq: String(reached + 1n),
      anchor: { ...base.anchor, missingEntries: Number(missing) },
    };
  }
  return base;
}
