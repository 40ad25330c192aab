import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { createDataSource } from './data-source.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres.js';
import { assertLeastPrivilege } from './roles.js';

export interface Database {
  readonly dataSource: DataSource;
  readonly url: string;
  /** The embedded server when no DATABASE_URL is configured. */
  readonly embedded?: EmbeddedServer;
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
  const dataSource = createDataSource(url);
  try {
    await dataSource.initialize();
    if (config.nodeEnv === 'production') {
      await assertLeastPrivilege(dataSource);
      if (await dataSource.showMigrations()) {
        throw new Error('The database schema is not up to date: run `npm run migrate` (the migrate service) with the owner role, then start again');
      }
    } else {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length) log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
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
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      if (embedded) await embedded.stop();
    },
  };
}
