import type { DataSource } from 'typeorm';
import type { AccessService } from '../access/access.service.js';
import type { Keyring } from '../vault/keyring.js';
import { AuditSealer } from './audit-sealer.js';
import { AuditSigner } from './audit-signer.js';
import { AuditService, type AuditEntry } from './audit.service.js';

export interface AuditSetupOptions {
  dataSource: DataSource;
  keyring: Keyring;
  policy: AccessService;
  production: boolean;
  /** KEK ids the vault has just registered in the database (key operations are audited). */
  registeredKeks?: string[];
  log: { warn(message: string): void; error(message: string): void };
}

/**
 * Builds the sealer for buildApp: the signing key from the keyring (required in production),
 * retention from policies/. Writes the audit entries of the key operations done at start.
 */
export async function createAuditSealer(options: AuditSetupOptions): Promise<AuditSealer> {
  const { dataSource, keyring, policy, log } = options;
  if (!keyring.auditSigningSeed && options.production) {
    throw new Error(
      `Keyring ${keyring.source} has no "auditSigningSeed": audit checkpoints could not be signed. ` +
        'Add one (base64 of 32 random bytes, e.g. `openssl rand -base64 32`), keep the keyring backed up, then start again.',
    );
  }
  const signer = keyring.auditSigningSeed ? await AuditSigner.fromSeed(keyring.auditSigningSeed) : undefined;
  if (!signer) log.warn(`Keyring ${keyring.source} has no "auditSigningSeed": the audit log is chained but its checkpoints are not signed`);
  const audit = new AuditService(dataSource);
  const entries: AuditEntry[] = (options.registeredKeks ?? []).map((kekId) => ({
    actorId: null,
    organisationId: null,
    action: 'key.kek.register',
    decision: 'allow',
    purpose: 'start-up',
    detail: { kekId },
  }));
  if (signer) {
    const known = (await dataSource.query(`SELECT 1 FROM audit_checkpoints WHERE key_id = $1 LIMIT 1`, [signer.keyId])) as unknown[];
    if (!known.length) {
      entries.push({
        actorId: null,
        organisationId: null,
        action: 'key.audit-signing.register',
        decision: 'allow',
        purpose: 'start-up',
        detail: { keyId: signer.keyId, publicKey: signer.publicKeyBase64 },
      });
    }
  }
  await audit.recordMany(entries);
  return new AuditSealer(dataSource, signer, audit, {
    retentionDays: () => policy.policy.retention.auditLogDays,
    log,
  });
}
