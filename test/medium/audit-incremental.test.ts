import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { canonicalEntry, chainHash, CHAIN_COLUMNS, type ChainRow } from '../../src/audit/audit-chain.js';
import { AuditSealer } from '../../src/audit/audit-sealer.js';
import { AuditSigner } from '../../src/audit/audit-signer.js';
import { registerAuditTrust } from '../../src/audit/audit-trust.js';
import { runAuditVerify } from '../../src/audit/audit-verify-cli.js';
import { lastSignedMark, verifyChain, type Query, type VerifiedMark, type VerifyReport } from '../../src/audit/audit-verify.js';
import { AuditService, type AuditEntry } from '../../src/audit/audit.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Issue 14, item 3: verification is incremental from the last intact verification, whose mark is
 * signed (server) or kept by the auditor (CLI), so that its cost follows the new entries while a
 * forged mark skips nothing.
 */
const entry = (i: number): AuditEntry => ({
  actorId: null,
  organisationId: null,
  action: 'test.entry',
  decision: 'allow',
  purpose: `n${i}`,
  requestId: `req-${i}`,
  detail: { i },
});

/** Tampers as a superuser with triggers off, verifies inside the same transaction, rolls everything back. */
async function tampered(ds: DataSource, verify: (q: Query) => Promise<VerifyReport>, tamper: (q: Query) => Promise<unknown>): Promise<VerifyReport> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  try {
    const q: Query = (sql, params) => qr.query(sql, params);
    await q(`SET LOCAL session_replication_role = replica`);
    await tamper(q);
    await q(`SET LOCAL session_replication_role = origin`);
    return await verify(q);
  } finally {
    await qr.rollbackTransaction();
    await qr.release();
  }
}

/** What a superuser without the signing key can do: edit entry `seq` and recompute every hash from it on. */
async function rewriteFrom(q: Query, seq: number): Promise<void> {
  await q(`UPDATE audit_events SET purpose = 'rewritten' WHERE seq = $1`, [seq]);
  const [prev] = (await q(`SELECT hash FROM audit_events WHERE seq = $1`, [seq - 1])) as { hash: Buffer }[];
  let hash = prev.hash;
  for (const row of (await q(`SELECT ${CHAIN_COLUMNS} FROM audit_events e WHERE e.seq >= $1 ORDER BY e.seq`, [seq])) as unknown as ChainRow[]) {
    hash = chainHash(hash, canonicalEntry(row, row.seq!, row.prevId));
    await q(`UPDATE audit_events SET hash = $2 WHERE id = $1`, [row.id, hash]);
  }
}

const idAt = async (ds: DataSource, seq: number | string) =>
  ((await ds.query(`SELECT id::text AS id FROM audit_events WHERE seq = $1`, [seq])) as { id: string }[])[0].id;

describe('incremental audit verification', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let audit: AuditService;
  let signer: AuditSigner;
  let sealer: AuditSealer;
  let mark: VerifiedMark;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    audit = new AuditService(ds);
    signer = await AuditSigner.fromSeed(randomBytes(32));
    sealer = new AuditSealer(ds, signer, audit, { checkpointEvery: 10, retentionDays: () => 365 });
    await audit.recordMany(Array.from({ length: 35 }, (_, i) => entry(i)));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('verifies everything the first time, then only what was sealed since, and records a signed mark each time', async () => {
    const first = await sealer.verify();
    expect(first).toMatchObject({ ok: true, mode: 'full', fromSeq: null, checked: 35, checkpoints: 4 });
    await audit.recordMany(Array.from({ length: 12 }, (_, i) => entry(100 + i)));
    const next = await sealer.verify();
    expect(next).toMatchObject({ ok: true, mode: 'incremental', fromSeq: '35', checked: 12, checkpoints: 2, lastSeq: '47' });
    // Nothing new: nothing recomputed, and the chain still reaches its last entry.
    expect(await sealer.verify()).toMatchObject({ ok: true, mode: 'incremental', fromSeq: '47', checked: 0, lastSeq: '47' });
    expect(await sealer.verify({ full: true })).toMatchObject({ ok: true, mode: 'full', checked: 47, checkpoints: 6 });
    const rows: { mode: string; seq: string; checked: string }[] = await ds.query(`SELECT mode, seq::text, checked::text FROM audit_verifications ORDER BY id`);
    expect(rows).toEqual([
      { mode: 'full', seq: '35', checked: '35' },
      { mode: 'incremental', seq: '47', checked: '12' },
      { mode: 'full', seq: '47', checked: '47' },
    ]);
    mark = (await lastSignedMark((sql, params) => ds.query(sql, params), signer.publicKeys))!;
    expect(mark).toMatchObject({ seq: '47', eventId: await idAt(ds, 47), checkpointId: '6' });
  });

  it('detects a new entry edited, and a history rewritten before the mark', async () => {
    await audit.recordMany(Array.from({ length: 8 }, (_, i) => entry(200 + i)));
    await sealer.seal();
    const incremental = (q: Query) => verifyChain(q, signer.publicKeys, { from: mark });
    const full = (q: Query) => verifyChain(q, signer.publicKeys);
    expect(await tampered(ds, incremental, async () => undefined)).toMatchObject({ ok: true, mode: 'incremental', checked: 8 });

    const victim = await idAt(ds, 50);
    expect(await tampered(ds, incremental, (q) => q(`UPDATE audit_events SET purpose = 'x' WHERE seq = 50`))).toMatchObject({
      ok: false,
      reason: 'hash_mismatch',
      firstBrokenId: victim,
    });
    // Entry 20 rewritten and the chain re-hashed after it: the hash at the mark changed.
    expect(await tampered(ds, incremental, (q) => rewriteFrom(q, 20))).toMatchObject({ ok: false, reason: 'verified_mismatch', firstBrokenId: mark.eventId });
    expect(await tampered(ds, full, (q) => rewriteFrom(q, 20))).toMatchObject({ ok: false, reason: 'checkpoint_mismatch', brokenSeq: '20' });
    // The checkpoint the mark ends on deleted, or a forged checkpoint after it.
    expect(await tampered(ds, incremental, (q) => q(`DELETE FROM audit_checkpoints WHERE id = 6`))).toMatchObject({ ok: false, reason: 'verified_mismatch' });
    expect(await tampered(ds, incremental, (q) => q(`UPDATE audit_checkpoints SET entries = entries + 1 WHERE id = 7`))).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    // The limit, as documented: an entry before the mark edited in place, its stored hash left alone, is seen by a full run only.
    const early = await idAt(ds, 12);
    const inPlace = (q: Query) => q(`UPDATE audit_events SET purpose = 'x' WHERE seq = 12`);
    expect(await tampered(ds, incremental, inPlace)).toMatchObject({ ok: true });
    expect(await tampered(ds, full, inPlace)).toMatchObject({ ok: false, reason: 'hash_mismatch', firstBrokenId: early });
  });
});

