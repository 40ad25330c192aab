import { generateKeyringFile, type Keyring, parseKeyring } from './keyring.js';
import { BLIND_INDEX_BITS, BLIND_INDEX_HEX_LENGTH, type SealContext, Vault } from './vault.js';
import { VaultError } from './vault-error.js';

function keyring(): Keyring {
  return parseKeyring(JSON.stringify(generateKeyringFile()), 'test-keyring.json');
}

function vaultError(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

const TERRITORY = '11111111-1111-4111-8111-111111111111';
const CASE_A = '22222222-2222-4222-8222-222222222222';
const CASE_B = '33333333-3333-4333-8333-333333333333';
const SECRET = 'Jeanne Lefèvre-Dupont, née le 14/03/1957';

describe('Vault', () => {
  let vault: Vault;
  beforeAll(async () => {
    vault = await Vault.create(keyring());
  });
  const ad = (over: Partial<SealContext> = {}): SealContext => ({
    territoryId: TERRITORY,
    caseId: CASE_A,
    cls: 'identity',
    field: 'lastName',
    keyVersion: 1,
    ...over,
  });

  it('seals and opens a value, with a fresh nonce each time', () => {
    const key = vault.newDataKey();
    const a = vault.seal(key, ad(), SECRET);
    const b = vault.seal(key, ad(), SECRET);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('Jeanne'))).toBe(false);
    expect(vault.open(key, ad(), a)).toBe(SECRET);
    expect(vault.open(key, ad(), b)).toBe(SECRET);
    expect(vault.open(key, ad(), vault.seal(key, ad(), ''))).toBe('');
  });

  it('refuses a ciphertext moved to another case, field, class, territory or key version', () => {
    const key = vault.newDataKey();
    const sealed = vault.seal(key, ad(), SECRET);
    const moves: Partial<SealContext>[] = [{ caseId: CASE_B }, { field: 'firstName' }, { cls: 'health' }, { territoryId: CASE_B }, { keyVersion: 2 }];
    for (const move of moves) {
      const error = vaultError(() => vault.open(key, ad(move), sealed));
      expect(error.code).toBe('decrypt_failed');
      expect(error.message).not.toContain('Jeanne');
    }
  });

  it('refuses a tampered ciphertext, a truncated one and the wrong data key, naming class and field only', () => {
    const key = vault.newDataKey();
    const sealed = vault.seal(key, ad(), SECRET);
    const tampered = Buffer.from(sealed);
    tampered[30] ^= 0x01;
    for (const [k, s] of [
      [key, tampered],
      [key, sealed.subarray(0, 20)],
      [vault.newDataKey(), sealed],
    ] as const) {
      const error = vaultError(() => vault.open(k, ad(), s));
      expect(error.code).toBe('decrypt_failed');
      expect(error.message).toContain('identity.lastName');
      expect(error.message).not.toMatch(/Jeanne|Lef/);
    }
  });

  it('wraps data keys bound to the case and the KEK', () => {
    const key = vault.newDataKey();
    const { kekId, wrapped } = vault.wrapDataKey(key, CASE_A);
    expect(kekId).toBe(vault.currentKekId);
    expect(Buffer.from(vault.unwrapDataKey(kekId, wrapped, CASE_A)).equals(Buffer.from(key))).toBe(true);
    expect(vaultError(() => vault.unwrapDataKey(kekId, wrapped, CASE_B)).code).toBe('decrypt_failed');
    expect(vaultError(() => vault.unwrapDataKey('kek-unknown', wrapped, CASE_A)).code).toBe('missing_key');
  });

  it('derives deterministic check values and detects a missing or a different KEK', async () => {
    const id = vault.currentKekId;
    const value = vault.checkValue(id);
    expect(value.equals(vault.checkValue(id))).toBe(true);
    expect(() => vault.verifyCheckValues([{ kekId: id, checkValue: value }])).not.toThrow();

    const missing = vaultError(() => vault.verifyCheckValues([{ kekId: 'kek-gone', checkValue: value }]));
    expect(missing.code).toBe('missing_key');
    expect(missing.message).toMatch(/does not hold key-encryption key kek-gone used by this database: start refused/);

    // Same id, other key material: a keyring from another installation.
    const other = generateKeyringFile();
    const impostor = await Vault.create(
      parseKeyring(
        JSON.stringify({
          ...other,
          currentKekId: id,
          keks: { [id]: other.keks[other.currentKekId] },
        }),
        'other.json',
      ),
    );
    const wrong = vaultError(() => impostor.verifyCheckValues([{ kekId: id, checkValue: value }]));
    expect(wrong.code).toBe('wrong_key');
    expect(wrong.message).toContain(id);
    expect(wrong.message).toMatch(/start refused/);
  });

  describe('blind index', () => {
    const person = {
      lastName: 'Lefèvre-Dupont',
      firstName: 'Anaïs',
      birthDate: '1957-03-14',
    };

    it('is insensitive to accents, case, hyphens, apostrophes and spaces', () => {
      const index = vault.blindIndex(person);
      expect(
        vault.blindIndex({
          lastName: 'LEFEVRE DUPONT',
          firstName: 'anais',
          birthDate: '14/03/1957',
        }),
      ).toBe(index);
      expect(
        vault.blindIndex({
          lastName: ' lefevre-dupont ',
          firstName: 'ANAÏS',
          birthDate: '1957-03-14',
        }),
      ).toBe(index);
      expect(
        vault.blindIndex({
          lastName: "D'Artagnan",
          firstName: 'Jean',
          birthDate: '1957-03-14',
        }),
      ).toBe(
        vault.blindIndex({
          lastName: 'dartagnan',
          firstName: 'jean',
          birthDate: '1957-03-14',
        }),
      );
    });

    it(`has the documented length of ${BLIND_INDEX_BITS} bits`, () => {
      expect(BLIND_INDEX_HEX_LENGTH * 4).toBe(BLIND_INDEX_BITS);
      for (let i = 0; i < 50; i++) {
        const index = vault.blindIndex({ ...person, firstName: `Prénom${i}` });
        expect(index).toMatch(new RegExp(`^[0-9a-f]{${BLIND_INDEX_HEX_LENGTH}}$`));
        expect(parseInt(index, 16)).toBeLessThan(2 ** BLIND_INDEX_BITS);
      }
    });

    it('differs across birth dates and across blind-index keys', async () => {
      const dates = ['1957-03-14', '1957-03-15', '1957-04-14', '1958-03-14', '1975-03-14'];
      const indexes = new Set(dates.map((birthDate) => vault.blindIndex({ ...person, birthDate })));
      // 5 values in 2^20 buckets: a collision would be a ~1e-5 event, not flakiness.
      expect(indexes.size).toBe(dates.length);
      const other = await Vault.create(keyring());
      expect(other.blindIndex(person)).not.toBe(vault.blindIndex(person));
    });

    it('rejects an invalid birth date without echoing it', () => {
      const error = vaultError(() => vault.blindIndex({ ...person, birthDate: '1957-02-30' }));
      expect(error.code).toBe('invalid_input');
      expect(error.message).not.toContain('1957');
    });
  });

  describe('idempotent request digest', () => {
    it('is keyed: the same account and body give the same digest here, another under other keys, and never the plain SHA-256', async () => {
      const { createHash } = await import('node:crypto');
      const body = JSON.stringify({ identity: { lastName: 'Zéphyrin-Quatremare' } });
      const digest = vault.requestDigest('u-1', body);
      expect(vault.requestDigest('u-1', body).equals(digest)).toBe(true);
      expect(vault.requestDigest('u-2', body).equals(digest)).toBe(false);
      expect(vault.requestDigest('u-1', body + ' ').equals(digest)).toBe(false);
      const other = await Vault.create(keyring());
      expect(other.requestDigest('u-1', body).equals(digest)).toBe(false);
      expect(createHash('sha256').update(body).digest().equals(digest)).toBe(false);
    });
  });
});
