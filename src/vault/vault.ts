import { randomBytes, timingSafeEqual } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { KEY_BYTES, type Keyring } from './keyring.js';
import { fold, normaliseBirthDate } from './normalise.js';
import { VaultError } from './vault-error.js';

/** The symbols of a transparency code: digits and capitals without 0, 1, I and O (32 of them: 5 bits each). */
export const TRANSPARENCY_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Symbols of a transparency code: 20 × 5 = 100 bits. */
export const TRANSPARENCY_CODE_SYMBOLS = 20;

/** Classes stored in case_fields (the migration's CHECK constraint). */
export const FIELD_CLASSES = ['identity', 'health', 'social', 'summary', 'consent', 'plan'] as const;
export type FieldClass = (typeof FIELD_CLASSES)[number];

/** Secrets of an account the vault seals (account_secrets.purpose): a TOTP secret, and one being enrolled. */
export const ACCOUNT_SECRET_PURPOSES = ['totp', 'totp_pending'] as const;
export type AccountSecretPurpose = (typeof ACCOUNT_SECRET_PURPOSES)[number];

/** Everything a sealed value is bound to: moving it to another row or field breaks decryption. */
export interface SealContext {
  territoryId: string;
  caseId: string;
  cls: FieldClass;
  field: string;
  keyVersion: number;
}

/** Everything the chunks of a document are bound to. */
export interface DocumentContext {
  territoryId: string;
  caseId: string;
  documentId: string;
  cls: FieldClass;
  keyVersion: number;
}

/** A document being encrypted: its stream header, and each chunk sealed in order (the last one final). */
export interface DocumentStream {
  readonly header: Buffer;
  push(plain: Uint8Array, last: boolean): Buffer;
}

/**
 * Bits kept from the blind index (hex string of BLIND_INDEX_BITS / 4 characters).
 *
 * 2^20 ≈ 1 million buckets. France has ~68 million people, so each index value is shared by
 * ~65 people of the population: whoever holds the index (even with the blind-index key, by
 * enumerating names and birth dates) cannot single out a person from it. For duplicate
 * detection inside one deployment (thousands to tens of thousands of cases) a lookup returns on
 * average N / 2^20 false candidates (≈ 0.01 for 10,000 cases), which the server then eliminates
 * by decrypting the candidates itself. Fewer bits would mean more decryptions per lookup; more
 * bits would start to make the index an identifier.
 */
export const BLIND_INDEX_BITS = 20;
export const BLIND_INDEX_HEX_LENGTH = Math.ceil(BLIND_INDEX_BITS / 4);

const NONCE_BYTES = 24; // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
const TAG_BYTES = 16; // crypto_aead_xchacha20poly1305_ietf_ABYTES
const CHECK_VALUE_LABEL = 'cellule/kek-check-value/v1';
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface BlindIndexInput {
  lastName: string;
  firstName: string;
  /** `YYYY-MM-DD` (or `DD/MM/YYYY`). */
  birthDate: string;
}

/** The name part of the blind index: folded, with every non letter/digit removed. */
export function normaliseNameForIndex(name: string): string {
  return fold(name).replace(/[^\p{L}\p{N}]+/gu, '');
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new VaultError('invalid_input', `${what} must be ${KEY_BYTES} bytes`);
  }
}

/**
 * Pure cryptography over a keyring: envelope keys, field sealing, key check values, blind index.
 * Random bytes come from node:crypto (libsodium's randombytes_buf is very slow on Node 20).
 */
export class Vault {
  protected constructor(private readonly keyring: Keyring) {}

  static async create(keyring: Keyring): Promise<Vault> {
    await sodium.ready;
    return new Vault(keyring);
  }

  get currentKekId(): string {
    return this.keyring.currentKekId;
  }

  get kekIds(): string[] {
    return [...this.keyring.keks.keys()];
  }

  hasKek(kekId: string): boolean {
    return this.keyring.keks.has(kekId);
  }

  private kek(kekId: string): Buffer {
    const key = this.keyring.keks.get(kekId);
    if (!key) {
      throw new VaultError('missing_key', `The keyring (${this.keyring.source}) does not hold key-encryption key ${kekId}`);
    }
    return key;
  }

