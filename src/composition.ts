/**
 * The one composition root: what the server, the operator commands and the tests are built from.
 * `composeCore` checks and assembles the parts that exist before Nest starts (policies, keyring
 * and vault checked against the database, password hasher, token signer, audit sealer, clock);
 * `AppModule.forRoot(core)` wires every service on them. The HTTP server (src/app.ts) and the
 * commands (src/cli/context.ts) differ only in what they put around that module.
 */
import path from 'node:path';
import type { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccessService } from './access/access.service.js';
import { loadPolicy } from './access/policy.loader.js';
import type { CoreParts } from './app.module.js';
import { createAuditSealer } from './audit/audit-setup.js';
import { AuditService } from './audit/audit.service.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordHasher, type HashCost } from './auth/password-hasher.js';
import { resolveTokenSecret } from './auth/token-secret.js';
import { TokenSigner } from './auth/tokens.js';
import { Clock, SystemClock } from './common/clock.js';
import type { AppConfig } from './config/config.js';
import { setWideScopeAuditor } from './database/territory-scope.js';
import { databaseProbe } from './metrics/metrics-probe.js';
import { Metrics } from './metrics/metrics.js';
import { KEYRING_FILE_NAME, loadKeyring, type Keyring } from './vault/keyring.js';
import { defaultErasureJournalPath, ErasureJournal } from './vault/erasure-journal.js';
import { Vault } from './vault/vault.js';
import { VaultService } from './vault/vault.service.js';

export interface CoreOptions {
  config: AppConfig;
  dataSource: DataSource;
  logger: Logger;
  /**
   * `server`: with no keyring configured, outside production, one is generated into the data
   * folder. `command`: the configured keyring (or the one the server generated) is only read —
   * a command that invented keys would lock the data away.
   */
  keyring: 'server' | 'command';
  /** Cheaper argon2id for tests only; production always uses the OWASP settings. */
  hashCost?: HashCost;
  /** A connection URL as the schema's owner, when this process migrated (src/database/database.ts `ownerUrl`). */
  ownerUrl?: string;
  /** The time of the domain (default: the system clock); tests pass one they can move. */
  clock?: Clock;
  /**
   * Variants of the application, for the benchmark's comparison servers (bench/variants.ts) and
   * the tests: the vault built on the keyring, and providers registered over the defaults.
   * A production start (src/main.ts) passes none.
   */
  variant?: {
    vault?: (keyring: Keyring) => Promise<Vault>;
    providers?: Provider[];
  };
}

export interface Core extends CoreParts {
  metrics: Metrics;
  keyring: Keyring;
  /** The keyring file read (the rotation command updates it). */
  keyringPath: string;
  /** The erasure journal, kept with the keyring (src/vault/erasure-journal.ts). */
  erasureJournal: ErasureJournal;
  logger: Logger;
}

/** CELLULE_KEYRING, or the keyring the server generated into its data folder. */
export function keyringPathOf(config: AppConfig): string {
  return config.keyringPath ?? path.resolve(config.dataDir, KEYRING_FILE_NAME);
}

/**
 * The parts of the application on an open, migrated database: policies validated, keys checked
 * against the database. Anything wrong stops here, with a message for the operator.
 */
export async function composeCore(options: CoreOptions): Promise<Core> {
  const { config, dataSource, logger } = options;
  const production = config.nodeEnv === 'production';
  // The access log writer is shared with the access service, which logs every refusal.
  const audit = new AuditService(dataSource);
  // A request's use of every territory (an administrator, an auditor of no territory) is written to the access log.
  setWideScopeAuditor(dataSource, ({ reason, actorId, requestId }) =>
    audit.record({ actorId, organisationId: null, action: 'territory.scope.all', decision: 'allow', purpose: reason, requestId }),
  );
  const access = new AccessService(loadPolicy(config.policiesDir), audit);
  const keyringPath = keyringPathOf(config);
  const keyring = loadKeyring({
    keyringPath: options.keyring === 'command' ? keyringPath : config.keyringPath,
    dataDir: config.dataDir,
    production,
    log: (line: string) => logger.warn(line),
  });
  const vault = await (options.variant?.vault ?? Vault.create)(keyring);
  const vaultService = new VaultService(vault, dataSource);
  const { registered } = await vaultService.verifyKeys();
  // Kept with the keyring, outside the database: every erasure, for a restore to apply again.
  const erasureJournal = new ErasureJournal(config.erasureJournal ?? defaultErasureJournalPath(keyringPath));
  erasureJournal.checkWritable();
  vaultService.erasureJournal = erasureJournal;
  const auditSealer = await createAuditSealer({
    dataSource,
    keyring,
    auditKeyFile: config.auditKeyFile,
    policy: access,
    production,
    registeredKeks: registered,
    ownerUrl: options.ownerUrl,
    journal: erasureJournal,
    log: { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  const tokenSecret = resolveTokenSecret(config, (line) => logger.info(line));
  const clock = options.clock ?? new SystemClock();
  return {
    config,
    dataSource,
    access,
    audit,
    keyring,
    keyringPath,
    erasureJournal,
    vault,
    vaultService,
    hasher: new PasswordHasher(production ? undefined : options.hashCost, config.passwordQueueMax),
    tokens: new TokenSigner(tokenSecret),
    throttle: new LoginThrottle(dataSource, config, tokenSecret),
    auditSealer,
    clock,
    metrics: new Metrics(databaseProbe(dataSource, access, clock)),
    logger,
    overrideProviders: options.variant?.providers,
  };
}
