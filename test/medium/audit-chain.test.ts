import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_ROLE } from '../../migrations/1795432247962-AuditChain.js';
import { canonicalEntry, chainHash, CHAIN_COLUMNS, type ChainRow } from '../../src/audit/audit-chain.js';
import { AuditSealer } from '../../src/audit/audit-sealer.js';
import { AuditSigner, type PublicKeySet } from '../../src/audit/audit-signer.js';
import { registerAuditTrust } from '../../src/audit/audit-trust.js';
import { runAuditVerify } from '../../src/audit/audit-verify-cli.js';
import { verifyAuditOffline, verifyChain, type Query, type VerifyReport } from '../../src/audit/audit-verify.js';
import { AuditService, type AuditEntry } from '../../src/audit/audit.service.js';
import { createDataSource } from '../../src/database/data-source.js';
import { asSystem } from '../../src/database/territory-scope.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actorId: null,
  organisationId: null,
  action: 'test.entry',
  decision: i % 3 ? 'allow' : 'deny',
  classes: i % 2 ? ['summary'] : [],
  purpose: `n${i}`,
  requestId: `req-${i}`,
  detail: { i, nested: { b: 1, a: [i, 'x'] } },
  ...extra,
});

async function ids(ds: DataSource, where = 'true'): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(`SELECT e.id::text AS id FROM audit_events e WHERE ${where} ORDER BY e.seq NULLS LAST, e.id`);
  return rows.map((r) => r.id);
}

/** Runs `tamper` as a superuser with triggers off, verifies inside the same transaction, rolls it all back. */
async function tampered(ds: DataSource, keys: PublicKeySet, tamper: (q: Query) => Promise<unknown>): Promise<VerifyReport> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  try {
    const q: Query = (sql, params) => qr.query(sql, params);
    await q(`SET LOCAL session_replication_role = replica`);
    await tamper(q);
    await q(`SET LOCAL session_replication_role = origin`);
    return await verifyChain(q, keys);
  } finally {
    await qr.rollbackTransaction();
    await qr.release();
  }
}

/** What a superuser without the signing key can do: rewrite every hash from entry `fromSeq` on. */
async function rewriteChainFrom(q: Query, fromSeq: number): Promise<void> {
  const [prev] = (await q(`SELECT hash FROM audit_events WHERE seq = $1`, [fromSeq - 1])) as { hash: Buffer }[];
  let hash = prev.hash;
  const rows = (await q(`SELECT ${CHAIN_COLUMNS} FROM audit_events e WHERE e.seq >= $1 ORDER BY e.seq`, [fromSeq])) as unknown as ChainRow[];
  for (const row of rows) {
    hash = chainHash(hash, canonicalEntry(row, row.seq!, row.prevId));
    await q(`UPDATE audit_events SET hash = $2 WHERE id = $1`, [row.id, hash]);
  }
}

