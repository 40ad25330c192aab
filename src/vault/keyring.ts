import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VaultError } from './vault-error.js';

/** Length of every key of the keyring (KEKs, the blind-index key, the audit signing seed), in bytes. */
export const KEY_BYTES = 32;
export const KEYRING_FILE_NAME = 'keyring.json';
const KEK_ID = /^kek-[A-Za-z0-9._-]{1,64}$/;

/** The JSON document on disk. */
export interface KeyringFile {
  version: 1;
  currentKekId: string;
  /** kek id → base64 of 32 random bytes. */
  keks: Record<string, string>;
  blindIndexKey: string;
  /**
   * base64 of the 32-byte Ed25519 seed that signs audit checkpoints. Optional so that keyrings
   * written before it existed still load; generated keyrings always have one.
   */
  auditSigningSeed?: string;
}

/** The validated, decoded keyring the Vault works with. */
export interface Keyring {
  /** Where it came from (a file path), for messages. */
  readonly source: string;
  readonly currentKekId: string;
  readonly keks: ReadonlyMap<string, Buffer>;
  readonly blindIndexKey: Buffer;
  /** Absent in keyrings written before audit signing existed. */
  readonly auditSigningSeed?: Buffer;
}

export interface LoadKeyringOptions {
  /** CELLULE_KEYRING; absent: `<dataDir>/keyring.json`, generated on first use (not in production). */
  keyringPath?: string;
  dataDir: string;
  production: boolean;
  log: (message: string) => void;
}

function invalid(source: string, problem: string): VaultError {
  return new VaultError('invalid_keyring', `Keyring ${source}: ${problem}`);
}

function decodeKey(value: unknown, source: string, what: string): Buffer {
  // Strict: Buffer.from(…, 'base64') silently skips garbage, which would hide a truncated key.
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    throw invalid(source, `${what} must be a base64 string`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== value) {
    throw invalid(source, `${what} must be the base64 encoding of exactly ${KEY_BYTES} bytes`);
  }
  return bytes;
}

