/**
 * `npm run migrate` (the one-shot `migrate` service of docker-compose.yml): applies the pending
 * migrations as the owner role, then exits. In production the API never migrates: its role may
 * not change the schema, and it refuses to start while a migration is pending.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadPolicy } from '../access/policy.loader.js';
import { configuredAuditPublicKeys, registerAuditTrust } from '../audit/audit-trust.js';
import { createDataSource } from '../database/data-source.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import { APP_ROLE, AUDITOR_ROLE } from '../database/roles.js';
import { select } from '../database/sql.js';
import { isMain, runCommand, UsageError } from './context.js';

export const MIGRATE_USAGE = `Usage: migrate

Applies the pending migrations (migrations/, each in its own transaction: a failure leaves the
schema as it was) with the role of DATABASE_URL, which must own the database's schema (the owner
role, cellule_owner in docker-compose.yml). Without DATABASE_URL: the embedded PostgreSQL of
CELLULE_DATA_DIR (default ./var). Prints what it applied, and whether the roles ${APP_ROLE} and
${AUDITOR_ROLE} exist (the migrations grant them their rights when they do).

It also registers in the database what its purge function checks by itself: the retention of the
policy (auditLogDays of CELLULE_POLICIES_DIR, default ./policies) and the audit public key —
CELLULE_AUDIT_PUBLIC_KEYS (comma-separated base64, printed by audit:key:init), else the key of
CELLULE_AUDIT_KEY, else the keyring's audit seed. A key once registered stays trusted.`;

export interface MigrateReport {
  applied: string[];
  missingRoles: string[];
  /** Audit public keys newly trusted by the database's purge function. */
  trustedKeys: string[];
}

/** What the purge function of the database checks by itself (src/audit/audit-trust.ts). */
export interface AuditTrustInput {
  retentionDays?: number;
  publicKeys?: Uint8Array[];
}

/** Migrates the database at `url`; answers what was applied and the roles that are still missing. */
export async function migrate(url: string, trust: AuditTrustInput = {}): Promise<MigrateReport> {
  const dataSource = createDataSource(url, { poolSize: 1, applicationName: 'cellule-migrate' });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const trustedKeys = await registerAuditTrust(dataSource, trust);
    const present = await select<{ rolname: string }>(dataSource, `SELECT rolname FROM pg_roles WHERE rolname = ANY($1)`, [[APP_ROLE, AUDITOR_ROLE]]);
    const names = new Set(present.map((r) => r.rolname));
    return { applied: applied.map((m) => m.name), missingRoles: [APP_ROLE, AUDITOR_ROLE].filter((r) => !names.has(r)), trustedKeys };
  } finally {
    await dataSource.destroy();
  }
}

export async function runMigrate(env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<MigrateReport> {
  let embedded: EmbeddedServer | undefined;
  let url = env.DATABASE_URL;
  if (!url) {
    const dir = path.join(path.resolve(env.CELLULE_DATA_DIR || './var'), 'postgres');
    embedded = await startEmbeddedPostgres({ dir, preferredPort: Number(env.CELLULE_EMBEDDED_PG_PORT) || 54329, persistent: true });
    await ensureDatabase(embedded.adminUrl, 'cellule');
    url = embedded.urlFor('cellule');
  } else if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new UsageError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const policiesDir = path.resolve(env.CELLULE_POLICIES_DIR || './policies');
  const retentionDays = existsSync(policiesDir) ? loadPolicy(policiesDir).retention.auditLogDays : undefined;
  const { keys, source } = await configuredAuditPublicKeys(env, path.resolve(env.CELLULE_DATA_DIR || './var'));
  try {
    const report = await migrate(url, { retentionDays, publicKeys: keys });
    out(report.applied.length ? `applied migrations: ${report.applied.join(', ')}` : 'the schema was up to date: nothing to apply');
    out(
      retentionDays === undefined
        ? `no policies in ${policiesDir}: the audit retention registered in the database is unchanged`
        : `audit retention registered: ${retentionDays} days`,
    );
    if (!source)
      out(
        'no audit public key configured (CELLULE_AUDIT_PUBLIC_KEYS, CELLULE_AUDIT_KEY or the keyring): the database refuses purges signed by a key it does not trust',
      );
    else
      out(
        report.trustedKeys.length
          ? `audit signing key trusted for purges (${source}): ${report.trustedKeys.join(', ')}`
          : `audit signing key already trusted (${source})`,
      );
    for (const role of report.missingRoles) {
      out(`role ${role} does not exist: create it (README, Operations), then run migrate again so that it gets its rights`);
    }
    return report;
  } finally {
    await embedded?.stop();
  }
}

if (isMain(import.meta.url)) {
  runCommand('migrate', MIGRATE_USAGE, async () => {
    await runMigrate(process.env, (line) => process.stdout.write(`${line}\n`));
  });
}
