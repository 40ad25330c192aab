import { CAPS } from '../common/limits.js';
import { createHash } from 'node:crypto';
import sodium from 'libsodium-wrappers';

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** `ed25519-` + the first 16 hex digits of SHA-256(public key): names a key without being one. */
export function keyIdOf(publicKey: Uint8Array): string {
  return `ed25519-${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
}

/** Trusted public keys by key id, for verification. */
export type PublicKeySet = ReadonlyMap<string, Uint8Array>;

/**
 * Reads Ed25519 public keys given as base64 (or as bytes). Throws on anything that is not exactly
 * 32 bytes, naming its position only.
 */
export function publicKeySet(keys: Iterable<string | Uint8Array>): PublicKeySet {
  const set = new Map<string, Uint8Array>();
  let index = 0;
  for (const key of keys) {
    index++;
    const bytes = typeof key === 'string' ? Buffer.from(key.trim(), 'base64') : Buffer.from(key);
    if (bytes.length !== PUBLIC_KEY_BYTES || (typeof key === 'string' && bytes.toString('base64') !== key.trim())) {
      throw new Error(`Audit public key number ${index} is not the base64 encoding of ${PUBLIC_KEY_BYTES} bytes`);
    }
    set.set(keyIdOf(bytes), new Uint8Array(bytes));
  }
  if (set.size > CAPS.auditKeys) throw new Error(`${set.size} audit public keys: at most ${CAPS.auditKeys} are trusted (src/common/limits.ts)`);
  return set;
}

export async function verifySignature(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  await sodium.ready;
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/**
 * Signs audit checkpoints with the Ed25519 key derived from the keyring's `auditSigningSeed`.
 * The private key stays in this object; only the public key and its id ever leave it.
 */
export class AuditSigner {
  private constructor(
    private readonly privateKey: Uint8Array,
    readonly publicKey: Uint8Array,
    readonly keyId: string,
  ) {}

  static async fromSeed(seed: Uint8Array): Promise<AuditSigner> {
    await sodium.ready;
    if (seed.length !== sodium.crypto_sign_SEEDBYTES) throw new Error(`The audit signing seed must be ${sodium.crypto_sign_SEEDBYTES} bytes`);
    const pair = sodium.crypto_sign_seed_keypair(seed);
    return new AuditSigner(pair.privateKey, pair.publicKey, keyIdOf(pair.publicKey));
  }

  get publicKeyBase64(): string {
    return Buffer.from(this.publicKey).toString('base64');
  }

  /** The set a verifier trusts when it trusts this signer only. */
  get publicKeys(): PublicKeySet {
    return new Map([[this.keyId, this.publicKey]]);
  }

  sign(message: Uint8Array): Buffer {
    return Buffer.from(sodium.crypto_sign_detached(message, this.privateKey));
  }
}
