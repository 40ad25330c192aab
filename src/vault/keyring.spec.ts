import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addAuditSigningSeed, addKek, generateKeyringFile, KEYRING_FILE_NAME, loadKeyring, parseKeyring } from './keyring.js';
import { VaultError } from './vault-error.js';

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('keyring', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-keyring-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates <dataDir>/keyring.json with mode 0600 on first use, warns once, then reuses it', () => {
    const logs: string[] = [];
    const dataDir = path.join(dir, 'var');
    const first = loadKeyring({
      dataDir,
      production: false,
      log: (m) => logs.push(m),
    });
    const file = path.join(dataDir, KEYRING_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(file);
    expect(logs[0]).toMatch(/generated/);
    expect(logs[0]).toMatch(/back it up/i);
    expect(first.keks.get(first.currentKekId)).toHaveLength(32);
    expect(first.blindIndexKey).toHaveLength(32);

    const second = loadKeyring({
      dataDir,
      production: false,
      log: (m) => logs.push(m),
    });
    expect(logs).toHaveLength(1);
    expect(second.currentKekId).toBe(first.currentKekId);
    expect(second.keks.get(second.currentKekId)!.equals(first.keks.get(first.currentKekId)!)).toBe(true);
    // The log never prints key material.
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(logs[0]).not.toContain(doc.keks[doc.currentKekId]);
    expect(logs[0]).not.toContain(doc.blindIndexKey);
  });

  it('refuses to start in production without a keyring path', () => {
    const error = catchError(() => loadKeyring({ dataDir: dir, production: true, log: () => undefined }));
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe('invalid_keyring');
    expect((error as VaultError).message).toMatch(/CELLULE_KEYRING/);
  });

  it('loads an explicit file and warns when group or others can read it', () => {
    const file = path.join(dir, 'ring.json');
    writeFileSync(file, JSON.stringify(generateKeyringFile()), { mode: 0o600 });
    const logs: string[] = [];
    loadKeyring({
      keyringPath: file,
      dataDir: dir,
      production: true,
      log: (m) => logs.push(m),
    });
    expect(logs).toEqual([]);
    chmodSync(file, 0o644);
    loadKeyring({
      keyringPath: file,
      dataDir: dir,
      production: true,
      log: (m) => logs.push(m),
    });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/chmod 600/);
  });

  it('names the file and the problem, never the key material', () => {
    const good = generateKeyringFile();
    const secret = good.keks[good.currentKekId];
    const cases: Array<[string, RegExp]> = [
      [`{"version":1,"keks":{"kek-a":"${secret}"`, /not valid JSON/],
      [JSON.stringify({ ...good, version: 2 }), /"version" must be 1/],
      [JSON.stringify({ ...good, currentKekId: 'kek-other' }), /"currentKekId"/],
      [
        JSON.stringify({
          ...good,
          keks: { [good.currentKekId]: secret.slice(0, 20) },
        }),
        /exactly 32 bytes/,
      ],
      [
        JSON.stringify({
          ...good,
          keks: { [good.currentKekId]: `${secret}!` },
        }),
        /base64/,
      ],
      [JSON.stringify({ ...good, blindIndexKey: secret }), /identical/],
      [JSON.stringify({ ...good, auditSigningSeed: secret }), /identical/],
      [JSON.stringify({ ...good, auditSigningSeed: secret.slice(0, 20) }), /"auditSigningSeed" must be the base64 encoding of exactly 32 bytes/],
      [JSON.stringify({ ...good, [secret]: 1 }), /unknown properties/],
      [JSON.stringify({ ...good, keks: { [secret]: secret } }), /key id number 1/],
    ];
    for (const [text, problem] of cases) {
      const error = catchError(() => parseKeyring(text, '/etc/cellule/keyring.json'));
      expect(error).toBeInstanceOf(VaultError);
      expect((error as VaultError).code).toBe('invalid_keyring');
      expect((error as Error).message).toMatch(problem);
      expect((error as Error).message).toContain('/etc/cellule/keyring.json');
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).not.toContain(secret.slice(0, 12));
    }
    const missing = catchError(() =>
      loadKeyring({
        keyringPath: path.join(dir, 'nope.json'),
        dataDir: dir,
        production: true,
        log: () => undefined,
      }),
    );
    expect((missing as Error).message).toMatch(/nope\.json: file not found/);
  });

  it('addKek makes a new current KEK and keeps the old ones and the blind-index key', () => {
    const file = path.join(dir, 'ring.json');
    const original = generateKeyringFile();
    writeFileSync(file, JSON.stringify(original), { mode: 0o600 });
    const { kekId, keyring } = addKek(file);
    expect(kekId).not.toBe(original.currentKekId);
    expect(keyring.currentKekId).toBe(kekId);
    expect(keyring.keks.get(original.currentKekId)!.toString('base64')).toBe(original.keks[original.currentKekId]);
    expect(keyring.blindIndexKey.toString('base64')).toBe(original.blindIndexKey);
    const reloaded = parseKeyring(readFileSync(file, 'utf8'), file);
    expect([...reloaded.keks.keys()].sort()).toEqual([original.currentKekId, kekId].sort());
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
  it('generates an audit signing seed, distinct from the other keys, and keeps it through addKek', () => {
    const file = path.join(dir, 'ring.json');
    const original = generateKeyringFile();
    expect(Buffer.from(original.auditSigningSeed!, 'base64')).toHaveLength(32);
    writeFileSync(file, JSON.stringify(original), { mode: 0o600 });
    const loaded = loadKeyring({
      keyringPath: file,
      dataDir: dir,
      production: true,
      log: () => undefined,
    });
    expect(loaded.auditSigningSeed!.toString('base64')).toBe(original.auditSigningSeed);
    const { keyring } = addKek(file);
    expect(keyring.auditSigningSeed!.toString('base64')).toBe(original.auditSigningSeed);
    expect(JSON.parse(readFileSync(file, 'utf8')).auditSigningSeed).toBe(original.auditSigningSeed);
  });

  it('still loads a keyring written before audit signing existed, and can add the seed once', () => {
    const file = path.join(dir, 'old.json');
    const { auditSigningSeed: _dropped, ...old } = generateKeyringFile();
    writeFileSync(file, JSON.stringify(old), { mode: 0o600 });
    const logs: string[] = [];
    const loaded = loadKeyring({
      keyringPath: file,
      dataDir: dir,
      production: true,
      log: (m) => logs.push(m),
    });
    expect(loaded.auditSigningSeed).toBeUndefined();
    expect(loaded.blindIndexKey.toString('base64')).toBe(old.blindIndexKey);
    // An explicit keyring is never rewritten behind the operator's back.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(old);
    expect(logs).toEqual([]);

    const first = addAuditSigningSeed(file);
    expect(first.added).toBe(true);
    expect(first.keyring.auditSigningSeed).toHaveLength(32);
    expect(first.keyring.currentKekId).toBe(old.currentKekId);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = addAuditSigningSeed(file);
    expect(again.added).toBe(false);
    expect(again.keyring.auditSigningSeed!.equals(first.keyring.auditSigningSeed!)).toBe(true);
  });

  it('upgrades the generated development keyring in place, saying so without printing keys', () => {
    const dataDir = path.join(dir, 'var');
    loadKeyring({ dataDir, production: false, log: () => undefined });
    const file = path.join(dataDir, KEYRING_FILE_NAME);
    const { auditSigningSeed: _dropped, ...old } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify(old), { mode: 0o600 });
    const logs: string[] = [];
    const keyring = loadKeyring({
      dataDir,
      production: false,
      log: (m) => logs.push(m),
    });
    expect(keyring.auditSigningSeed).toHaveLength(32);
    expect(keyring.currentKekId).toBe(old.currentKekId);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/audit signing seed/);
    expect(logs[0]).not.toContain(keyring.auditSigningSeed!.toString('base64'));
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.auditSigningSeed).toBe(keyring.auditSigningSeed!.toString('base64'));
  });
});
