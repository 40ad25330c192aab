import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';

/** The seed of the audit signing key: 32 random bytes. */
const SEED_BYTES = 32;

/**
 * The audit signing key in a file of its own (CELLULE_AUDIT_KEY), apart from the keyring's data
 * keys: it can be deployed to the process that seals alone, and backed up and rotated on its own.
 * The file holds the base64 of the 32-byte Ed25519 seed on one line, readable by its owner only.
 */
export function readAuditKeyFile(file: string): { seed: Buffer; warnings: string[] } {
  const warnings: string[] = [];
  const mode = statSync(file).mode;
  if (mode & 0o077) warnings.push(`The audit signing key ${file} is readable by others than its owner (chmod 600 it)`);
  const text = readFileSync(file, 'utf8').trim();
  const seed = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+=*$/.test(text) || seed.length !== SEED_BYTES) {
    throw new Error(`The audit signing key ${file} must hold the base64 of ${SEED_BYTES} random bytes on one line`);
  }
  return { seed, warnings };
}

/** Writes a new audit signing key file (owner-only); never overwrites one. */
export function writeAuditKeyFile(file: string): Buffer {
  const seed = randomBytes(SEED_BYTES);
  writeFileSync(file, `${seed.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return seed;
}
