import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { anchorOf, checkAnchor, lastAnchor, latestCheckpoint, type Anchor } from '../../src/audit/audit-anchor.js';
import { AuditSealer } from '../../src/audit/audit-sealer.js';
import { AuditSigner } from '../../src/audit/audit-signer.js';
import { verifyAuditOffline, verifyChain, type Query, type VerifyReport } from '../../src/audit/audit-verify.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Anchors (src/audit/audit-anchor.ts): deleting the newest entries together with the newest
 * checkpoints leaves a chain that verifies on its own; against the last anchor copied out of the
 * database, the cut is reported with the number of entries missing.
 */
describe('audit anchors: a cut tail is detected', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let signer: AuditSigner;
  let anchor: Anchor;
  const query =
    (d: DataSource): Query =>
    (sql, params) =>
      d.query(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    const audit = new AuditService(ds);
    signer = await AuditSigner.fromSeed(randomBytes(32));
    const sealer = new AuditSealer(ds, signer, audit, { checkpointEvery: 10, retentionDays: () => 365 });
    for (let round = 0; round < 3; round++) {
      await audit.recordMany(
        Array.from({ length: 10 }, (_, i) => ({
          actorId: null,
          organisationId: null,
          action: 'test.entry',
          decision: 'allow' as const,
          purpose: `r${round}-${i}`,
        })),
      );
      await sealer.seal();
    }
    const head = await latestCheckpoint(query(ds));
    anchor = lastAnchor(`${JSON.stringify(anchorOf(head!, new Date()))}\n\n`);
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** Cuts the tail after `keepThroughSeq` (entries and their checkpoints, triggers off, as a superuser), verifies, rolls back. */
  async function cut(keepThroughSeq: number, verify: (q: Query) => Promise<VerifyReport>, checkpointsToo = true): Promise<VerifyReport> {
    const qr = ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      const q: Query = (sql, params) => qr.query(sql, params);
      await q(`SET LOCAL session_replication_role = replica`);
      await q(`DELETE FROM audit_events WHERE seq > $1`, [keepThroughSeq]);
      if (checkpointsToo) await q(`DELETE FROM audit_checkpoints WHERE seq > $1`, [keepThroughSeq]);
      await q(`SET LOCAL session_replication_role = origin`);
      return await verify(q);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  }

  it('the anchored head is the newest signed checkpoint, and an intact log verifies against it', async () => {
    expect(anchor).toMatchObject({ format: 'cellule-audit-anchor-v1', seq: '30' });
    const report = await verifyAuditOffline(db.url, signer.publicKeys, { anchor });
    expect(report).toMatchObject({ ok: true, reason: null, lastSeq: '30', anchor: { id: anchor.id, seq: '30', missingEntries: 0 } });
  });

  it('a cut tail still verifies without the anchor, and is reported with the missing count against it', async () => {
    const alone = await cut(20, (q) => verifyChain(q, signer.publicKeys));
    expect(alone).toMatchObject({ ok: true, lastSeq: '20' });
    const anchored = await cut(20, async (q) => checkAnchor(q, signer.publicKeys, anchor, await verifyChain(q, signer.publicKeys)));
    expect(anchored).toMatchObject({ ok: false, reason: 'truncated', brokenSeq: '21', anchor: { seq: '30', missingEntries: 10 } });
  });

  it('an entry-only cut (checkpoints kept) and a cut of everything are reported too', async () => {
    const entriesOnly = await cut(25, async (q) => checkAnchor(q, signer.publicKeys, anchor, await verifyChain(q, signer.publicKeys)), false);
    expect(entriesOnly).toMatchObject({ ok: false, reason: 'truncated', anchor: { missingEntries: 5 } });
    const all = await cut(0, async (q) => checkAnchor(q, signer.publicKeys, anchor, await verifyChain(q, signer.publicKeys)));
    expect(all).toMatchObject({ ok: false, reason: 'truncated', anchor: { missingEntries: 30 } });
  });

  it('refuses an anchor whose signature is not from a trusted key', async () => {
    const forged = { ...anchor, seq: '5' };
    const report = await checkAnchor(query(ds), signer.publicKeys, forged, await verifyChain(query(ds), signer.publicKeys));
    expect(report).toMatchObject({ ok: false, reason: 'anchor_signature' });
    const stranger = await AuditSigner.fromSeed(randomBytes(32));
    expect(await checkAnchor(query(ds), stranger.publicKeys, anchor, await verifyChain(query(ds), signer.publicKeys))).toMatchObject({
      ok: false,
      reason: 'anchor_signature',
    });
  });
});
