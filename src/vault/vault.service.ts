import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { ErasureJournal } from './erasure-journal.js';
import { DataSource, type EntityManager } from 'typeorm';
import { execute, select, type SqlRunner } from '../database/sql.js';
import { type AccountSecretPurpose, type DocumentStream, FIELD_CLASSES, type FieldClass, Vault } from './vault.js';
import { VaultError } from './vault-error.js';

/** Injection token of the Vault instance (built from the keyring with `await Vault.create(keyring)`). */
export const VAULT = Symbol('VAULT');

/** Version of the data key that sealed a field; bumped only if data keys are ever re-keyed. */
export const CURRENT_KEY_VERSION = 1;

export interface CaseRef {
  territoryId: string;
  caseId: string;
}

export type OpenedFields<C extends FieldClass> = Record<C, Record<string, string>>;

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

interface CaseKeyRow {
  kek_id: string;
  wrapped_key: Buffer | null;
}

function checkClass(cls: string): asserts cls is FieldClass {
  if (!(FIELD_CLASSES as readonly string[]).includes(cls)) throw new VaultError('invalid_input', 'Unknown field class');
}

/** Plain bytes per encrypted chunk of a document (the last one may hold fewer). */
export const DOCUMENT_CHUNK_BYTES = 64 * 1024;

/** The field a document's file name is sealed under, in the document's class. */
export function documentNameField(documentId: string): string {
  return `document_${documentId.toLowerCase().replace(/-/g, '')}_name`;
}

/**
 * Envelope encryption over PostgreSQL: one data key per case in case_keys (wrapped by a KEK),
 * ciphertexts in case_fields. Data keys are unwrapped per call and wiped after use, never cached:
 * a shred takes effect at once on every replica.
 */
@Injectable()
export class VaultService {
  /** Where each crypto-shredding is written once committed (src/vault/erasure-journal.ts); set by the composition root. */
  erasureJournal?: ErasureJournal;

