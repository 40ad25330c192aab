/**
 * A comparison server of `npm run bench`: `node dist/bench/server.js <variant>` (bench/variants.ts),
 * otherwise exactly `npm start`. Refuses to run with NODE_ENV=production.
 */
import { exitOnStartError, runServer } from '../src/server.js';
import { BENCH_VARIANTS, benchVariant, type BenchVariant } from './variants.js';

const name = process.argv[2] as BenchVariant;
if (process.env.NODE_ENV === 'production') exitOnStartError(new Error('the benchmark servers never run with NODE_ENV=production'));
if (!BENCH_VARIANTS.includes(name)) exitOnStartError(new Error(`bench/server.js <${BENCH_VARIANTS.join('|')}>`));
runServer(benchVariant(name)).catch(exitOnStartError);
