import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAuditKeyFile, writeAuditKeyFile } from './audit-key.js';

describe('the audit signing key file (apart from the keyring)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-audit-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written owner-only, read back, and never overwritten', () => {
    const file = path.join(dir, 'audit.key');
    const seed = writeAuditKeyFile(file);
    expect(readAuditKeyFile(file)).toEqual({ seed, warnings: [] });
    expect(() => writeAuditKeyFile(file)).toThrow(/EEXIST/);
  });

  it('refuses anything but 32 bytes of base64, and warns when others may read it', () => {
    const file = path.join(dir, 'audit.key');
    writeFileSync(file, Buffer.alloc(16).toString('base64'), { mode: 0o600 });
    expect(() => readAuditKeyFile(file)).toThrow(/base64 of 32 random bytes/);
    writeFileSync(file, Buffer.alloc(32, 7).toString('base64'));
    chmodSync(file, 0o644);
    expect(readAuditKeyFile(file).warnings).toEqual([expect.stringMatching(/readable by others/)]);
  });
});
