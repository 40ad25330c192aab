import { createHash } from 'node:crypto';

/**
 * The tamper-evidence format of the audit log, shared by the sealer, the online verification and
 * the offline CLI. Changing anything here invalidates every existing chain: add a new version tag
 * instead.
 *
 * Chain: entry n (sequence number n, 1-based) has
 *   hash_n = SHA-256(hash_{n-1} || UTF-8(canonical_n)),   hash_0 = 32 zero bytes,
 * where canonical_n is the JSON array built by `canonicalEntry`. Its text comes from PostgreSQL
 * (`CHAIN_COLUMNS`): the time with microseconds in UTC, `detail` as jsonb's normalised text, so
 * the Node process and any other verifier read exactly the same bytes.
 *
 * Checkpoint: an Ed25519 signature (libsodium `crypto_sign_detached`) over `checkpointMessage`,
 * which names the sequence number, the entry id and the chain hash at that point.
 */
export const ENTRY_FORMAT = 'cellule-audit-v1';
export const CHECKPOINT_FORMAT = 'cellule-audit-checkpoint-v1';
export const HASH_BYTES = 32;
export const GENESIS_HASH: Buffer = Buffer.alloc(HASH_BYTES);

/** One session-level key shared by every replica: only one sealer (or purge) runs at a time. */
export const SEALER_LOCK_KEY = '7272740401';

/** An audit row as read for chaining (every value as PostgreSQL prints it). */
export interface ChainRow {
  id: string;
  /** Set once sealed; null for an entry not yet sealed. */
  seq: string | null;
  prevId: string | null;
  hash: Buffer | null;
  at: string;
  actorId: string | null;
  organisationId: string | null;
  territoryId: string | null;
  action: string;
  caseId: string | null;
  classes: string[];
  decision: string;
  purpose: string | null;
  requestId: string | null;
  /** jsonb text, as PostgreSQL normalises it. */
  detail: string;
}

/** The SELECT list that reads a `ChainRow` from `audit_events` (aliased `e`). */
export const CHAIN_COLUMNS = `e.id::text AS "id", e.seq::text AS "seq", e.prev_id::text AS "prevId", e.hash AS "hash",
  to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "at",
  e.actor_id::text AS "actorId", e.organisation_id::text AS "organisationId", e.territory_id::text AS "territoryId",
  e.action AS "action", e.case_id::text AS "caseId", e.classes AS "classes", e.decision AS "decision",
  e.purpose AS "purpose", e.request_id AS "requestId", e.detail::text AS "detail"`;

export function canonicalEntry(row: Omit<ChainRow, 'hash' | 'seq' | 'prevId'>, seq: string, prevId: string | null): string {
  return JSON.stringify([
    ENTRY_FORMAT,
    seq,
    row.id,
    prevId,
    row.at,
    row.actorId,
    row.organisationId,
    row.territoryId,
    row.action,
    row.caseId,
    row.classes,
    row.decision,
    row.purpose,
    row.requestId,
    row.detail,
  ]);
}

export function chainHash(previous: Buffer, canonical: string): Buffer {
  return createHash('sha256').update(previous).update(canonical, 'utf8').digest();
}

export type CheckpointKind = 'seal' | 'purge';

/** A signed statement "the chain at sequence `seq` (entry `eventId`) has hash `hash`". */
export interface Checkpoint {
  /** 1, 2, 3… without gaps: a missing number is a deleted checkpoint. */
  id: string;
  kind: CheckpointKind;
  seq: string;
  eventId: string;
  hash: Buffer;
  /** Entries sealed by this run, or purged by this purge. */
  entries: string;
  /** ISO-8601 with milliseconds, as `Date.toISOString()` writes it. */
  createdAt: string;
  keyId: string;
  signature: Buffer;
}

/** The SELECT list that reads a `Checkpoint` from `audit_checkpoints` (aliased `c`). */
export const CHECKPOINT_COLUMNS = `c.id::text AS "id", c.kind AS "kind", c.seq::text AS "seq", c.event_id::text AS "eventId", c.hash AS "hash",
  c.entries::text AS "entries", to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  c.key_id AS "keyId", c.signature AS "signature"`;

export function checkpointMessage(c: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(JSON.stringify([CHECKPOINT_FORMAT, c.id, c.kind, c.seq, c.eventId, c.hash.toString('hex'), c.entries, c.createdAt, c.keyId]), 'utf8');
}

/**
 * A signed statement "a verification recomputed the chain up to `seq` (entry `eventId`, hash
 * `hash`) and the checkpoints up to `checkpointId`, intact" (table `audit_verifications`): where
 * the next incremental verification may start.
 */
export interface VerificationRecord {
  seq: string;
  eventId: string | null;
  hash: Buffer;
  checkpointId: string;
  mode: 'full' | 'incremental';
  /** Entries recomputed by that verification. */
  checked: string;
  /** ISO-8601 with milliseconds. */
  verifiedAt: string;
  keyId: string;
  signature: Buffer;
}

export const VERIFICATION_FORMAT = 'cellule-audit-verified-v1';

/** The SELECT list that reads a `VerificationRecord` from `audit_verifications` (aliased `v`). */
export const VERIFICATION_COLUMNS = `v.seq::text AS "seq", v.event_id::text AS "eventId", v.hash AS "hash", v.checkpoint_id::text AS "checkpointId",
  v.mode AS "mode", v.checked::text AS "checked", to_char(v.verified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "verifiedAt",
  v.key_id AS "keyId", v.signature AS "signature"`;

export function verificationMessage(v: Omit<VerificationRecord, 'signature'>): Buffer {
  return Buffer.from(
    JSON.stringify([VERIFICATION_FORMAT, v.seq, v.eventId, v.hash.toString('hex'), v.checkpointId, v.mode, v.checked, v.verifiedAt, v.keyId]),
    'utf8',
  );
}
