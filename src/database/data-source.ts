import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { installConnectionLossErrors } from './connection-loss.js';
import { installTerritoryScope } from './territory-scope.js';

/** How long a request waits for a new database connection before it is answered 503 (fail fast). */
export const CONNECT_TIMEOUT_MS = 2000;

/**
 * The one data source definition, shared by the server, the CLI commands and the tests.
 * Schema changes only through migrations/ (never `synchronize`). While PostgreSQL restarts, a
 * connection attempt fails at once (refused) or after CONNECT_TIMEOUT_MS, and a connection it
 * ended is dropped from the pool: requests get 503 meanwhile, and the pool reconnects by itself.
 */
export function createDataSource(url: string, options: { poolSize?: number; applicationName?: string } = {}): DataSource {
  const dataSource = new DataSource({
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
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    extra: { keepAlive: true },
    // A connection PostgreSQL ended (restart, failover) is an expected event, not a crash.
    poolErrorHandler: () => undefined,
  });
  // A statement on a connection PostgreSQL ended fails with that end (503), not "already released"
  // (500); installed first, so that the scope's own statements below go through it too.
  installConnectionLossErrors(dataSource);
  // Every transaction carries the territory scope of the unit of work (row-level security).
  installTerritoryScope(dataSource);
  return dataSource;
}