describe('a forged verification mark', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let signer: AuditSigner;
  let sealer: AuditSealer;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    signer = await AuditSigner.fromSeed(randomBytes(32));
    const audit = new AuditService(ds);
    sealer = new AuditSealer(ds, signer, audit, { checkpointEvery: 10, retentionDays: () => 365 });
    await audit.recordMany(Array.from({ length: 30 }, (_, i) => entry(i)));
    await sealer.seal();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('skips nothing: unsigned or signed by a stranger, it is passed over and the rewritten entry is found', async () => {
    const [tip] = (await ds.query(`SELECT seq::text, id::text, hash FROM audit_events ORDER BY seq DESC LIMIT 1`)) as {
      seq: string;
      id: string;
      hash: Buffer;
    }[];
    const stranger = await AuditSigner.fromSeed(randomBytes(32));
    // "Verified up to the tip", as the application role could insert it.
    for (const [keyId, signature] of [
      [signer.keyId, randomBytes(64)],
      [stranger.keyId, stranger.sign(Buffer.from('anything'))],
    ] as const) {
      await ds.query(
        `INSERT INTO audit_verifications (seq, event_id, hash, checkpoint_id, mode, checked, verified_at, key_id, signature) VALUES ($1, $2, $3, 3, 'full', 30, now(), $4, $5)`,
        [tip.seq, tip.id, tip.hash, keyId, signature],
      );
    }
    const victim = await idAt(ds, 7);
    await ds.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE audit_events SET purpose = 'rewritten' WHERE seq = 7`);
    });
    expect(await sealer.verify()).toMatchObject({ ok: false, mode: 'full', reason: 'hash_mismatch', firstBrokenId: victim });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_verifications`);
    expect(n).toBe(2); // a broken chain records no mark
  });
});

describe('incremental verification across a purge, and the CLI --state file', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let signer: AuditSigner;
  let sealer: AuditSealer;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    signer = await AuditSigner.fromSeed(randomBytes(32));
    await registerAuditTrust(ds, { publicKeys: [signer.publicKey] });
    sealer = new AuditSealer(ds, signer, new AuditService(ds), { checkpointEvery: 10, retentionDays: () => 365 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-verify-state-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('starts again from the purge checkpoint when the mark was purged away', async () => {
    await ds.query(`INSERT INTO audit_events (at, action, decision) SELECT now() - interval '400 days', 'test.old', 'allow' FROM generate_series(1, 15)`);
    expect(await sealer.verify()).toMatchObject({ ok: true, mode: 'full', checked: 15 });
    await ds.query(`INSERT INTO audit_events (at, action, decision) SELECT now(), 'test.new', 'allow' FROM generate_series(1, 4)`);
    expect(await sealer.purge()).toMatchObject({ purged: 15, throughSeq: '15' });
    // Left: the 4 new entries and the audit.purge entry, all after the mark.
    expect(await sealer.verify()).toMatchObject({ ok: true, mode: 'incremental', fromSeq: '15', checked: 5, purgedThroughSeq: '15' });
  });

  it('the CLI records where it got to in --state, and --full recomputes everything', async () => {
    const state = path.join(dir, 'verified.json');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) };
    const env = { DATABASE_URL: db.url, CELLULE_AUDIT_PUBLIC_KEYS: signer.publicKeyBase64 };
    const run = async (...args: string[]) => {
      out.length = 0;
      const code = await runAuditVerify(['--state', state, ...args], env, io);
      return { code, report: JSON.parse(out.join('\n')) as VerifyReport };
    };
    expect(await run()).toMatchObject({ code: 0, report: { ok: true, mode: 'full', checked: 5 } });
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ format: 'cellule-audit-verified-state-v1', seq: '20' });
    await new AuditService(ds).recordMany([entry(1), entry(2), entry(3)]);
    await sealer.seal();
    expect(await run()).toMatchObject({ code: 0, report: { ok: true, mode: 'incremental', fromSeq: '20', checked: 3 } });
    expect(err.join('\n')).toMatch(/intact: 3 entries.* since sequence 20/);
    expect(await run('--full')).toMatchObject({ code: 0, report: { ok: true, mode: 'full', checked: 8 } });
    // A chain rewritten before the recorded end is reported, and the state is left as it was.
    await ds.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE audit_events SET hash = $1 WHERE seq = 23`, [randomBytes(32)]);
    });
    expect(await run()).toMatchObject({ code: 1, report: { ok: false, reason: 'verified_mismatch' } });
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ seq: '23' });
  });
});