/** Validates a keyring document. Errors name the source and the problem, never key material. */
export function parseKeyring(text: string, source: string): Keyring {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error: it could print a key.
    throw invalid(source, 'is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(source, 'must be a JSON object');
  const record = doc as Record<string, unknown>;
  const unknownProps = Object.keys(record).filter((k) => !['version', 'currentKekId', 'keks', 'blindIndexKey', 'auditSigningSeed'].includes(k));
  // Property names are not printed: a malformed file may have a key where a name should be.
  if (unknownProps.length) throw invalid(source, 'has unknown properties (allowed: version, currentKekId, keks, blindIndexKey, auditSigningSeed)');
  if (record.version !== 1) throw invalid(source, '"version" must be 1');
  const keksRaw = record.keks;
  if (typeof keksRaw !== 'object' || keksRaw === null || Array.isArray(keksRaw)) {
    throw invalid(source, '"keks" must be an object of key id → base64 key');
  }
  const keks = new Map<string, Buffer>();
  for (const [index, [id, value]] of Object.entries(keksRaw).entries()) {
    if (!KEK_ID.test(id)) throw invalid(source, `key id number ${index + 1} in "keks" must match ${KEK_ID.source}`);
    keks.set(id, decodeKey(value, source, `key-encryption key ${id}`));
  }
  if (keks.size === 0) throw invalid(source, '"keks" holds no key-encryption key');
  const current = record.currentKekId;
  if (typeof current !== 'string' || !keks.has(current)) {
    throw invalid(source, '"currentKekId" must name one of the keys in "keks"');
  }
  const blindIndexKey = decodeKey(record.blindIndexKey, source, '"blindIndexKey"');
  const auditSigningSeed = record.auditSigningSeed === undefined ? undefined : decodeKey(record.auditSigningSeed, source, '"auditSigningSeed"');
  // Key separation: a copy-paste mistake giving two roles the same key would weaken both.
  const all = [...keks.values(), blindIndexKey, ...(auditSigningSeed ? [auditSigningSeed] : [])].map((k) => k.toString('hex'));
  if (new Set(all).size !== all.length) throw invalid(source, 'two of its keys are identical; every key must be distinct');
  return {
    source,
    currentKekId: current,
    keks,
    blindIndexKey,
    ...(auditSigningSeed ? { auditSigningSeed } : {}),
  };
}

export function newKekId(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `kek-${day}-${randomBytes(4).toString('hex')}`;
}

export function generateKeyringFile(): KeyringFile {
  const kekId = newKekId();
  return {
    version: 1,
    currentKekId: kekId,
    keks: { [kekId]: randomBytes(KEY_BYTES).toString('base64') },
    blindIndexKey: randomBytes(KEY_BYTES).toString('base64'),
    auditSigningSeed: randomBytes(KEY_BYTES).toString('base64'),
  };
}

/** The document of a parsed keyring (for rewriting it). */
function toFile(keyring: Keyring): KeyringFile {
  return {
    version: 1,
    currentKekId: keyring.currentKekId,
    keks: Object.fromEntries([...keyring.keks].map(([id, key]) => [id, key.toString('base64')])),
    blindIndexKey: keyring.blindIndexKey.toString('base64'),
    ...(keyring.auditSigningSeed ? { auditSigningSeed: keyring.auditSigningSeed.toString('base64') } : {}),
  };
}

/** Replaces `file` atomically (temporary file with mode 0600, then rename). */
function replaceFile(file: string, text: string): void {
  const tmp = writeTemp(file, text);
  try {
    renameSync(tmp, file);
  } catch (error) {
    unlinkSync(tmp);
    throw error;
  }
}

function serialise(file: KeyringFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Writes a temporary file with mode 0600 next to the target (same filesystem, for rename/link). */
function writeTemp(target: string, content: string): string {
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  return tmp;
}

function readKeyringFile(file: string): Keyring {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'I/O error'})`);
  }
  return parseKeyring(text, file);
}

function warnIfExposed(file: string, log: (message: string) => void): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    log(`Keyring ${file} is readable or writable by group or others (mode ${mode.toString(8).padStart(4, '0')}): restrict it with chmod 600`);
  }
}

/**
 * Loads the keyring at start. With a path: read and validate it. Without one: refused in
 * production; otherwise `<dataDir>/keyring.json`, generated on first use.
 */
export function loadKeyring(options: LoadKeyringOptions): Keyring {
  if (options.keyringPath) {
    const file = path.resolve(options.keyringPath);
    const keyring = readKeyringFile(file);
    warnIfExposed(file, options.log);
    return keyring;
  }
  if (options.production) {
    throw new VaultError('invalid_keyring', 'No keyring configured: set CELLULE_KEYRING to the keyring file (a keyring is never generated in production)');
  }
  const file = path.resolve(options.dataDir, KEYRING_FILE_NAME);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = writeTemp(file, serialise(generateKeyringFile()));
  let generated = false;
  try {
    // link() fails if the target exists: two processes starting together never overwrite each
    // other's keyring, and nobody ever reads a half-written file.
    linkSync(tmp, file);
    generated = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
  if (generated) {
    options.log(
      `No keyring configured (CELLULE_KEYRING): generated a new keyring at ${file}. ` +
        'Back it up now and keep it apart from database backups: without it the encrypted data can never be read again.',
    );
  }
  let keyring = readKeyringFile(file);
  if (!keyring.auditSigningSeed) {
    // A development keyring generated before audit signing existed: it gets its seed in place.
    keyring = addAuditSigningSeed(file).keyring;
    options.log(`Keyring ${file} had no audit signing seed: added one (audit checkpoints are signed with it). Back the keyring up again.`);
  }
  warnIfExposed(file, options.log);
  return keyring;
}

/**
 * Adds an Ed25519 audit signing seed to a keyring written before audit signing existed. A keyring
 * that already has one is left untouched (the seed is never replaced: checkpoints signed with it
 * must stay verifiable). The file is replaced atomically, with mode 0600.
 */
export function addAuditSigningSeed(keyringPath: string): {
  added: boolean;
  keyring: Keyring;
} {
  const file = path.resolve(keyringPath);
  const current = readKeyringFile(file);
  if (current.auditSigningSeed) return { added: false, keyring: current };
  const text = serialise({
    ...toFile(current),
    auditSigningSeed: randomBytes(KEY_BYTES).toString('base64'),
  });
  const keyring = parseKeyring(text, file);
  replaceFile(file, text);
  return { added: true, keyring };
}

/**
 * For the rotate command: adds a fresh KEK to the keyring file and makes it current; the old
 * KEKs stay (the database still needs them until every data key is rewrapped and they are
 * retired). The file is replaced atomically, with mode 0600.
 */
export function addKek(keyringPath: string): {
  kekId: string;
  keyring: Keyring;
} {
  const file = path.resolve(keyringPath);
  const current = readKeyringFile(file);
  let kekId = newKekId();
  while (current.keks.has(kekId)) kekId = newKekId();
  const base = toFile(current);
  const next: KeyringFile = {
    ...base,
    currentKekId: kekId,
    keks: { ...base.keks, [kekId]: randomBytes(KEY_BYTES).toString('base64') },
  };
  const text = serialise(next);
  const keyring = parseKeyring(text, file);
  replaceFile(file, text);
  return { kekId, keyring };
}