  newDataKey(): Uint8Array {
    return randomBytes(KEY_BYTES);
  }

  private static wrapAd(caseId: string, kekId: string): string {
    return JSON.stringify(['cellule/case-key/v1', caseId.toLowerCase(), kekId]);
  }

  wrapDataKey(dataKey: Uint8Array, caseId: string): { kekId: string; wrapped: Buffer } {
    checkKey(dataKey, 'A data key');
    const kekId = this.keyring.currentKekId;
    const nonce = randomBytes(NONCE_BYTES);
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(dataKey, Vault.wrapAd(caseId, kekId), null, nonce, this.kek(kekId));
    return { kekId, wrapped: Buffer.concat([nonce, ct]) };
  }

  unwrapDataKey(kekId: string, wrapped: Uint8Array, caseId: string): Uint8Array {
    const kek = this.kek(kekId);
    if (wrapped.length !== NONCE_BYTES + KEY_BYTES + TAG_BYTES) {
      throw new VaultError('decrypt_failed', `The data key of case ${caseId} is malformed`);
    }
    try {
      return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        wrapped.subarray(NONCE_BYTES),
        Vault.wrapAd(caseId, kekId),
        wrapped.subarray(0, NONCE_BYTES),
        kek,
      );
    } catch {
      throw new VaultError('decrypt_failed', `The data key of case ${caseId} cannot be unwrapped with key-encryption key ${kekId}`);
    }
  }

  /** Associated data of an account's secret: the account, what the secret is for, and the KEK. */
  private static accountAd(userId: string, purpose: AccountSecretPurpose, kekId: string): string {
    if (!(ACCOUNT_SECRET_PURPOSES as readonly string[]).includes(purpose)) throw new VaultError('invalid_input', 'Unknown account secret purpose');
    return JSON.stringify(['cellule/account-secret/v1', userId.toLowerCase(), purpose, kekId]);
  }

  /**
   * Seals a secret of an account (a TOTP secret) with the current KEK, bound to the account id
   * and its purpose: moved to another account or used for another purpose, it does not open.
   * Returns the KEK used and nonce || ciphertext.
   */
  sealAccountSecret(userId: string, purpose: AccountSecretPurpose, secret: string): { kekId: string; sealed: Buffer } {
    const kekId = this.keyring.currentKekId;
    const nonce = randomBytes(NONCE_BYTES);
    const plain = Buffer.from(secret, 'utf8');
    try {
      const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, Vault.accountAd(userId, purpose, kekId), null, nonce, this.kek(kekId));
      return { kekId, sealed: Buffer.concat([nonce, ct]) };
    } finally {
      plain.fill(0);
    }
  }

  /**
   * Seals a provider's ID token kept for RP-initiated logout (issue 16), bound to what it belongs
   * to (`binding`: a browser session's or a sign-in's hash, hex): an ID token may carry a name or
   * an email, so it is never stored in clear.
   */
  sealIdToken(binding: string, idToken: string): { kekId: string; sealed: Buffer } {
    const kekId = this.keyring.currentKekId;
    const nonce = randomBytes(NONCE_BYTES);
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(Buffer.from(idToken, 'utf8'), Vault.idTokenAd(binding, kekId), null, nonce, this.kek(kekId));
    return { kekId, sealed: Buffer.concat([nonce, ct]) };
  }

  /** The ID token sealed by sealIdToken; undefined when it cannot be opened (a retired key: logout then goes without the hint). */
  openIdToken(binding: string, kekId: string, sealed: Uint8Array): string | undefined {
    if (sealed.length < NONCE_BYTES + TAG_BYTES || !this.keyring.keks.has(kekId)) return undefined;
    try {
      const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        sealed.subarray(NONCE_BYTES),
        Vault.idTokenAd(binding, kekId),
        sealed.subarray(0, NONCE_BYTES),
        this.kek(kekId),
      );
      return Buffer.from(plain).toString('utf8');
    } catch {
      return undefined;
    }
  }

  private static idTokenAd(binding: string, kekId: string): string {
    return JSON.stringify(['cellule/oidc-id-token/v1', binding, kekId]);
  }

  openAccountSecret(userId: string, purpose: AccountSecretPurpose, kekId: string, sealed: Uint8Array): string {
    const kek = this.kek(kekId);
    const failed = () => new VaultError('decrypt_failed', `A ${purpose} secret of account ${userId} cannot be decrypted (altered, moved, or wrong key)`);
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw failed();
    let plain: Uint8Array;
    try {
      plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        sealed.subarray(NONCE_BYTES),
        Vault.accountAd(userId, purpose, kekId),
        sealed.subarray(0, NONCE_BYTES),
        kek,
      );
    } catch {
      throw failed();
    }
    const text = asBuffer(plain).toString('utf8');
    plain.fill(0);
    return text;
  }

  /** Associated data of a stored idempotent answer: the account, the key's hash, the KEK. */
  private static answerAd(userId: string, keyHash: string, kekId: string): string {
    return JSON.stringify(['cellule/idempotent-answer/v1', userId.toLowerCase(), keyHash, kekId]);
  }

  /**
   * Seals the first answer to an idempotent request (it may hold a situation's identity) with the
   * current KEK, bound to the account and the key: it opens only for that account's replay.
   */
  sealAnswer(userId: string, keyHash: string, answer: string): { kekId: string; sealed: Buffer } {
    const kekId = this.keyring.currentKekId;
    const nonce = randomBytes(NONCE_BYTES);
    const plain = Buffer.from(answer, 'utf8');
    try {
      const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, Vault.answerAd(userId, keyHash, kekId), null, nonce, this.kek(kekId));
      return { kekId, sealed: Buffer.concat([nonce, ct]) };
    } finally {
      plain.fill(0);
    }
  }

  /**
   * What tells a replay from another request under the same idempotency key: keyed BLAKE2b over the
   * account and the body (the body may name the person: an unkeyed hash of it would let whoever
   * reads the table confirm a guess).
   */
  requestDigest(userId: string, body: string): Buffer {
    return Buffer.from(
      sodium.crypto_generichash(32, JSON.stringify(['cellule/idempotent-request/v1', userId.toLowerCase(), body]), this.keyring.blindIndexKey),
    );
  }

  openAnswer(userId: string, keyHash: string, kekId: string, sealed: Uint8Array): string {
    const failed = () => new VaultError('decrypt_failed', 'A stored idempotent answer cannot be decrypted (altered, moved, or its key retired)');
    if (!this.keyring.keks.has(kekId) || sealed.length < NONCE_BYTES + TAG_BYTES) throw failed();
    let plain: Uint8Array;
    try {
      plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        sealed.subarray(NONCE_BYTES),
        Vault.answerAd(userId, keyHash, kekId),
        sealed.subarray(0, NONCE_BYTES),
        this.kek(kekId),
      );
    } catch {
      throw failed();
    }
    const text = asBuffer(plain).toString('utf8');
    plain.fill(0);
    return text;
  }

  /** Canonical associated data: a JSON array in fixed order is unambiguous (no separator games). */
  private static fieldAd(ad: SealContext): string {
    if (!(FIELD_CLASSES as readonly string[]).includes(ad.cls)) throw new VaultError('invalid_input', 'Unknown field class');
    if (!FIELD_NAME.test(ad.field)) throw new VaultError('invalid_input', `Invalid field name for class ${ad.cls}`);
    if (!Number.isInteger(ad.keyVersion) || ad.keyVersion < 1) throw new VaultError('invalid_input', 'keyVersion must be a positive integer');
    return JSON.stringify(['cellule/field/v1', ad.territoryId.toLowerCase(), ad.caseId.toLowerCase(), ad.cls, ad.field, ad.keyVersion]);
  }

  /** Returns nonce || ciphertext (with its tag). */
  seal(dataKey: Uint8Array, ad: SealContext, plaintext: string): Buffer {
    checkKey(dataKey, 'A data key');
    const nonce = randomBytes(NONCE_BYTES);
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(Buffer.from(plaintext, 'utf8'), Vault.fieldAd(ad), null, nonce, dataKey);
    return Buffer.concat([nonce, ct]);
  }

  open(dataKey: Uint8Array, ad: SealContext, sealed: Uint8Array): string {
    checkKey(dataKey, 'A data key');
    const context = Vault.fieldAd(ad);
    const failed = () =>
      new VaultError('decrypt_failed', `The value of ${ad.cls}.${ad.field} cannot be decrypted (altered, moved from another case or field, or wrong key)`);
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw failed();
    let plain: Uint8Array;
    try {
      plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(NONCE_BYTES), context, sealed.subarray(0, NONCE_BYTES), dataKey);
    } catch {
      throw failed();
    }
    return asBuffer(plain).toString('utf8');
  }

  /** Associated data of every chunk of a document: moved to another document, case or class, it does not open. */
  private static documentAd(ad: DocumentContext): string {
    if (!(FIELD_CLASSES as readonly string[]).includes(ad.cls)) throw new VaultError('invalid_input', 'Unknown field class');
    if (!Number.isInteger(ad.keyVersion) || ad.keyVersion < 1) throw new VaultError('invalid_input', 'keyVersion must be a positive integer');
    return JSON.stringify(['cellule/document/v1', ad.territoryId.toLowerCase(), ad.caseId.toLowerCase(), ad.documentId.toLowerCase(), ad.cls, ad.keyVersion]);
  }

  /**
   * Starts the encryption of a document's content as a libsodium secretstream
   * (XChaCha20-Poly1305) under the case's data key: chunks are pushed in order, the last one
   * tagged final, each bound to the document (associated data). The stream's state holds its own
   * copy of the key: the caller may wipe `dataKey` once this returns.
   */
  startDocument(dataKey: Uint8Array, ad: DocumentContext): DocumentStream {
    checkKey(dataKey, 'A data key');
    const context = Vault.documentAd(ad);
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(dataKey);
    let finished = false;
    return {
      header: asBuffer(header),
      push(plain: Uint8Array, last: boolean): Buffer {
        if (finished) throw new VaultError('invalid_input', 'The document stream is already finished');
        finished = last;
        const tag = last ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
        return asBuffer(sodium.crypto_secretstream_xchacha20poly1305_push(state, plain, context, tag));
      },
    };
  }

  /**
   * Decrypts a document's chunks, in order, and checks that the stream ends with its final chunk
   * and nothing after it: altered, moved, reordered or truncated content throws 'decrypt_failed'.
   */
  openDocument(dataKey: Uint8Array, ad: DocumentContext, header: Uint8Array, chunks: readonly Uint8Array[]): Buffer {
    checkKey(dataKey, 'A data key');
    const context = Vault.documentAd(ad);
    const failed = () => new VaultError('decrypt_failed', `Document ${ad.documentId} cannot be decrypted (altered, truncated, moved, or wrong key)`);
    if (header.length !== sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES) throw failed();
    let state: ReturnType<typeof sodium.crypto_secretstream_xchacha20poly1305_init_pull>;
    try {
      state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, dataKey);
    } catch {
      throw failed();
    }
    const parts: Buffer[] = [];
    let final = false;
    for (const chunk of chunks) {
      if (final) throw failed();
      let result: false | { message: Uint8Array; tag: number };
      try {
        result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, chunk, context) as false | { message: Uint8Array; tag: number };
      } catch {
        throw failed();
      }
      if (!result) throw failed();
      parts.push(asBuffer(result.message));
      final = result.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    }
    if (!final) throw failed();
    return Buffer.concat(parts);
  }

  /** A deterministic fingerprint of one KEK, stored in vault_keys; reveals nothing about the key. */
  checkValue(kekId: string): Buffer {
    return asBuffer(sodium.crypto_generichash(32, CHECK_VALUE_LABEL, this.kek(kekId)));
  }

  /**
   * Compares the database's stored check values with the keyring. Throws 'missing_key' when the
   * keyring lacks a KEK the database uses, 'wrong_key' when a KEK differs.
   */
  verifyCheckValues(stored: ReadonlyArray<{ kekId: string; checkValue: Uint8Array }>): void {
    const missing = stored.filter((s) => !this.keyring.keks.has(s.kekId)).map((s) => s.kekId);
    if (missing.length) {
      throw new VaultError(
        'missing_key',
        `The keyring (${this.keyring.source}) does not hold key-encryption key${missing.length > 1 ? 's' : ''} ${missing.join(', ')} used by this database: start refused`,
      );
    }
    const wrong = stored
      .filter((s) => {
        const expected = this.checkValue(s.kekId);
        return s.checkValue.length !== expected.length || !timingSafeEqual(expected, s.checkValue);
      })
      .map((s) => s.kekId);
    if (wrong.length) {
      throw new VaultError(
        'wrong_key',
        `The keyring (${this.keyring.source}) holds a different key under the id${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')} than the one this database was encrypted with (check value mismatch): start refused`,
      );
    }
  }

  /**
   * The duplicate-detection index: keyed BLAKE2b (blind-index key, never a KEK) over the folded
   * names and the ISO birth date, truncated to BLIND_INDEX_BITS bits, as lower-case hex.
   */
  blindIndex(input: BlindIndexInput): string {
    const last = normaliseNameForIndex(input.lastName);
    const first = normaliseNameForIndex(input.firstName);
    const birth = normaliseBirthDate(input.birthDate);
    if (!last || !first) throw new VaultError('invalid_input', 'The blind index needs a last name and a first name');
    if (!birth) throw new VaultError('invalid_input', 'The blind index needs a valid birth date (YYYY-MM-DD)');
    const digest = sodium.crypto_generichash(32, JSON.stringify(['cellule/blind-index/v1', last, first, birth]), this.keyring.blindIndexKey);
    const top = ((digest[0] << 16) | (digest[1] << 8) | digest[2]) >>> (24 - BLIND_INDEX_BITS);
    return top.toString(16).padStart(BLIND_INDEX_HEX_LENGTH, '0');
  }

  /**
   * The index of the names alone (issue 12: the birth date is optional, a year or nothing): the
   * same keyed hash and truncation as `blindIndex`, under its own label. Candidates sharing it are
   * confirmed by the server on what both records know (date, year, age band).
   */
  nameIndex(input: { lastName: string; firstName: string }): string {
    const last = normaliseNameForIndex(input.lastName);
    const first = normaliseNameForIndex(input.firstName);
    if (!last || !first) throw new VaultError('invalid_input', 'The name index needs a last name and a first name');
    const digest = sodium.crypto_generichash(32, JSON.stringify(['cellule/name-index/v1', last, first]), this.keyring.blindIndexKey);
    const top = ((digest[0] << 16) | (digest[1] << 8) | digest[2]) >>> (24 - BLIND_INDEX_BITS);
    return top.toString(16).padStart(BLIND_INDEX_HEX_LENGTH, '0');
  }
  /**
   * A new transparency code for a situation (issue 15): 20 symbols of an alphabet without the
   * characters one misreads (no 0, 1, I, O), 5 bits each — 100 bits from the CSPRNG — printed in
   * five groups of four on the person's receipt only. The database keeps the keyed digest alone
   * (`transparencyDigest`), bound to the situation: a code never works for another one.
   */
  mintTransparencyCode(caseId: string): { code: string; digest: Buffer } {
    const bytes = randomBytes(TRANSPARENCY_CODE_SYMBOLS);
    // 256 is a multiple of 32: taking 5 bits of each byte is uniform.
    const symbols = [...bytes].map((b) => TRANSPARENCY_ALPHABET[b & 31]).join('');
    bytes.fill(0);
    const code = symbols.match(/.{4}/g)!.join('-');
    return { code, digest: this.transparencyDigest(caseId, code) };
  }

  /** The keyed digest (BLAKE2b under the index key) of a code as the person typed it: case, spaces and dashes do not matter. */
  transparencyDigest(caseId: string, code: string): Buffer {
    const symbols = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
    return Buffer.from(
      sodium.crypto_generichash(32, JSON.stringify(['cellule/transparency-code/v1', caseId.toLowerCase(), symbols]), this.keyring.blindIndexKey),
    );
  }

  /** Two digests are equal, compared in constant time. */
  sameDigest(a: Uint8Array, b: Uint8Array): boolean {
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The key under which a rate limit counts `value` (a client address, a reference): nothing kept in clear. */
  throttleKey(purpose: string, value: string): Buffer {
    return Buffer.from(sodium.crypto_generichash(32, JSON.stringify(['cellule/throttle/v1', purpose, value]), this.keyring.blindIndexKey));
  }
}
