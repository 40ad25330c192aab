import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { createDataSource } from './data-source.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres.js';
import { API_LOGIN_ROLE, APP_ROLE, assertLeastPrivilege } from './roles.js';
import { execute, select } from './sql.js';

export interface Database {
  readonly dataSource: DataSource;
  readonly url: string;
  /** The embedded server when no DATABASE_URL is configured. */
  readonly embedded?: EmbeddedServer;
  /** A URL as the schema's owner, when this process migrated (never in production): what registers the audit trust (src/audit/audit-trust.ts). */
  readonly ownerUrl?: string;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL in `dataDir/postgres`. Outside
 * production it then applies pending migrations. In production the server never migrates (its
 * role may not change the schema): it refuses to start while a migration is pending (run
 * `npm run migrate` as the owner) or when its role is a superuser, owns a table or bypasses
 * row-level security (src/database/roles.ts). The caller owns the returned handle and closes it on
 * shutdown.
 */
export async function openDatabase(config: AppConfig, log: (line: string) => void): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dir: path.join(config.dataDir, 'postgres'),
      preferredPort: config.embeddedPgPort,
      persistent: true,
      log: (line) => {
        if (/FATAL|PANIC|ERROR/.test(line)) log(`embedded postgres: ${line}`);
      },
    });
    await ensureDatabase(embedded.adminUrl, 'cellule');
    url = embedded.urlFor('cellule');
    log(`embedded PostgreSQL listening on 127.0.0.1:${embedded.port} (data in ${path.join(config.dataDir, 'postgres')})`);
  }
  let dataSource = createDataSource(url);
  let ownerUrl: string | undefined;
  try {
    await dataSource.initialize();
    if (embedded) {
      // The embedded default serves as the application role too (row-level security applies, as
      // in production): migrate as the cluster's superuser, then reconnect as a login of cellule_app.
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length) log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
      const appUrl = await ensureEmbeddedAppLogin(dataSource, path.join(config.dataDir, 'postgres'), url);
      if (config.nodeEnv !== 'production') ownerUrl = url;
      await dataSource.destroy();
      dataSource = createDataSource(appUrl);
      await dataSource.initialize();
      url = appUrl;
      if (config.nodeEnv === 'production') await assertLeastPrivilege(dataSource);
    } else if (config.nodeEnv === 'production') {
      await assertLeastPrivilege(dataSource);
      if (await dataSource.showMigrations()) {
        throw new Error('The database schema is not up to date: run `npm run migrate` (the migrate service) with the owner role, then start again');
      }
    } else {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length) log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
      ownerUrl = url;
    }
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    if (embedded) await embedded.stop();
    throw error;
  }
  return {
    dataSource,
    url,
    embedded,
    ownerUrl,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      if (embedded) await embedded.stop();
    },
  };
}

/**
 * The embedded cluster's login of the application group (cellule_app, created by the migrations):
 * `cellule_api`, its password generated once and kept beside the cluster, readable by its owner
 * only. Answers the URL to serve with.
 */
async function ensureEmbeddedAppLogin(admin: DataSource, dir: string, adminUrl: string): Promise<string> {
  const secretFile = path.join(dir, 'api.secret');
  let password: string;
  if (existsSync(secretFile)) {
    password = readFileSync(secretFile, 'utf8').trim();
  } else {
    password = randomBytes(24).toString('base64url');
    writeFileSync(secretFile, password, { mode: 0o600 });
  }
  const [{ exists }] = await select<{ exists: boolean }>(admin, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists`, [API_LOGIN_ROLE]);
  // The password is base64url (no quote can occur); roles and passwords cannot be bind parameters.
  await execute(admin, `${exists ? 'ALTER' : 'CREATE'} ROLE ${API_LOGIN_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`);
  await execute(admin, `GRANT ${APP_ROLE} TO ${API_LOGIN_ROLE}`);
  const url = new URL(adminUrl);
  url.username = API_LOGIN_ROLE;
  url.password = password;
  return url.toString();
}
