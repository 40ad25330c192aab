import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError, type DataSource, type QueryRunner } from 'typeorm';

/**
 * When PostgreSQL ends a session (restart, failover, an administrator's terminate), the pooled
 * connection emits an error and TypeORM releases the query runner holding it at once. The next
 * statement of that runner then fails with "Query runner already released" (or, through an entity
 * manager, "Database connection provided by a query runner was already released"), which says
 * nothing of the cause and would be answered 500. Here every query runner remembers the connection
 * error that released it, and those two errors are replaced by it: the request is then answered as
 * the database being unreachable (503 with Retry-After, src/common/database-errors.ts). A runner
 * released by its owner keeps TypeORM's error (a programming error stays one).
 */
export function installConnectionLossErrors(dataSource: DataSource): void {
  const driver = dataSource.driver as { createQueryRunner(mode: 'master' | 'slave'): QueryRunner; __celluleConnectionLoss?: boolean };
  if (driver.__celluleConnectionLoss) return;
  driver.__celluleConnectionLoss = true;
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => rememberLoss(create(mode));
  const query = dataSource.query.bind(dataSource) as (q: string, p?: unknown[], runner?: QueryRunner) => Promise<unknown>;
  (dataSource as { query: typeof query }).query = async (text, parameters, runner) => {
    try {
      return await query(text, parameters, runner);
    } catch (error) {
      const cause = runner && lostConnections.get(runner);
      if (cause !== undefined && error instanceof QueryRunnerProviderAlreadyReleasedError) throw cause;
      throw error;
    }
  };
}

/** The connection error that released a runner, when one did. */
const lostConnections = new WeakMap<QueryRunner, unknown>();

interface PostgresRunner {
  isReleased: boolean;
  /** TypeORM's: called with the connection's error when the connection fails, without one on release(). */
  releasePostgresConnection(err?: unknown): Promise<void>;
}

function rememberLoss(runner: QueryRunner): QueryRunner {
  const pgRunner = runner as unknown as PostgresRunner;
  if (typeof pgRunner.releasePostgresConnection !== 'function') return runner;
  const release = pgRunner.releasePostgresConnection.bind(runner);
  pgRunner.releasePostgresConnection = (err) => {
    if (err !== undefined && !pgRunner.isReleased) lostConnections.set(runner, err);
    return release(err);
  };
  const query = runner.query.bind(runner) as (q: string, p?: unknown[], s?: boolean) => Promise<unknown>;
  (runner as { query: typeof query }).query = async (text, parameters, structured) => {
    try {
      return await query(text, parameters, structured);
    } catch (error) {
      const cause = lostConnections.get(runner);
      if (cause !== undefined && error instanceof QueryRunnerAlreadyReleasedError) throw cause;
      throw error;
    }
  };
  return runner;
}
