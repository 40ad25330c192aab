import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeAuditKeyFile } from '../../src/audit/audit-key.js';
import { AuditSigner } from '../../src/audit/audit-signer.js';
import { type TestApp } from '../support/app.js';
import { call, createWorldApp, type World } from '../factories/world.js';

/** CELLULE_AUDIT_KEY: the sealer signs with the key of its own file, not the keyring's seed. */
describe('the audit signing key apart from the data keys', () => {
  let t: TestApp;
  let w: World;
  let dir: string;
  let expected: AuditSigner;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-audit-key-'));
    const file = path.join(dir, 'audit-signing.key');
    expected = await AuditSigner.fromSeed(writeAuditKeyFile(file));
    ({ t, w } = await createWorldApp({ CELLULE_AUDIT_KEY: file }));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals and signs with that key, and the log verifies with its public key', async () => {
    const sealer = t.app.get((await import('../../src/audit/audit-sealer.js')).AuditSealer);
    await sealer.seal();
    const report = await call(t, w.auditor.token, 'get', '/audit/verify');
    expect(report).toMatchObject({ ok: true, publicKey: expected.publicKeyBase64, keyIds: [expected.keyId] });
    expect(report.checkpoints).toBeGreaterThan(0);
    const [{ keys }] = (await t.db.dataSource.query(`SELECT array_agg(DISTINCT key_id) AS keys FROM audit_checkpoints`)) as { keys: string[] }[];
    expect(keys).toEqual([expected.keyId]);
  });
});
