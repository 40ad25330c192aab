import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';

/**
 * The one data source definition, shared by the server, the CLI commands and the tests.
 * Schema changes only through migrations/ (never `synchronize`).
 */
export function createDataSource(url: string, options: { poolSize?: number; applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    entities: [],
    logging: false,
    poolSize: options.poolSize ?? 20,
    applicationName: options.applicationName ?? 'cellule',
  });
}
