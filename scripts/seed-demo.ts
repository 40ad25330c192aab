/** `npm run seed:demo` on the database of `npm start` (the embedded one unless DATABASE_URL is set). */
import 'reflect-metadata';
import { buildApp } from '../src/app.js';
import { createRootLogger } from '../src/common/logger.js';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/database/database.js';
import { DEMO_PASSWORD, DEMO_TERRITORY, refuseInProduction, seedDemo } from './demo/seed-demo.js';

refuseInProduction(process.env.NODE_ENV);
const config = loadConfig();
const database = await openDatabase(config, () => undefined);
const built = await buildApp({ config, dataSource: database.dataSource, logger: createRootLogger('warn'), print: (line) => console.log(line) });
try {
  const { created, accounts } = await seedDemo(built.app, database.dataSource);
  console.log(
    `${created ? 'Demo territory created' : 'The demo territory already exists'}: ${DEMO_TERRITORY}. Accounts (first password ${DEMO_PASSWORD}, to replace at the first login; then a second factor is enrolled):`,
  );
  for (const a of accounts) console.log(`  ${a.email.padEnd(34)} ${a.roles.join(',').padEnd(18)} ${a.profession.padEnd(14)} ${a.org ?? ''}`);
  console.log('Log in with POST /auth/login; the API is described at /docs once `npm start` runs.');
} finally {
  await built.close();
  await database.close();
}
