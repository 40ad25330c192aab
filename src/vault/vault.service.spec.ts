import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { generateKeyringFile, type KeyringFile, parseKeyring } from './keyring.js';
import { Vault } from './vault.js';
import { VaultError } from './vault-error.js';
import { type CaseRef, VaultService } from './vault.service.js';

const IDENTITY = {
  lastName: 'Lefèvre-Dupont',
  firstName: 'Anaïs',
  birthDate: '1957-03-14',
  phone: '06 12 34 56 78',
};
const HEALTH = { followUp: 'Suivi CMP, traitement par neuroleptique retard' };

async function serviceFor(file: KeyringFile, ds: DataSource): Promise<VaultService> {
  return new VaultService(await Vault.create(parseKeyring(JSON.stringify(file), 'test-keyring.json')), ds);
}

async function rejection(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

function expectNoPlaintext(error: Error): void {
  for (const value of [...Object.values(IDENTITY), ...Object.values(HEALTH)]) expect(error.message).not.toContain(value);
  expect(error.message).not.toMatch(/Lef[eè]vre|Ana[iï]s|neuroleptique/i);
}

describe('VaultService (PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let keyringFile: KeyringFile;
  let service: VaultService;
  let territoryId: string;
  let commissionId: string;
  let userId: string;
  let organisationId: string;
  let counter = 0;

  async function newCase(): Promise<CaseRef> {
    const [{ id }] = await ds.query(
      `INSERT INTO cases (territory_id, commission_id, reference, referrer_user_id, referrer_organisation_id, state, snapshot)
       VALUES ($1, $2, $3, $4, $5, 'draft', '{}') RETURNING id`,
      [territoryId, commissionId, `CAS-TEST-${++counter}-${randomUUID().slice(0, 8)}`, userId, organisationId],
    );
    await service.createCaseKey(ds.manager, id);
    return { territoryId, caseId: id };
  }

  async function fieldRows(): Promise<
    Array<{
      case_id: string;
      class: string;
      field: string;
      sealed: Buffer;
      updated_at: Date;
    }>
  > {
    return ds.query('SELECT case_id, class, field, sealed, updated_at FROM case_fields ORDER BY case_id, class, field');
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    [{ id: territoryId }] = await ds.query(`INSERT INTO territories (name) VALUES ('CLSM Test') RETURNING id`);
    [{ id: organisationId }] = await ds.query(`INSERT INTO organisations (territory_id, name, sector) VALUES ($1, 'CCAS Test', 'social') RETURNING id`, [
      territoryId,
    ]);
    [{ id: userId }] = await ds.query(
      `INSERT INTO users (email, password_hash, display_name, organisation_id, territory_id, roles)
       VALUES ('referent@test.fr', 'x', 'Référente', $1, $2, ARRAY['referrer']) RETURNING id`,
      [organisationId, territoryId],
    );
    [{ id: commissionId }] = await ds.query(`INSERT INTO commissions (territory_id, name) VALUES ($1, 'Cellule') RETURNING id`, [territoryId]);
    keyringFile = generateKeyringFile();
    service = await serviceFor(keyringFile, ds);
    expect((await service.verifyKeys()).registered).toEqual([keyringFile.currentKekId]);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('round-trips fields; stores neither plaintext nor unwrapped keys', async () => {
    const ref = await newCase();
    await service.sealFields(ds.manager, ref, 'identity', IDENTITY);
    await service.sealFields(ds.manager, ref, 'health', HEALTH);
    const opened = await service.openFields(ds.manager, ref, ['identity', 'health', 'social']);
    expect(opened).toEqual({ identity: IDENTITY, health: HEALTH, social: {} });
    expect(await service.openFields(ds.manager, ref, ['health'])).toEqual({
      health: HEALTH,
    });

    const dump: Array<{ sealed: Buffer }> = await ds.query('SELECT sealed FROM case_fields WHERE case_id = $1', [ref.caseId]);
    for (const row of dump) expect(row.sealed.toString('latin1')).not.toMatch(/Lef|Ana|Suivi|1957/);
    const [key] = await ds.query('SELECT kek_id, octet_length(wrapped_key) AS len FROM case_keys WHERE case_id = $1', [ref.caseId]);
    expect(key).toEqual({
      kek_id: keyringFile.currentKekId,
      len: 24 + 32 + 16,
    });
  });

  it('updates a field in place and deletes it on null or undefined', async () => {
    const ref = await newCase();
    await service.sealFields(ds.manager, ref, 'identity', IDENTITY);
    await service.sealFields(ds.manager, ref, 'identity', {
      phone: '07 00 00 00 00',
      email: null,
      birthDate: undefined,
    });
    const { identity } = await service.openFields(ds.manager, ref, ['identity']);
    expect(identity).toEqual({
      lastName: IDENTITY.lastName,
      firstName: IDENTITY.firstName,
      phone: '07 00 00 00 00',
    });
  });

  it('refuses a ciphertext copied to another case or another field, and a tampered one', async () => {
    const a = await newCase();
    const b = await newCase();
    await service.sealFields(ds.manager, a, 'identity', IDENTITY);
    await service.sealFields(ds.manager, b, 'identity', { lastName: 'Martin' });

    // Another case (even with the same data key it would fail: the AD binds the case id).
    await ds.query(
      `UPDATE case_fields SET sealed = (SELECT sealed FROM case_fields WHERE case_id = $1 AND class = 'identity' AND field = 'lastName')
       WHERE case_id = $2 AND class = 'identity' AND field = 'lastName'`,
      [a.caseId, b.caseId],
    );
    const moved = await rejection(service.openFields(ds.manager, b, ['identity']));
    expect(moved.code).toBe('decrypt_failed');
    expect(moved.message).toContain('identity.lastName');
    expectNoPlaintext(moved);

    // Another field of the same case.
    await ds.query(
      `INSERT INTO case_fields (case_id, class, field, key_version, sealed)
       SELECT case_id, 'health', 'followUp', key_version, sealed FROM case_fields WHERE case_id = $1 AND class = 'identity' AND field = 'lastName'`,
      [a.caseId],
    );
    const swapped = await rejection(service.openFields(ds.manager, a, ['health']));
    expect(swapped.code).toBe('decrypt_failed');
    expect(swapped.message).toContain('health.followUp');
    expectNoPlaintext(swapped);
    await ds.query(`DELETE FROM case_fields WHERE case_id = $1 AND class = 'health'`, [a.caseId]);

    // One flipped bit of ciphertext.
    await ds.query(
      `UPDATE case_fields SET sealed = set_byte(sealed, 30, get_byte(sealed, 30) # 1)
       WHERE case_id = $1 AND class = 'identity' AND field = 'firstName'`,
      [a.caseId],
    );
    const tampered = await rejection(service.openFields(ds.manager, a, ['identity']));
    expect(tampered.code).toBe('decrypt_failed');
    expectNoPlaintext(tampered);

    // The wrong territory fails as well.
    await service.sealFields(ds.manager, a, 'social', {
      situation: 'Expulsion locative en cours',
    });
    const otherTerritory = await rejection(service.openFields(ds.manager, { ...a, territoryId: randomUUID() }, ['social']));
    expect(otherTerritory.code).toBe('decrypt_failed');
  });

  it('refuses to start with a keyring that misses a KEK or holds a different one', async () => {
    const missing = await rejection((await serviceFor(generateKeyringFile(), ds)).verifyKeys());
    expect(missing.code).toBe('missing_key');
    expect(missing.message).toBe(
      `The keyring (test-keyring.json) does not hold key-encryption key ${keyringFile.currentKekId} used by this database: start refused`,
    );

    const id = keyringFile.currentKekId;
    const impostor = generateKeyringFile();
    const wrongFile: KeyringFile = {
      ...impostor,
      currentKekId: id,
      keks: { [id]: impostor.keks[impostor.currentKekId] },
    };
    const wrong = await rejection((await serviceFor(wrongFile, ds)).verifyKeys());
    expect(wrong.code).toBe('wrong_key');
    expect(wrong.message).toContain(id);
    expect(wrong.message).not.toContain(impostor.keks[impostor.currentKekId]);
    expect(wrong.message).not.toContain(keyringFile.keks[id]);

    // Neither refused keyring registered anything.
    const kekIds: Array<{ kek_id: string }> = await ds.query('SELECT kek_id FROM vault_keys');
    expect(kekIds.map((r) => r.kek_id)).toEqual([id]);
  });

  it('rotates the KEK: every case stays readable and no case_fields row changes', async () => {
    const refs: CaseRef[] = [];
    for (let i = 0; i < 7; i++) {
      const ref = await newCase();
      await service.sealFields(ds.manager, ref, 'identity', {
        ...IDENTITY,
        lastName: `Nom${i}`,
      });
      refs.push(ref);
    }
    const shredded = await newCase();
    await service.shredCase(ds.manager, shredded.caseId);
    const before = await fieldRows();
    const [{ n: toRewrap }] = await ds.query('SELECT count(*)::int AS n FROM case_keys WHERE wrapped_key IS NOT NULL');

    const oldId = keyringFile.currentKekId;
    const newId = 'kek-rotated-1';
    const rotatedFile: KeyringFile = {
      ...keyringFile,
      currentKekId: newId,
      keks: {
        ...keyringFile.keks,
        [newId]: generateKeyringFile().blindIndexKey,
      },
    };
    const rotated = await serviceFor(rotatedFile, ds);
    const wrongTarget = await rejection(rotated.rotateKek(oldId));
    expect(wrongTarget.code).toBe('invalid_input');

    expect(await rotated.rotateKek(newId, { batchSize: 3 })).toBe(toRewrap);
    expect(await fieldRows()).toEqual(before);
    const kekIds = await ds.query('SELECT DISTINCT kek_id FROM case_keys WHERE wrapped_key IS NOT NULL');
    expect(kekIds).toEqual([{ kek_id: newId }]);
    for (const [i, ref] of refs.entries()) {
      expect((await rotated.openFields(ds.manager, ref, ['identity'])).identity.lastName).toBe(`Nom${i}`);
    }
    expect(await rotated.rotateKek(newId)).toBe(0);

    // The old KEK can now be retired; a keyring without it starts; a keyring with only it does not.
    const stillCurrent = await rejection(rotated.retireKek(newId));
    expect(stillCurrent.code).toBe('key_in_use');
    await rotated.retireKek(oldId);
    const withoutOld = await serviceFor({ ...rotatedFile, keks: { [newId]: rotatedFile.keks[newId] } }, ds);
    await expect(withoutOld.verifyKeys()).resolves.toEqual({ registered: [] });
    const onlyOld = await rejection(service.verifyKeys());
    expect(onlyOld.code).toBe('missing_key');
    // A replica still running the old keyring cannot create keys under the retired KEK.
    const [{ id }] = await ds.query(
      `INSERT INTO cases (territory_id, commission_id, reference, referrer_user_id, referrer_organisation_id, state, snapshot)
       VALUES ($1, $2, 'CAS-TEST-RETIRED', $3, $4, 'draft', '{}') RETURNING id`,
      [territoryId, commissionId, userId, organisationId],
    );
    const stale = await rejection(service.createCaseKey(ds.manager, id));
    expect(stale.code).toBe('missing_key');

    keyringFile = rotatedFile;
    service = rotated;
  });

  it('shreds a case: key destroyed, fields deleted, reads and writes refused, other cases intact', async () => {
    const victim = await newCase();
    const neighbour = await newCase();
    await service.sealFields(ds.manager, victim, 'identity', IDENTITY);
    await service.sealFields(ds.manager, victim, 'health', HEALTH);
    await service.sealFields(ds.manager, neighbour, 'identity', IDENTITY);
    const [{ wrapped_key: wrappedBefore }] = await ds.query('SELECT wrapped_key FROM case_keys WHERE case_id = $1', [victim.caseId]);

    await ds.transaction((m) => service.shredCase(m, victim.caseId));

    const [key] = await ds.query('SELECT wrapped_key, destroyed_at FROM case_keys WHERE case_id = $1', [victim.caseId]);
    expect(key.wrapped_key).toBeNull();
    expect(key.destroyed_at).toBeInstanceOf(Date);
    expect(await ds.query('SELECT 1 FROM case_fields WHERE case_id = $1', [victim.caseId])).toEqual([]);

    const read = await rejection(service.openFields(ds.manager, victim, ['identity']));
    expect(read.code).toBe('shredded');
    const write = await rejection(service.sealFields(ds.manager, victim, 'identity', IDENTITY));
    expect(write.code).toBe('shredded');
    expectNoPlaintext(read);
    await service.createCaseKey(ds.manager, victim.caseId);
    expect((await rejection(service.openFields(ds.manager, victim, ['identity']))).code).toBe('shredded');
    expect((await service.openFields(ds.manager, neighbour, ['identity'])).identity).toEqual(IDENTITY);

    // Shredding again is harmless and keeps the first destruction date.
    expect(wrappedBefore).toBeInstanceOf(Buffer);
    await service.shredCase(ds.manager, victim.caseId);
    const [{ destroyed_at: again }] = await ds.query('SELECT destroyed_at FROM case_keys WHERE case_id = $1', [victim.caseId]);
    expect(again).toEqual(key.destroyed_at);
  });

  it('refuses sealing before the case has a key, and bad class or field names', async () => {
    const [{ id }] = await ds.query(
      `INSERT INTO cases (territory_id, commission_id, reference, referrer_user_id, referrer_organisation_id, state, snapshot)
       VALUES ($1, $2, 'CAS-TEST-NOKEY', $3, $4, 'draft', '{}') RETURNING id`,
      [territoryId, commissionId, userId, organisationId],
    );
    const ref = { territoryId, caseId: id };
    expect((await rejection(service.sealFields(ds.manager, ref, 'identity', IDENTITY))).code).toBe('no_case_key');
    await expect(service.openFields(ds.manager, ref, ['identity'])).resolves.toEqual({ identity: {} });
    await service.createCaseKey(ds.manager, id);
    const badField = await rejection(service.sealFields(ds.manager, ref, 'identity', { 'x; DROP': 'Lefèvre' }));
    expect(badField.code).toBe('invalid_input');
    expectNoPlaintext(badField);
    const badClass = await rejection(service.sealFields(ds.manager, ref, 'secret' as never, { a: 'b' }));
    expect(badClass.code).toBe('invalid_input');
  });
});
