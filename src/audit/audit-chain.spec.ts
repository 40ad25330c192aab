import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AccessService } from '../access/access.service.js';
import type { Keyring } from '../vault/keyring.js';
import { canonicalEntry, chainHash, checkpointMessage, GENESIS_HASH } from './audit-chain.js';
import { csvField } from './audit-query.service.js';
import { createAuditSealer } from './audit-setup.js';
import { AuditSigner, keyIdOf, publicKeySet, verifySignature } from './audit-signer.js';

const row = {
  id: '42',
  at: '2026-03-01T10:11:12.123456Z',
  actorId: '5b1f7f5e-0000-4000-8000-000000000001',
  organisationId: null,
  territoryId: null,
  action: 'case.read',
  caseId: '5b1f7f5e-0000-4000-8000-000000000002',
  classes: ['summary', 'identity'],
  decision: 'allow',
  purpose: 'referrer',
  requestId: 'req-1',
  detail: '{"a": 1}',
};

describe('audit chain format', () => {
  it('is pinned: the canonical text and hash of an entry never change silently', () => {
    const text = canonicalEntry(row, '7', '41');
    expect(text).toBe(
      '["cellule-audit-v1","7","42","41","2026-03-01T10:11:12.123456Z","5b1f7f5e-0000-4000-8000-000000000001",null,null,"case.read",' +
        '"5b1f7f5e-0000-4000-8000-000000000002",["summary","identity"],"allow","referrer","req-1","{\\"a\\": 1}"]',
    );
    const expected = createHash('sha256').update(GENESIS_HASH).update(text, 'utf8').digest();
    expect(chainHash(GENESIS_HASH, text).equals(expected)).toBe(true);
  });

  it('changes with every field, the position and the predecessor', () => {
    const base = chainHash(GENESIS_HASH, canonicalEntry(row, '7', '41'));
    const variants = [
      canonicalEntry({ ...row, purpose: 'referrer ' }, '7', '41'),
      canonicalEntry({ ...row, classes: ['identity', 'summary'] }, '7', '41'),
      canonicalEntry({ ...row, organisationId: '' }, '7', '41'),
      canonicalEntry({ ...row, at: '2026-03-01T10:11:12.123457Z' }, '7', '41'),
      canonicalEntry(row, '8', '41'),
      canonicalEntry(row, '7', null),
    ];
    for (const text of variants) expect(chainHash(GENESIS_HASH, text).equals(base)).toBe(false);
    expect(chainHash(randomBytes(32), canonicalEntry(row, '7', '41')).equals(base)).toBe(false);
  });

  it('signs checkpoints with Ed25519 and detects any change', async () => {
    const signer = await AuditSigner.fromSeed(randomBytes(32));
    const body = {
      id: '3',
      kind: 'seal' as const,
      seq: '30',
      eventId: '42',
      hash: randomBytes(32),
      entries: '10',
      createdAt: new Date().toISOString(),
      keyId: signer.keyId,
    };
    const signature = signer.sign(checkpointMessage(body));
    expect(signature).toHaveLength(64);
    expect(await verifySignature(checkpointMessage(body), signature, signer.publicKey)).toBe(true);
    expect(await verifySignature(checkpointMessage({ ...body, entries: '11' }), signature, signer.publicKey)).toBe(false);
    const other = await AuditSigner.fromSeed(randomBytes(32));
    expect(await verifySignature(checkpointMessage(body), signature, other.publicKey)).toBe(false);
    expect(keyIdOf(signer.publicKey)).toMatch(/^ed25519-[0-9a-f]{16}$/);
    expect([...publicKeySet([signer.publicKeyBase64]).keys()]).toEqual([signer.keyId]);
    expect(() => publicKeySet([signer.publicKeyBase64.slice(4)])).toThrow(/number 1/);
  });

  it('derives the same key from the same seed', async () => {
    const seed = randomBytes(32);
    expect((await AuditSigner.fromSeed(seed)).publicKeyBase64).toBe((await AuditSigner.fromSeed(seed)).publicKeyBase64);
  });
});

describe('CSV fields', () => {
  it('quotes what needs quoting and neutralises spreadsheet formulas', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('case.read')).toBe('case.read');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@a')).toBe("'@a");
  });
});

describe('audit set-up', () => {
  it('refuses to start in production with neither an audit key file nor a signing seed in the keyring', async () => {
    const keyring: Keyring = { source: '/etc/cellule/keyring.json', currentKekId: 'kek-a', keks: new Map(), blindIndexKey: randomBytes(32) };
    const dataSource = { query: () => Promise.reject(new Error('no database in this test')) } as unknown as DataSource;
    await expect(
      createAuditSealer({ dataSource, keyring, policy: {} as AccessService, production: true, log: { warn: () => undefined, error: () => undefined } }),
    ).rejects.toThrow(/No audit signing key \(neither CELLULE_AUDIT_KEY nor an "auditSigningSeed" in keyring \/etc\/cellule\/keyring\.json\)/);
  });
});