  constructor(
    @Inject(VAULT) private readonly vault: Vault,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  /** Cases shredded by a transaction not committed yet, by its manager (see `erasuresCommitted`). */
  private readonly pendingErasures = new WeakMap<EntityManager, Set<string>>();

  /**
   * Called once the transaction of `manager` committed: its crypto-shreddings go to the erasure
   * journal (once per case), so that a restored backup is erased again. A rolled-back
   * transaction's are simply never written.
   */
  erasuresCommitted(manager: EntityManager): void {
    const cases = this.pendingErasures.get(manager);
    this.pendingErasures.delete(manager);
    const journal = this.erasureJournal;
    if (!cases?.size || !journal) return;
    const known = journal.shreddedCases();
    journal.append([...cases].filter((caseId) => !known.has(caseId)).map((caseId) => ({ kind: 'case.shred' as const, caseId })));
  }

  /** The keyed duplicate indexes (blind index, names' index): computed here, where the key is. */
  get indexer(): Pick<Vault, 'blindIndex' | 'nameIndex'> {
    return this.vault;
  }

  /** Transparency codes (minted, digested, compared) and the keys of rate limits: keyed hashes computed here, where the key is. */
  get codes(): Pick<Vault, 'mintTransparencyCode' | 'transparencyDigest' | 'sameDigest' | 'throttleKey'> {
    return this.vault;
  }

  /**
   * At start: the keyring must hold every KEK the database knows, with the same key (check
   * values). KEKs of the keyring not yet known are then registered. Throws 'missing_key' or
   * 'wrong_key'; never falls back to anything.
   */
  async verifyKeys(): Promise<{ registered: string[] }> {
    const rows = await select<{ kek_id: string; check_value: Buffer }>(this.dataSource, 'SELECT kek_id, check_value FROM vault_keys');
    this.vault.verifyCheckValues(rows.map((r) => ({ kekId: r.kek_id, checkValue: r.check_value })));
    const known = new Set(rows.map((r) => r.kek_id));
    const registered = this.vault.kekIds.filter((id) => !known.has(id));
    if (registered.length) {
      await execute(
        this.dataSource,
        `INSERT INTO vault_keys (kek_id, check_value)
         SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (kek_id) DO NOTHING`,
        [registered, registered.map((id) => this.vault.checkValue(id))],
      );
      // Another replica may have registered the same id concurrently, with another key.
      const again = await select<{ kek_id: string; check_value: Buffer }>(
        this.dataSource,
        'SELECT kek_id, check_value FROM vault_keys WHERE kek_id = ANY($1::text[])',
        [registered],
      );
      this.vault.verifyCheckValues(again.map((r) => ({ kekId: r.kek_id, checkValue: r.check_value })));
    }
    return { registered };
  }

  /**
   * Creates the case's data key, wrapped by the current KEK. Call it in the transaction that
   * creates the case. Does nothing if the case already has a key (or was shredded).
   */
  async createCaseKey(manager: EntityManager, caseId: string): Promise<void> {
    const kekId = this.vault.currentKekId;
    // KEY SHARE lock: retireKek cannot delete this KEK between the check and the insert.
    const registered = await select(manager, 'SELECT 1 FROM vault_keys WHERE kek_id = $1 FOR KEY SHARE', [kekId]);
    if (!registered.length) {
      throw new VaultError(
        'missing_key',
        `Key-encryption key ${kekId} is not registered in this database (retired, or verifyKeys() was not run at start): restart with the current keyring`,
      );
    }
    const dataKey = this.vault.newDataKey();
    try {
      const { wrapped } = this.vault.wrapDataKey(dataKey, caseId);
      await execute(manager, 'INSERT INTO case_keys (case_id, kek_id, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT (case_id) DO NOTHING', [
        caseId,
        kekId,
        wrapped,
      ]);
    } finally {
      dataKey.fill(0);
    }
  }

  private unwrap(row: CaseKeyRow | undefined, caseId: string): Uint8Array {
    if (!row) throw new VaultError('no_case_key', `Case ${caseId} has no data key (createCaseKey was not called)`);
    if (row.wrapped_key === null) throw new VaultError('shredded', `The protected data of case ${caseId} was erased (crypto-shredded)`);
    return this.vault.unwrapDataKey(row.kek_id, row.wrapped_key, caseId);
  }

  /**
   * Writes the fields of one class: a string is sealed and upserted, null/undefined deletes the
   * field. The case key row is share-locked so a concurrent shred waits for this write.
   */
  async sealFields(manager: EntityManager, ref: CaseRef, cls: FieldClass, fields: Record<string, string | null | undefined>): Promise<void> {
    checkClass(cls);
    const names = Object.keys(fields);
    for (const name of names) if (!FIELD_NAME.test(name)) throw new VaultError('invalid_input', `Invalid field name for class ${cls}`);
    const toSeal = names.filter((n) => fields[n] !== null && fields[n] !== undefined);
    const toDelete = names.filter((n) => fields[n] === null || fields[n] === undefined);
    if (toSeal.length) {
      const rows = await select<CaseKeyRow>(manager, 'SELECT kek_id, wrapped_key FROM case_keys WHERE case_id = $1 FOR SHARE', [ref.caseId]);
      const dataKey = this.unwrap(rows[0], ref.caseId);
      let sealed: Buffer[];
      try {
        sealed = toSeal.map((field) => this.vault.seal(dataKey, { ...ref, cls, field, keyVersion: CURRENT_KEY_VERSION }, fields[field] as string));
      } finally {
        dataKey.fill(0);
      }
      await execute(
        manager,
        `INSERT INTO case_fields (case_id, class, field, key_version, sealed)
         SELECT $1, $2, f.field, $3, f.sealed FROM unnest($4::text[], $5::bytea[]) AS f(field, sealed)
         ON CONFLICT (case_id, class, field)
         DO UPDATE SET sealed = excluded.sealed, key_version = excluded.key_version, updated_at = now()`,
        [ref.caseId, cls, CURRENT_KEY_VERSION, toSeal, sealed],
      );
    }
    if (toDelete.length) {
      await execute(manager, 'DELETE FROM case_fields WHERE case_id = $1 AND class = $2 AND field = ANY($3::text[])', [ref.caseId, cls, toDelete]);
    }
  }

  /**
   * Decrypts the requested classes of a case: every requested class is present in the result
   * (empty when it holds no field). `fieldPrefix`: only the fields whose name starts with it.
   * Throws 'shredded' once the case key was destroyed.
   */
  async openFields<C extends FieldClass>(
    manager: EntityManager,
    ref: CaseRef,
    classes: readonly C[],
    options: { fieldPrefix?: string } = {},
  ): Promise<OpenedFields<C>> {
    for (const cls of classes) checkClass(cls);
    const result: Record<string, Record<string, string>> = Object.fromEntries(classes.map((c) => [c, {}]));
    const keys = await select<CaseKeyRow>(manager, 'SELECT kek_id, wrapped_key FROM case_keys WHERE case_id = $1', [ref.caseId]);
    // No key yet: nothing was ever sealed for this case.
    if (!keys.length) return result as OpenedFields<C>;
    const dataKey = this.unwrap(keys[0], ref.caseId);
    try {
      if (!classes.length) return result as OpenedFields<C>;
      const rows = await select<{ class: C; field: string; key_version: number; sealed: Buffer }>(
        manager,
        'SELECT class, field, key_version, sealed FROM case_fields WHERE case_id = $1 AND class = ANY($2::text[]) AND ($3::text IS NULL OR starts_with(field, $3))',
        [ref.caseId, classes, options.fieldPrefix ?? null],
      );
      for (const row of rows) {
        result[row.class][row.field] = this.vault.open(dataKey, { ...ref, cls: row.class, field: row.field, keyVersion: row.key_version }, row.sealed);
      }
      return result as OpenedFields<C>;
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * Starts a document of the case (issue 12): its file name sealed in its class under the case's
   * data key (field `documentNameField(id)`), and the secretstream its content is pushed into, in
   * chunks of DOCUMENT_CHUNK_BYTES. The case key row is share-locked until the transaction ends,
   * so a concurrent shred waits for the upload. Throws 'shredded' once the key was destroyed.
   */
  async startDocument(
    manager: EntityManager,
    ref: CaseRef,
    doc: { id: string; cls: FieldClass },
    fileName: string,
  ): Promise<{ stream: DocumentStream; nameSealed: Buffer; keyVersion: number }> {
    checkClass(doc.cls);
    const rows = await select<CaseKeyRow>(manager, 'SELECT kek_id, wrapped_key FROM case_keys WHERE case_id = $1 FOR SHARE', [ref.caseId]);
    const dataKey = this.unwrap(rows[0], ref.caseId);
    try {
      const keyVersion = CURRENT_KEY_VERSION;
      const nameSealed = this.vault.seal(dataKey, { ...ref, cls: doc.cls, field: documentNameField(doc.id), keyVersion }, fileName);
      const stream = this.vault.startDocument(dataKey, { ...ref, documentId: doc.id, cls: doc.cls, keyVersion });
      return { stream, nameSealed, keyVersion };
    } finally {
      dataKey.fill(0);
    }
  }

  /** The file names of documents of the case (id → name). Throws 'shredded' once the case key was destroyed. */
  async openDocumentNames(
    manager: EntityManager,
    ref: CaseRef,
    docs: readonly { id: string; cls: FieldClass; keyVersion: number; nameSealed: Uint8Array }[],
  ): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (!docs.length) return names;
    const dataKey = await this.caseKey(manager, ref.caseId);
    try {
      for (const doc of docs) {
        checkClass(doc.cls);
        names.set(doc.id, this.vault.open(dataKey, { ...ref, cls: doc.cls, field: documentNameField(doc.id), keyVersion: doc.keyVersion }, doc.nameSealed));
      }
      return names;
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * A document's name and content, decrypted whole and checked to the end of its stream before
   * anything is answered (never a truncated or altered file). Throws 'shredded' once the case key
   * was destroyed, 'decrypt_failed' when any chunk does not open.
   */
  async openDocument(
    manager: EntityManager,
    ref: CaseRef,
    doc: { id: string; cls: FieldClass; keyVersion: number; nameSealed: Uint8Array; header: Uint8Array },
    chunks: readonly Uint8Array[],
  ): Promise<{ name: string; content: Buffer }> {
    checkClass(doc.cls);
    const dataKey = await this.caseKey(manager, ref.caseId);
    try {
      const name = this.vault.open(dataKey, { ...ref, cls: doc.cls, field: documentNameField(doc.id), keyVersion: doc.keyVersion }, doc.nameSealed);
      const content = this.vault.openDocument(dataKey, { ...ref, documentId: doc.id, cls: doc.cls, keyVersion: doc.keyVersion }, doc.header, chunks);
      return { name, content };
    } finally {
      dataKey.fill(0);
    }
  }

  /** The case's data key was destroyed (crypto-shredded). */
  async caseShredded(manager: EntityManager, caseId: string): Promise<boolean> {
    const rows = await select<CaseKeyRow>(manager, 'SELECT kek_id, wrapped_key FROM case_keys WHERE case_id = $1', [caseId]);
    return rows.length > 0 && rows[0].wrapped_key === null;
  }

  private async caseKey(manager: EntityManager, caseId: string): Promise<Uint8Array> {
    const rows = await select<CaseKeyRow>(manager, 'SELECT kek_id, wrapped_key FROM case_keys WHERE case_id = $1', [caseId]);
    return this.unwrap(rows[0], caseId);
  }

  /**
   * Seals and stores a secret of an account (replacing one of the same purpose). The KEK row is
   * share-locked so that retireKek cannot forget the KEK between the check and the insert.
   */
  async storeAccountSecret(runner: SqlRunner, userId: string, purpose: AccountSecretPurpose, secret: string): Promise<void> {
    const { kekId, sealed } = this.vault.sealAccountSecret(userId, purpose, secret);
    const registered = await select(runner, 'SELECT 1 FROM vault_keys WHERE kek_id = $1 FOR KEY SHARE', [kekId]);
    if (!registered.length) {
      throw new VaultError('missing_key', `Key-encryption key ${kekId} is not registered in this database: restart with the current keyring`);
    }
    await execute(
      runner,
      `INSERT INTO account_secrets (user_id, purpose, kek_id, sealed) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, purpose) DO UPDATE SET kek_id = excluded.kek_id, sealed = excluded.sealed, created_at = now()`,
      [userId, purpose, kekId, sealed],
    );
  }

  /** The account's secret of that purpose, opened; undefined when it has none. */
  async readAccountSecret(runner: SqlRunner, userId: string, purpose: AccountSecretPurpose): Promise<string | undefined> {
    const [row] = await select<{ kek_id: string; sealed: Buffer }>(runner, 'SELECT kek_id, sealed FROM account_secrets WHERE user_id = $1 AND purpose = $2', [
      userId,
      purpose,
    ]);
    return row ? this.vault.openAccountSecret(userId, purpose, row.kek_id, row.sealed) : undefined;
  }

  async hasAccountSecret(runner: SqlRunner, userId: string, purpose: AccountSecretPurpose): Promise<boolean> {
    return (await select(runner, 'SELECT 1 FROM account_secrets WHERE user_id = $1 AND purpose = $2', [userId, purpose])).length > 0;
  }

  /** Forgets the account's secrets of these purposes; answers how many were deleted. */
  deleteAccountSecrets(runner: SqlRunner, userId: string, purposes: readonly AccountSecretPurpose[]): Promise<number> {
    return execute(runner, 'DELETE FROM account_secrets WHERE user_id = $1 AND purpose = ANY($2::text[])', [userId, purposes]);
  }

  /** Reseals the account secrets sealed with another KEK with the current one (part of the rotation). */
  private async rotateAccountSecrets(current: string, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (m) => {
        const rows = await select<{ user_id: string; purpose: AccountSecretPurpose; kek_id: string; sealed: Buffer }>(
          m,
          `SELECT user_id, purpose, kek_id, sealed FROM account_secrets WHERE kek_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [current, batchSize],
        );
        for (const row of rows) {
          const secret = this.vault.openAccountSecret(row.user_id, row.purpose, row.kek_id, row.sealed);
          const { kekId, sealed } = this.vault.sealAccountSecret(row.user_id, row.purpose, secret);
          await execute(m, 'UPDATE account_secrets SET kek_id = $3, sealed = $4 WHERE user_id = $1 AND purpose = $2', [
            row.user_id,
            row.purpose,
            kekId,
            sealed,
          ]);
        }
        return rows.length;
      });
      total += done;
      if (done === 0) return total;
    }
  }

  /**
   * Rewraps every data key (and reseals every account secret) wrapped by another KEK with the current one, in batches of
   * `batchSize` rows per transaction (rows locked elsewhere are skipped, then retried). Field
   * ciphertexts are not touched. Safe to run again; returns the number of keys rewrapped.
   */
  async rotateKek(newKekId: string, options: { batchSize?: number; maxWaitMs?: number } = {}): Promise<number> {
    const current = this.vault.currentKekId;
    if (newKekId !== current) {
      throw new VaultError('invalid_input', `Cannot rotate to ${newKekId}: the keyring's current key-encryption key is ${current}`);
    }
    const batchSize = options.batchSize ?? 500;
    const deadline = Date.now() + (options.maxWaitMs ?? 30_000);
    await this.verifyKeys();
    // Account secrets (TOTP) are resealed first; the count returned is that of data keys.
    await this.rotateAccountSecrets(current, batchSize);
    let total = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (m) => {
        const rows = await select<{ case_id: string; kek_id: string; wrapped_key: Buffer }>(
          m,
          `SELECT case_id, kek_id, wrapped_key FROM case_keys
           WHERE kek_id <> $1 AND wrapped_key IS NOT NULL
           LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [current, batchSize],
        );
        if (!rows.length) return 0;
        const wrapped = rows.map((r) => {
          const dataKey = this.vault.unwrapDataKey(r.kek_id, r.wrapped_key, r.case_id);
          try {
            return this.vault.wrapDataKey(dataKey, r.case_id).wrapped;
          } finally {
            dataKey.fill(0);
          }
        });
        await execute(
          m,
          `UPDATE case_keys k SET kek_id = $1, wrapped_key = d.wrapped, rewrapped_at = now()
           FROM unnest($2::uuid[], $3::bytea[]) AS d(case_id, wrapped) WHERE k.case_id = d.case_id`,
          [current, rows.map((r) => r.case_id), wrapped],
        );
        return rows.length;
      });
      total += done;
      if (done > 0) continue;
      const [{ remaining }] = await select<{ remaining: number }>(
        this.dataSource,
        `SELECT (SELECT count(*) FROM case_keys WHERE kek_id <> $1 AND wrapped_key IS NOT NULL)::int
              + (SELECT count(*) FROM account_secrets WHERE kek_id <> $1)::int AS remaining`,
        [current],
      );
      if (remaining === 0) return total;
      await this.rotateAccountSecrets(current, batchSize);
      if (Date.now() > deadline) {
        throw new VaultError(
          'rotation_incomplete',
          `${remaining} data keys stayed locked by other transactions after ${total} were rewrapped: run the rotation again`,
        );
      }
      await sleep(200);
    }
  }

  /**
   * Forgets an old KEK in the database once no data key depends on it, so it can be removed
   * from the keyring file (otherwise the start check keeps requiring it).
   */
  async retireKek(kekId: string): Promise<void> {
    if (kekId === this.vault.currentKekId) throw new VaultError('key_in_use', `${kekId} is the current key-encryption key`);
    await this.dataSource.transaction(async (m) => {
      const locked = await select(m, 'SELECT 1 FROM vault_keys WHERE kek_id = $1 FOR UPDATE', [kekId]);
      if (!locked.length) return;
      const [{ n }] = await select<{ n: number }>(
        m,
        `SELECT (SELECT count(*) FROM case_keys WHERE kek_id = $1 AND wrapped_key IS NOT NULL)::int
              + (SELECT count(*) FROM account_secrets WHERE kek_id = $1)::int AS n`,
        [kekId],
      );
      if (n > 0) throw new VaultError('key_in_use', `${n} data keys are still wrapped by ${kekId}: run the rotation first`);
      await execute(m, 'DELETE FROM vault_keys WHERE kek_id = $1', [kekId]);
    });
  }

  /**
   * Crypto-shredding: destroys the case's data key and deletes its ciphertexts. Irreversible;
   * later reads throw 'shredded' and writes are refused. A case without a key gets a destroyed
   * key row, so it can never be given one.
   */
  async shredCase(manager: EntityManager, caseId: string): Promise<void> {
    await execute(
      manager,
      `INSERT INTO case_keys (case_id, kek_id, wrapped_key, destroyed_at) VALUES ($1, $2, NULL, now())
       ON CONFLICT (case_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = COALESCE(case_keys.destroyed_at, now())`,
      [caseId, this.vault.currentKekId],
    );
    await execute(manager, 'DELETE FROM case_fields WHERE case_id = $1', [caseId]);
    // Documents (issue 12): their encrypted content and sealed names go; the row says one existed.
    await execute(manager, 'DELETE FROM case_document_chunks c USING case_documents d WHERE c.document_id = d.id AND d.case_id = $1', [caseId]);
    await execute(manager, 'UPDATE case_documents SET name_sealed = NULL, stream_header = NULL, erased_at = COALESCE(erased_at, now()) WHERE case_id = $1', [
      caseId,
    ]);
    // The first answer kept for an idempotent POST /cases (src/common/idempotency.ts) is a copy of its content.
    await execute(manager, 'DELETE FROM idempotency_keys WHERE resource_id = $1', [caseId]);
    const pending = this.pendingErasures.get(manager) ?? new Set<string>();
    this.pendingErasures.set(manager, pending.add(caseId));
  }
}
