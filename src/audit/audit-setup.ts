import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { AccessService } from '../access/access.service.js';
import type { ErasureJournal } from '../vault/erasure-journal.js';
import type { Keyring } from '../vault/keyring.js';
import { readAuditKeyFile } from './audit-key.js';
import { AuditSealer } from './audit-sealer.js';
import { AuditSigner } from './audit-signer.js';
import { auditTrustWarnings, readAuditTrust, registerAuditTrust } from './audit-trust.js';
import { AuditService, type AuditEntry } from './audit.service.js';

export interface AuditSetupOptions {
  dataSource: DataSource;
  keyring: Keyring;
  /** The audit signing key's own file (CELLULE_AUDIT_KEY): preferred over the keyring's seed. */
  auditKeyFile?: string | null;
  policy: AccessService;
  production: boolean;
  /** KEK ids the vault has just registered in the database (key operations are audited). */
  registeredKeks?: string[];
  log: { warn(message: string): void; error(message: string): void };
  /**
   * A connection as the schema's owner, when this process has one (the embedded default, which
   * migrates as the cluster's superuser; a development DATABASE_URL it migrates with): the policy's
   * retention and the signing key are then registered in the database (src/audit/audit-trust.ts).
   * Never in production, where `npm run migrate` does it.
   */
  ownerUrl?: string;
  /** The erasure journal: the purges are written to it. */
  journal?: ErasureJournal;
}

/**
 * Builds the sealer for buildApp: the signing key from the keyring (required in production),
 * retention from policies/. Writes the audit entries of the key operations done at start.
 */
export async function createAuditSealer(options: AuditSetupOptions): Promise<AuditSealer> {
  const { dataSource, keyring, policy, log } = options;
  let seed = keyring.auditSigningSeed;
  let source = `keyring ${keyring.source}`;
  if (options.auditKeyFile) {
    const read = readAuditKeyFile(options.auditKeyFile);
    read.warnings.forEach((w) => log.warn(w));
    seed = read.seed;
    source = options.auditKeyFile;
    if (keyring.auditSigningSeed) {
      log.warn(
        `Keyring ${keyring.source} still holds an "auditSigningSeed": the audit key of ${options.auditKeyFile} is used; remove the seed from the keyring so that the data keys' holders cannot sign`,
      );
    }
  } else if (seed && options.production) {
    log.warn(
      `The audit signing key comes from the keyring ${keyring.source}: move it to a file of its own (npm run audit:key:init, CELLULE_AUDIT_KEY), apart from the data keys`,
    );
  }
  if (!seed && options.production) {
    throw new Error(
      `No audit signing key (neither CELLULE_AUDIT_KEY nor an "auditSigningSeed" in keyring ${keyring.source}): audit checkpoints could not be signed. ` +
        'Create one with `npm run audit:key:init -- <file>`, set CELLULE_AUDIT_KEY, then start again.',
    );
  }
  const signer = seed ? await AuditSigner.fromSeed(seed) : undefined;
  if (!signer) log.warn(`No audit signing key (${source}): the audit log is chained but its checkpoints are not signed`);
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
  const policyDays = policy.policy.retention.auditLogDays;
  if (options.ownerUrl) {
    const owner = new pg.Client({ connectionString: options.ownerUrl, application_name: 'cellule-audit-trust' });
    try {
      await owner.connect();
      const trusted = await registerAuditTrust(
        { query: async (text, params) => (await owner.query(text, params)).rows as unknown[] },
        { retentionDays: policyDays, publicKeys: signer ? [signer.publicKey] : [] },
      );
      for (const keyId of trusted) {
        entries.push({ actorId: null, organisationId: null, action: 'key.audit-signing.trust', decision: 'allow', purpose: 'start-up', detail: { keyId } });
      }
    } catch (error) {
      // A development DATABASE_URL whose role migrated without owning the audit tables: said, not fatal.
      log.warn(`Could not register the audit retention and signing key in the database: ${(error as Error).message}`);
    } finally {
      await owner.end();
    }
  }
  auditTrustWarnings(await readAuditTrust(dataSource), policyDays, signer?.keyId).forEach((w) => log.warn(w));
  await audit.recordMany(entries);
  return new AuditSealer(dataSource, signer, audit, {
    retentionDays: () => policy.policy.retention.auditLogDays,
    log,
    journal: options.journal,
  });
}