describe('audit chain (database)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let audit: AuditService;
  let signer: AuditSigner;
  let sealer: AuditSealer;

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

  describe('append-only trigger (even for the superuser the tests run as)', () => {
    it('refuses UPDATE, DELETE and TRUNCATE of entries, and pre-sealed inserts', async () => {
      const [id] = await ids(ds);
      await expect(ds.query(`UPDATE audit_events SET purpose = 'changed' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
      await expect(ds.query(`DELETE FROM audit_events WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
      await expect(ds.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
      await expect(ds.query(`INSERT INTO audit_events (action, decision, seq, hash) VALUES ('x', 'allow', 999, $1)`, [randomBytes(32)])).rejects.toThrow(
        /inserted unsealed/,
      );
      // The purge's session setting alone does not open the door to unsealed entries.
      await expect(
        ds.transaction(async (m) => {
          await m.query(`SET LOCAL cellule.audit_purge = 'on'`);
          await m.query(`DELETE FROM audit_events WHERE id = $1`, [id]);
        }),
      ).rejects.toThrow(/append-only/);
    });

    it('lets the chain columns be set once, from NULL, with nothing else changing', async () => {
      const [id] = await ids(ds, 'seq IS NULL');
      await ds.transaction(async (m) => {
        await expect(m.query(`UPDATE audit_events SET seq = 1000000, hash = $2, purpose = 'x' WHERE id = $1`, [id, randomBytes(32)])).rejects.toThrow(
          /append-only/,
        );
      });
      await ds
        .transaction(async (m) => {
          await m.query(`UPDATE audit_events SET seq = 1000000, hash = $2 WHERE id = $1`, [id, randomBytes(32)]);
          await expect(m.query(`UPDATE audit_events SET seq = 1000001 WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
          throw new Error('rollback');
        })
        .catch((error: Error) => {
          if (error.message !== 'rollback') throw error;
        });
      expect((await ds.query(`SELECT seq FROM audit_events WHERE id = $1`, [id]))[0].seq).toBeNull();
    });

    it('refuses UPDATE, DELETE and TRUNCATE of checkpoints', async () => {
      await sealer.seal();
      await expect(ds.query(`UPDATE audit_checkpoints SET entries = 0`)).rejects.toThrow(/append-only/);
      await expect(ds.query(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/append-only/);
      await expect(ds.query(`TRUNCATE audit_checkpoints`)).rejects.toThrow(/append-only/);
    });
  });

  describe('sealing', () => {
    it('chains every entry and signs a checkpoint every N entries and at the end of a run', async () => {
      const report = await sealer.verify();
      expect(report).toMatchObject({ ok: true, firstBrokenId: null, reason: null, unsealed: 0, firstSeq: '1' });
      expect(report.checked).toBe(35);
      expect(report.checkpoints).toBe(4); // 10, 20, 30, 35
      expect(report.lastCheckpoint).toMatchObject({ seq: '35', keyId: signer.keyId });
      const cps: { seq: string; entries: string }[] = await ds.query(`SELECT seq::text, entries::text FROM audit_checkpoints ORDER BY id`);
      expect(cps).toEqual([
        { seq: '10', entries: '10' },
        { seq: '20', entries: '10' },
        { seq: '30', entries: '10' },
        { seq: '35', entries: '5' },
      ]);
    });

    it('never blocks writers: entries are inserted while a sealer holds its lock', async () => {
      const runner = ds.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query(`SELECT pg_advisory_xact_lock(7272740401)`);
        await audit.recordMany([entry(100), entry(101)]);
        await audit.record(entry(102));
        expect(await sealer.seal({ wait: false })).toMatchObject({ skipped: true, sealed: 0 });
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      expect(await sealer.seal({ wait: false })).toMatchObject({ skipped: false, sealed: 3 });
    });

    it('seals an entry committed late (after a later id was sealed) at the tip', async () => {
      const late = ds.createQueryRunner();
      await late.connect();
      await late.startTransaction();
      try {
        await audit.record(entry(200, { action: 'test.late' }), late.manager);
        await audit.record(entry(201, { action: 'test.early' }));
        await sealer.seal();
        await late.commitTransaction();
      } finally {
        await late.release();
      }
      await sealer.seal();
      const [lateRow]: { id: string; seq: string }[] = await ds.query(`SELECT id::text, seq::text FROM audit_events WHERE action = 'test.late'`);
      const [earlyRow]: { id: string; seq: string }[] = await ds.query(`SELECT id::text, seq::text FROM audit_events WHERE action = 'test.early'`);
      expect(BigInt(lateRow.id)).toBeLessThan(BigInt(earlyRow.id));
      expect(BigInt(lateRow.seq)).toBeGreaterThan(BigInt(earlyRow.seq));
      expect(await sealer.verify()).toMatchObject({ ok: true, unsealed: 0 });
    });

    it('stays one chain when several sealers run at once', async () => {
      await audit.recordMany(Array.from({ length: 95 }, (_, i) => entry(300 + i)));
      const other = new AuditSealer(ds, signer, audit, { checkpointEvery: 7, retentionDays: () => 365 });
      const results = await Promise.all([sealer.seal(), other.seal(), sealer.seal({ wait: false }), other.seal()]);
      expect(results.reduce((n, r) => n + r.sealed, 0)).toBe(95);
      const report = await sealer.verify({ full: true });
      expect(report).toMatchObject({ ok: true, unsealed: 0 });
      const [{ n, max }] = await ds.query(`SELECT count(*)::int AS n, max(seq)::int AS max FROM audit_events`);
      expect(report.checked).toBe(n);
      expect(max).toBe(n);
    });
  });

  describe('verification reports the first broken entry', () => {
    let keys: PublicKeySet;
    let chain: string[];
    beforeAll(async () => {
      keys = signer.publicKeys;
      await sealer.seal();
      chain = await ids(ds);
    });

    it('an edited entry, by its id', async () => {
      const target = chain[17];
      const report = await tampered(ds, keys, (q) => q(`UPDATE audit_events SET purpose = 'rewritten' WHERE id = $1`, [target]));
      expect(report).toMatchObject({ ok: false, firstBrokenId: target, reason: 'hash_mismatch' });
      const time = await tampered(ds, keys, (q) => q(`UPDATE audit_events SET at = at - interval '1 microsecond' WHERE id = $1`, [chain[3]]));
      expect(time).toMatchObject({ ok: false, firstBrokenId: chain[3] });
      const detail = await tampered(ds, keys, (q) => q(`UPDATE audit_events SET detail = detail || '{"x":1}' WHERE id = $1`, [chain[40]]));
      expect(detail).toMatchObject({ ok: false, firstBrokenId: chain[40] });
    });

    it('a deleted entry, by its id (in the middle, first or last)', async () => {
      for (const target of [chain[22], chain[0], chain[chain.length - 1]]) {
        const report = await tampered(ds, keys, (q) => q(`DELETE FROM audit_events WHERE id = $1`, [target]));
        expect(report).toMatchObject({ ok: false, firstBrokenId: target });
      }
      const middle = await tampered(ds, keys, (q) => q(`DELETE FROM audit_events WHERE id = $1`, [chain[22]]));
      expect(middle.reason).toBe('missing_entry');
    });

    it('a reordered entry, by its id', async () => {
      const target = chain[12];
      const moved = await tampered(ds, keys, async (q) => {
        const [{ max }] = (await q(`SELECT max(seq) AS max FROM audit_events`)) as { max: string }[];
        await q(`UPDATE audit_events SET seq = $2 WHERE id = $1`, [target, String(BigInt(max) + 1n)]);
      });
      expect(moved).toMatchObject({ ok: false, firstBrokenId: target });
      // Two neighbours swapped: the one that moved up is no longer preceded by what it recorded.
      const swapped = await tampered(ds, keys, async (q) => {
        await q(`UPDATE audit_events SET seq = seq + 1000000 WHERE id IN ($1, $2)`, [chain[30], chain[31]]);
        await q(`UPDATE audit_events SET seq = CASE WHEN id = $1 THEN 32 ELSE 31 END WHERE id IN ($1, $2)`, [chain[30], chain[31]]);
      });
      expect(swapped.ok).toBe(false);
      expect(swapped.firstBrokenId).toBe(chain[30]);
    });

    it('a rewritten chain (hashes recomputed without the key): the first entry the failing checkpoint covers', async () => {
      // Checkpoints of `sealer` are at 10, 20, 30…: rewriting from entry 25 on is caught at checkpoint 30.
      const report = await tampered(ds, keys, async (q) => {
        await q(`UPDATE audit_events SET purpose = 'rewritten' WHERE seq = 25`);
        await rewriteChainFrom(q, 25);
      });
      expect(report).toMatchObject({ ok: false, reason: 'checkpoint_mismatch', firstBrokenId: chain[20], brokenSeq: '30' });
    });

    it('forged, deleted or foreign checkpoints', async () => {
      const forged = await tampered(ds, keys, (q) => q(`UPDATE audit_checkpoints SET entries = entries + 1 WHERE id = 2`));
      expect(forged).toMatchObject({ ok: false, reason: 'bad_signature', firstBrokenId: chain[10], brokenSeq: '20' });
      const deleted = await tampered(ds, keys, (q) => q(`DELETE FROM audit_checkpoints WHERE id = 2`));
      expect(deleted).toMatchObject({ ok: false, reason: 'missing_checkpoint', firstBrokenId: chain[10] });
      const stranger = await AuditSigner.fromSeed(randomBytes(32));
      expect(await tampered(ds, stranger.publicKeys, async () => undefined)).toMatchObject({ ok: false, reason: 'unknown_key', firstBrokenId: chain[0] });
    });

    it('a prefix deleted without a purge', async () => {
      const report = await tampered(ds, keys, (q) => q(`DELETE FROM audit_events WHERE seq <= 5`));
      expect(report).toMatchObject({ ok: false, reason: 'missing_prefix', firstBrokenId: chain[4] });
    });

    it('and is intact again once everything was rolled back', async () => {
      expect(await sealer.verify({ full: true })).toMatchObject({ ok: true, checked: chain.length });
    });
  });

  describe('the application role', () => {
    let appDs: DataSource;
    const login = `cellule_app_t_${randomBytes(4).toString('hex')}`;
    beforeAll(async () => {
      await ds.query(`CREATE ROLE ${login} LOGIN PASSWORD 'app-test-password' IN ROLE ${APP_ROLE}`);
      const url = new URL(db.url);
      url.username = login;
      url.password = 'app-test-password';
      appDs = createDataSource(url.toString(), { poolSize: 3 });
      await appDs.initialize();
    });
    afterAll(async () => {
      await appDs?.destroy();
      await ds.query(`DROP ROLE IF EXISTS ${login}`);
    });

    it('may insert and read audit rows, never update, delete or truncate them', async () => {
      const appAudit = new AuditService(appDs);
      await appAudit.record(entry(900, { action: 'test.app-role' }));
      // Its entry has no territory: outside any scope the role reads none of it (row-level security), across territories it does.
      expect(await appDs.query(`SELECT id::text FROM audit_events WHERE action = 'test.app-role'`)).toEqual([]);
      const [{ id }] = await asSystem('test', () => appDs.query(`SELECT id::text FROM audit_events WHERE action = 'test.app-role'`));
      await expect(appDs.query(`UPDATE audit_events SET purpose = 'x' WHERE id = $1`, [id])).rejects.toThrow(/permission denied/);
      await expect(appDs.query(`DELETE FROM audit_events WHERE id = $1`, [id])).rejects.toThrow(/permission denied/);
      await expect(appDs.query(`TRUNCATE audit_events`)).rejects.toThrow(/permission denied/);
      await expect(appDs.query(`UPDATE audit_checkpoints SET entries = 0`)).rejects.toThrow(/permission denied/);
      await expect(appDs.query(`SELECT audit_purge(1, now() - interval '10 days', 1)`)).rejects.toThrow(/kept at least 365 days/);
      // …works on the other tables as usual, and starts on a migrated database (nothing pending, nothing to create).
      await expect(appDs.query(`SELECT count(*) FROM cases`)).resolves.toHaveLength(1);
      await expect(appDs.runMigrations({ transaction: 'each' })).resolves.toEqual([]);
      await expect(appDs.query(`DELETE FROM schema_migrations`)).rejects.toThrow(/permission denied/);
    });

    it('seals and verifies through the SECURITY DEFINER door', async () => {
      const appSealer = new AuditSealer(appDs, signer, new AuditService(appDs), { retentionDays: () => 365 });
      expect((await appSealer.seal()).sealed).toBeGreaterThan(0);
      expect(await appSealer.verify()).toMatchObject({ ok: true, unsealed: 0 });
    });
  });
});

describe('audit retention purge', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let signer: AuditSigner;
  let sealer: AuditSealer;
  const insertAged = (n: number, days: number) =>
    ds.query(
      `INSERT INTO audit_events (at, action, decision, purpose, detail)
       SELECT now() - make_interval(days => $2) + make_interval(secs => g), 'test.aged', 'allow', 'aged ' || g, jsonb_build_object('g', g)
         FROM generate_series(1, $1) AS g`,
      [n, days],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    signer = await AuditSigner.fromSeed(randomBytes(32));
    sealer = new AuditSealer(ds, signer, new AuditService(ds), { checkpointEvery: 8, retentionDays: () => 365 });
    // What `npm run migrate` does as the owner: the database trusts this key's purge checkpoints.
    await registerAuditTrust(ds, { retentionDays: 365, publicKeys: [signer.publicKey] });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('deletes the sealed prefix older than auditLogDays behind a signed checkpoint, and the rest still verifies', async () => {
    await insertAged(30, 400);
    await insertAged(10, 10);
    await insertAged(3, 500); // old, but after recent entries in the chain: kept (only a prefix is purged)
    const result = await sealer.purge();
    expect(result).toMatchObject({ purged: 30, throughSeq: '30', skipped: false });
    const [cp] = await ds.query(`SELECT kind, seq::text, entries::text FROM audit_checkpoints WHERE id = $1`, [result.checkpointId]);
    expect(cp).toEqual({ kind: 'purge', seq: '30', entries: '30' });
    const [{ left }] = await ds.query(`SELECT count(*)::int AS left FROM audit_events WHERE action = 'test.aged'`);
    expect(left).toBe(13);
    const [logged] = await ds.query(`SELECT decision, actor_id, detail FROM audit_events WHERE action = 'audit.purge'`);
    expect(logged).toMatchObject({ decision: 'allow', actor_id: null, detail: { purged: 30, throughSeq: '30', checkpointId: result.checkpointId } });
    const report = await sealer.verify();
    expect(report).toMatchObject({ ok: true, firstSeq: '31', purgedThroughSeq: '30', unsealed: 0 });
    expect(report.checked).toBe(14); // 13 kept + the audit.purge entry
    expect(await sealer.purge()).toMatchObject({ purged: 0, throughSeq: null });
  });

  it('still detects tampering after a purge, and a purge checkpoint cannot be skipped', async () => {
    const [first] = await ids(ds);
    const report = await tampered(ds, signer.publicKeys, (q) => q(`UPDATE audit_events SET purpose = 'x' WHERE id = $1`, [first]));
    expect(report).toMatchObject({ ok: false, firstBrokenId: first, reason: 'hash_mismatch' });
    const [{ seq }] = await ds.query(`SELECT seq::text FROM audit_events WHERE id = $1`, [first]);
    await expect(ds.query(`SELECT audit_purge($1, now() - interval '400 days', 1)`, [seq])).rejects.toThrow(/no purge checkpoint/);
    await expect(ds.query(`SELECT audit_purge($1, now() - interval '100 days', 1)`, [seq])).rejects.toThrow(/kept at least 365 days/);
  });

  it('keeps the chain verifiable when everything sealed is purged', async () => {
    const other = await createTestDatabase();
    try {
      const s = new AuditSealer(other.dataSource, signer, new AuditService(other.dataSource), { retentionDays: () => 365 });
      await registerAuditTrust(other.dataSource, { publicKeys: [signer.publicKey] });
      await other.dataSource.query(
        `INSERT INTO audit_events (at, action, decision) SELECT now() - interval '600 days', 'test.old', 'allow' FROM generate_series(1, 5)`,
      );
      expect(await s.purge()).toMatchObject({ purged: 5 });
      // Only the audit.purge entry is left; it continues the chain after the purged prefix.
      expect(await s.verify()).toMatchObject({ ok: true, checked: 1, firstSeq: '6', purgedThroughSeq: '5' });
    } finally {
      await other.drop();
    }
  });
});

describe('offline verification (CLI)', () => {
  let db: TestDatabase;
  let signer: AuditSigner;
  beforeAll(async () => {
    db = await createTestDatabase();
    signer = await AuditSigner.fromSeed(randomBytes(32));
    const audit = new AuditService(db.dataSource);
    await audit.recordMany(Array.from({ length: 12 }, (_, i) => entry(i)));
    await new AuditSealer(db.dataSource, signer, audit, { checkpointEvery: 5, retentionDays: () => 365 }).seal();
    await audit.record(entry(99)); // not sealed yet: counted, not verified
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('verifyAuditOffline checks the chain with the given public keys, read-only', async () => {
    const report = await verifyAuditOffline(db.url, [signer.publicKeyBase64]);
    expect(report).toMatchObject({ ok: true, checked: 12, checkpoints: 3, unsealed: 1 });
    const stranger = await AuditSigner.fromSeed(randomBytes(32));
    expect(await verifyAuditOffline(db.url, [stranger.publicKeyBase64])).toMatchObject({ ok: false, reason: 'unknown_key' });
    await expect(verifyAuditOffline(db.url, ['not-a-key'])).rejects.toThrow(/public key number 1/);
  });

  it('the command prints the report and exits 0 when intact, 1 when broken, 2 when it cannot run', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) };
    expect(await runAuditVerify(['--public-key', signer.publicKeyBase64], { DATABASE_URL: db.url }, io)).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: true, checked: 12 });
    expect(err.join('\n')).toMatch(/intact/);

    const [victim] = await ids(db.dataSource);
    await db.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE audit_events SET action = 'test.forged' WHERE id = $1`, [victim]);
    });
    out.length = 0;
    expect(await runAuditVerify([], { DATABASE_URL: db.url, CELLULE_AUDIT_PUBLIC_KEYS: signer.publicKeyBase64 }, io)).toBe(1);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: false, firstBrokenId: victim });
    expect(err.join('\n')).toContain(`BROKEN at entry ${victim}`);
    expect(await runAuditVerify(['--bogus'], { DATABASE_URL: db.url }, io)).toBe(2);
  });
});
