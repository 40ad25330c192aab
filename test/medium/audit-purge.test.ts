import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sodium from 'libsodium-wrappers';
import type { DataSource } from 'typeorm';
import { APP_ROLE } from '../../migrations/1795432247962-AuditChain.js';
import { checkpointMessage, type Checkpoint } from '../../src/audit/audit-chain.js';
import { AuditSealer } from '../../src/audit/audit-sealer.js';
import { AuditSigner } from '../../src/audit/audit-signer.js';
import { readAuditTrust, registerAuditTrust } from '../../src/audit/audit-trust.js';
import { verifyChain, type Query } from '../../src/audit/audit-verify.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { runMigrate } from '../../src/cli/migrate.js';
import { createDataSource } from '../../src/database/data-source.js';
import { asSystem } from '../../src/database/territory-scope.js';
import { ErasureJournal } from '../../src/vault/erasure-journal.js';
import type { Keyring } from '../../src/vault/keyring.js';
import type { VaultService } from '../../src/vault/vault.service.js';
import type { WorkflowService } from '../../src/cases/workflow.service.js';
import { replayErasures } from '../../src/jobs/erasures.js';
import { createAuditSealer } from '../../src/audit/audit-setup.js';
import { AccessService } from '../../src/access/access.service.js';
import { loadPolicy } from '../../src/access/policy.loader.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Issue 14, item 3: the database's purge door checks the purge checkpoint's signature and the
 * retention itself, so that the application role cannot purge by writing a checkpoint row of its
 * own or by asking for a shorter retention.
 */
