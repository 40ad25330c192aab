/**
 * Errors of the vault. Messages name key ids, files, classes and fields, never a key or a
 * protected value: they end up in logs and problem details.
 */
export type VaultErrorCode =
  /** The keyring file is absent, unreadable or malformed, or not configured in production. */
  | 'invalid_keyring'
  /** A key-encryption key the database uses is not in the keyring. */
  | 'missing_key'
  /** The keyring holds a key id whose key differs from the one the database was written with. */
  | 'wrong_key'
  /** A ciphertext or wrapped key failed authentication (tampered, moved, or wrong key). */
  | 'decrypt_failed'
  /** The case's data key was destroyed (crypto-shredded): its protected fields are gone. */
  | 'shredded'
  /** The case has no data key yet (createCaseKey was not called). */
  | 'no_case_key'
  /** A KEK cannot be retired: data keys are still wrapped by it, or it is the current one. */
  | 'key_in_use'
  /** A KEK rotation could not finish (rows stayed locked); running it again is safe. */
  | 'rotation_incomplete'
  /** A programming error: bad class, field name, key length, date format. */
  | 'invalid_input';

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}
