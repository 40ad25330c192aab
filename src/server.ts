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

/** Start-up errors (configuration, policies, keys) are written for the operator to act on. */
export function exitOnStartError(error: Error): never {
  process.stderr.write(`Cellule could not start: ${error.message}\n`);
  process.exit(1);
}