describe('the database checks a purge itself', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let appDs: DataSource;
  let signer: AuditSigner;
  const login = `cellule_purge_t_${randomBytes(4).toString('hex')}`;

  const insertAged = (n: number, days: number) =>
    ds.query(
      `INSERT INTO audit_events (at, action, decision, purpose) SELECT now() - make_interval(days => $2) + make_interval(secs => g), 'test.aged', 'allow', 'aged ' || g FROM generate_series(1, $1) AS g`,
      [n, days],
    );

  /** A purge checkpoint row over entry `seq` written directly, as the application role may (it INSERTs the sealer's checkpoints). */
  async function forgeCheckpoint(
    q: Query,
    seq: string,
    sign: (message: Buffer, body: Omit<Checkpoint, 'signature'>) => Buffer,
    keyId = signer.keyId,
  ): Promise<string> {
    const [entry] = (await q(`SELECT id::text AS id, hash FROM audit_events WHERE seq = $1`, [seq])) as { id: string; hash: Buffer }[];
    const [{ next }] = (await q(`SELECT (coalesce(max(id), 0) + 1)::text AS next FROM audit_checkpoints`)) as { next: string }[];
    const body: Omit<Checkpoint, 'signature'> = {
      id: next,
      kind: 'purge',
      seq,
      eventId: entry.id,
      hash: entry.hash,
      entries: seq,
      createdAt: new Date().toISOString(),
      keyId,
    };
    await q(
      `INSERT INTO audit_checkpoints (id, kind, seq, event_id, hash, entries, created_at, key_id, signature) VALUES ($1, 'purge', $2, $3, $4, $5, $6, $7, $8)`,
      [next, seq, entry.id, entry.hash, body.entries, body.createdAt, keyId, sign(checkpointMessage(body), body)],
    );
    return next;
  }

  /**
   * Runs `fn` as the application role in a transaction that is rolled back whatever happens, across
   * territories as the sealer's purge reads the log (row-level security, migration AuditRowSecurity).
   */
  async function asApp<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    return asSystem('test: the purge', async () => {
      const runner = appDs.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        return await fn((sql, params) => runner.query(sql, params));
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    await ds.query(`CREATE ROLE ${login} LOGIN PASSWORD 'purge-test-password' IN ROLE ${APP_ROLE}`);
    const url = new URL(db.url);
    url.username = login;
    url.password = 'purge-test-password';
    appDs = createDataSource(url.toString(), { poolSize: 3 });
    await appDs.initialize();
    signer = await AuditSigner.fromSeed(randomBytes(32));
    await registerAuditTrust(ds, { retentionDays: 365, publicKeys: [signer.publicKey] });
    await insertAged(20, 500);
    await insertAged(5, 10);
    await new AuditSealer(appDs, signer, new AuditService(appDs), { checkpointEvery: 10, retentionDays: () => 365 }).seal();
  });
  afterAll(async () => {
    await appDs?.destroy();
    await ds?.query(`DROP ROLE IF EXISTS ${login}`);
    await db?.drop();
  });

  it('verifies Ed25519 signatures in SQL exactly as libsodium does', async () => {
    await sodium.ready;
    for (let i = 0; i < 4; i++) {
      const pair = sodium.crypto_sign_keypair();
      const message = randomBytes(i * 37);
      const signature = Buffer.from(sodium.crypto_sign_detached(message, pair.privateKey));
      const pk = Buffer.from(pair.publicKey);
      const verify = async (key: Buffer, msg: Buffer, sig: Buffer) =>
        ((await ds.query(`SELECT audit_ed25519_verify($1, $2, $3) AS ok`, [key, msg, sig])) as { ok: boolean }[])[0].ok;
      expect(await verify(pk, message, signature)).toBe(true);
      const flip = (b: Buffer, at: number) => Buffer.from(b.map((v, j) => (j === at ? v ^ 1 : v)));
      expect(await verify(pk, Buffer.concat([message, Buffer.from([0])]), signature)).toBe(false);
      expect(await verify(pk, message, flip(signature, 3))).toBe(false); // R
      expect(await verify(pk, message, flip(signature, 40))).toBe(false); // S
      expect(await verify(Buffer.from(sodium.crypto_sign_keypair().publicKey), message, signature)).toBe(false);
      expect(await verify(pk, message, Buffer.alloc(64))).toBe(false);
      if (message.length) expect(await verify(pk, flip(message, 0), signature)).toBe(false);
    }
  });

  it('keeps the trusted keys and the retention out of the application role’s reach', async () => {
    await expect(appDs.query(`UPDATE audit_settings SET retention_days = 183`)).rejects.toThrow(/permission denied/);
    await expect(appDs.query(`INSERT INTO audit_trusted_keys (key_id, public_key) VALUES ('x', $1)`, [randomBytes(32)])).rejects.toThrow(/permission denied/);
    await expect(appDs.query(`DELETE FROM audit_trusted_keys`)).rejects.toThrow(/permission denied/);
    expect(await readAuditTrust(appDs)).toEqual({ retentionDays: 365, keyIds: [signer.keyId] });
  });

  it('refuses an unsigned or badly signed checkpoint, or one of a key it does not trust', async () => {
    const cutoff = `now() - interval '400 days'`;
    const unsigned = await asApp(async (q) => {
      const id = await forgeCheckpoint(q, '20', () => Buffer.alloc(64));
      return q(`SELECT audit_purge(20, ${cutoff}, $1)`, [id]).then(
        () => null,
        (e: Error) => e.message,
      );
    });
    expect(unsigned).toMatch(/signature of purge checkpoint \d+ does not verify/);
    // Signed by the trusted key, but over another message (a seal checkpoint's, say): the row says something the key never signed.
    const resigned = await asApp(async (q) => {
      const id = await forgeCheckpoint(q, '20', (_m, body) => signer.sign(checkpointMessage({ ...body, kind: 'seal' })));
      return q(`SELECT audit_purge(20, ${cutoff}, $1)`, [id]).then(
        () => null,
        (e: Error) => e.message,
      );
    });
    expect(resigned).toMatch(/does not verify/);
    const stranger = await AuditSigner.fromSeed(randomBytes(32));
    const foreign = await asApp(async (q) => {
      const id = await forgeCheckpoint(q, '20', (m) => stranger.sign(m), stranger.keyId);
      return q(`SELECT audit_purge(20, ${cutoff}, $1)`, [id]).then(
        () => null,
        (e: Error) => e.message,
      );
    });
    expect(foreign).toMatch(new RegExp(`signed by key ${stranger.keyId}, which the database does not trust`));
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(n).toBe(25);
  });

  it('refuses entries within the retention registered in the database, whatever the caller says', async () => {
    // A correctly signed checkpoint over the 20 old entries: only the cut-off is wrong.
    const early = await asApp(async (q) => {
      const id = await forgeCheckpoint(q, '20', (m) => signer.sign(m));
      return q(`SELECT audit_purge(20, now() - interval '200 days', $1)`, [id]).then(
        () => null,
        (e: Error) => e.message,
      );
    });
    expect(early).toMatch(/kept at least 365 days/);
    // Through the young entries, with an old cut-off: the prefix holds entries younger than it.
    const young = await asApp(async (q) => {
      const id = await forgeCheckpoint(q, '25', (m) => signer.sign(m));
      return q(`SELECT audit_purge(25, now() - interval '400 days', $1)`, [id]).then(
        () => null,
        (e: Error) => e.message,
      );
    });
    expect(young).toMatch(/younger than the cut-off/);
    // A longer retention registered by the owner wins over the policy the server was given.
    await registerAuditTrust(ds, { retentionDays: 600 });
    try {
      const sealer = new AuditSealer(appDs, signer, new AuditService(appDs), { retentionDays: () => 365 });
      await expect(asApp((q) => q(`SELECT audit_purge(20, now() - interval '400 days', 1)`))).rejects.toThrow(/kept at least 600 days/);
      expect(await sealer.purge()).toMatchObject({ purged: 0, throughSeq: null });
    } finally {
      await registerAuditTrust(ds, { retentionDays: 365 });
    }
  });

  it('purges with a checkpoint signed by a trusted key, and the rest verifies; the purge goes to the erasure journal', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-purge-journal-'));
    try {
      const journal = new ErasureJournal(path.join(dir, 'erasure-journal.jsonl'));
      const sealer = new AuditSealer(appDs, signer, new AuditService(appDs), { retentionDays: () => 365, journal });
      const result = await sealer.purge();
      expect(result).toMatchObject({ purged: 20, throughSeq: '20', skipped: false });
      expect(await sealer.verify()).toMatchObject({ ok: true, purgedThroughSeq: '20' });
      expect(journal.entries()).toEqual([
        { format: 'cellule-erasure-v1', at: expect.any(String), kind: 'audit.purge', throughSeq: '20', cutoff: result.cutoff },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a purge forged around the door (superuser, triggers off, forged checkpoint) is reported by verification', async () => {
    await insertAged(3, 10);
    await new AuditSealer(appDs, signer, new AuditService(appDs), { retentionDays: () => 365 }).seal();
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const q: Query = (sql, params) => runner.query(sql, params);
      const [{ first }] = (await q(`SELECT min(seq)::text AS first FROM audit_events`)) as { first: string }[];
      const through = String(BigInt(first) + 2n);
      const [entry] = (await q(`SELECT id::text AS id, hash FROM audit_events WHERE seq = $1`, [through])) as { id: string; hash: Buffer }[];
      await q(`SET LOCAL session_replication_role = replica`);
      await q(
        `INSERT INTO audit_checkpoints (id, kind, seq, event_id, hash, entries, created_at, key_id, signature) SELECT max(id) + 1, 'purge', $1, $2, $3, 3, now(), $4, $5 FROM audit_checkpoints`,
        [through, entry.id, entry.hash, signer.keyId, randomBytes(64)],
      );
      await q(`DELETE FROM audit_events WHERE seq <= $1`, [through]);
      await q(`SET LOCAL session_replication_role = origin`);
      const report = await verifyChain(q, signer.publicKeys);
      expect(report).toMatchObject({ ok: false, reason: 'missing_prefix' });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('npm run migrate registers the policy’s retention and the configured audit public key', async () => {
    const next = await AuditSigner.fromSeed(randomBytes(32));
    await registerAuditTrust(ds, { retentionDays: 400 });
    const lines: string[] = [];
    await runMigrate({ DATABASE_URL: db.url, CELLULE_AUDIT_PUBLIC_KEYS: next.publicKeyBase64, CELLULE_POLICIES_DIR: 'policies' }, (l) => lines.push(l));
    expect(await readAuditTrust(ds)).toEqual({ retentionDays: 365, keyIds: [signer.keyId, next.keyId] });
    expect(lines).toContain('audit retention registered: 365 days');
    expect(lines).toContain(`audit signing key trusted for purges (CELLULE_AUDIT_PUBLIC_KEYS): ${next.keyId}`);
  });

  it('the embedded start registers the policy and its signing key, as the owner it migrated with', async () => {
    const seed = randomBytes(32);
    const own = await AuditSigner.fromSeed(seed);
    const keyring = { source: 'test', currentKekId: 'k', keks: new Map(), blindIndexKey: randomBytes(32), auditSigningSeed: seed } as unknown as Keyring;
    const warnings: string[] = [];
    const log = { warn: (m: string) => void warnings.push(m), error: (m: string) => void warnings.push(m) };
    const policy = new AccessService(loadPolicy('policies'), new AuditService(appDs));
    await createAuditSealer({ dataSource: appDs, keyring, policy, production: false, log });
    expect(warnings.join('\n')).toContain(`does not trust the audit signing key ${own.keyId}`);
    warnings.length = 0;
    await createAuditSealer({ dataSource: appDs, keyring, policy, production: false, log, ownerUrl: db.url });
    expect((await readAuditTrust(appDs)).keyIds).toContain(own.keyId);
    expect(warnings).toEqual([]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'key.audit-signing.trust' AND detail->>'keyId' = $1`, [
      own.keyId,
    ]);
    expect(n).toBe(1);
  });

  it('a restore applies again the audit purges of the erasure journal', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-purge-replay-'));
    const other = await createTestDatabase();
    try {
      const ods = other.dataSource;
      await registerAuditTrust(ods, { publicKeys: [signer.publicKey] });
      await ods.query(`INSERT INTO audit_events (at, action, decision) SELECT now() - interval '500 days', 'test.old', 'allow' FROM generate_series(1, 4)`);
      await ods.query(`INSERT INTO audit_events (at, action, decision) SELECT now(), 'test.new', 'allow' FROM generate_series(1, 2)`);
      const sealer = new AuditSealer(ods, signer, new AuditService(ods), { retentionDays: () => 365 });
      await sealer.seal();
      // As after a restore: the journal says entries up to 4 were purged, the database holds them again.
      const journal = new ErasureJournal(path.join(dir, 'erasure-journal.jsonl'));
      journal.append([{ kind: 'audit.purge', throughSeq: '4', cutoff: new Date(Date.now() - 365 * 86_400_000).toISOString() }]);
      const report = await replayErasures({
        dataSource: ods,
        journal,
        workflow: {} as WorkflowService,
        vaultService: {} as VaultService,
        audit: new AuditService(ods),
        sealer,
        log: { warn: () => undefined, error: () => undefined },
      });
      expect(report.auditEntriesPurged).toBe(4);
      const [{ first }] = await ods.query(`SELECT min(seq)::text AS first FROM audit_events`);
      expect(first).toBe('5');
    } finally {
      await other.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
