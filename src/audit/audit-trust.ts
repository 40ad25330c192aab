import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execute, select, type SqlRunner } from '../database/sql.js';
import { KEYRING_FILE_NAME, parseKeyring } from '../vault/keyring.js';
import { readAuditKeyFile } from './audit-key.js';
import { AuditSigner, keyIdOf, publicKeySet } from './audit-signer.js';

/**
 * What the database itself holds to check a purge (migration AuditPurgeChecks): the audit
 * public keys whose purge checkpoints it accepts, and the retention it enforces. Only the owner
 * role writes them — `npm run migrate`, or the embedded default right after it migrated — so that
 * the application role cannot widen what it may purge.
 */
export interface AuditTrust {
  retentionDays: number;
  keyIds: string[];
}

export async function readAuditTrust(db: SqlRunner): Promise<AuditTrust> {
  const [settings] = await select<{ days: number }>(db, `SELECT retention_days AS days FROM audit_settings`);
  const keys = await select<{ keyId: string }>(db, `SELECT key_id AS "keyId" FROM audit_trusted_keys ORDER BY registered_at, key_id`);
  return { retentionDays: settings?.days ?? 0, keyIds: keys.map((k) => k.keyId) };
}

/**
 * Registers the policy's retention and the given audit public keys (idempotent; a key once
 * trusted stays trusted: older checkpoints are signed with it). Needs the owner role. Answers the
 * key ids that were new.
 */
export async function registerAuditTrust(db: SqlRunner, options: { retentionDays?: number; publicKeys?: Iterable<Uint8Array> }): Promise<string[]> {
  if (options.retentionDays !== undefined) {
    await execute(db, `UPDATE audit_settings SET retention_days = $1, updated_at = now() WHERE retention_days IS DISTINCT FROM $1`, [options.retentionDays]);
  }
  const added: string[] = [];
  for (const key of options.publicKeys ?? []) {
    const keyId = keyIdOf(key);
    const rows = await select<{ keyId: string }>(
      db,
      `INSERT INTO audit_trusted_keys (key_id, public_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key_id AS "keyId"`,
      [keyId, Buffer.from(key)],
    );
    if (rows.length) added.push(keyId);
  }
  return added;
}

/**
 * What a server should say at start when the database would refuse its purges: its signing key
 * not trusted there, or a policy retention shorter than the one the database enforces.
 */
export function auditTrustWarnings(trust: AuditTrust, policyDays: number, signerKeyId: string | undefined): string[] {
  const warnings: string[] = [];
  if (signerKeyId && !trust.keyIds.includes(signerKeyId)) {
    warnings.push(
      `The database does not trust the audit signing key ${signerKeyId}: it will refuse the retention purge until the key is registered (npm run migrate with CELLULE_AUDIT_KEY or CELLULE_AUDIT_PUBLIC_KEYS, as the owner role)`,
    );
  }
  if (trust.retentionDays !== policyDays) {
    warnings.push(
      `The policy keeps the access log ${policyDays} days, the database enforces ${trust.retentionDays}: run npm run migrate (as the owner role) with this policy to register it${policyDays < trust.retentionDays ? '; until then entries are kept longer' : ''}`,
    );
  }
  return warnings;
}

/**
 * The audit public keys an operator command is configured with, without reading anything secret
 * it does not need: CELLULE_AUDIT_PUBLIC_KEYS (comma-separated base64), else the key of
 * CELLULE_AUDIT_KEY, else the keyring's `auditSigningSeed` (CELLULE_KEYRING, or the data
 * folder's keyring when it exists). Empty when none is configured.
 */
export async function configuredAuditPublicKeys(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ keys: Uint8Array[]; source: string | null }> {
  if (env.CELLULE_AUDIT_PUBLIC_KEYS?.trim()) {
    return { keys: [...publicKeySet(env.CELLULE_AUDIT_PUBLIC_KEYS.split(',').filter((k) => k.trim())).values()], source: 'CELLULE_AUDIT_PUBLIC_KEYS' };
  }
  if (env.CELLULE_AUDIT_KEY) {
    const signer = await AuditSigner.fromSeed(readAuditKeyFile(path.resolve(env.CELLULE_AUDIT_KEY)).seed);
    return { keys: [signer.publicKey], source: `audit key ${env.CELLULE_AUDIT_KEY}` };
  }
  const file = path.resolve(env.CELLULE_KEYRING || path.join(dataDir, KEYRING_FILE_NAME));
  if (!existsSync(file)) return { keys: [], source: null };
  const seed = parseKeyring(readFileSync(file, 'utf8'), file).auditSigningSeed;
  if (!seed) return { keys: [], source: null };
  return { keys: [(await AuditSigner.fromSeed(seed)).publicKey], source: `keyring ${file}` };
}
