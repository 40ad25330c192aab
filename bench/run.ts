/**
 * `npm run bench` — seeds a realistic dataset into its own embedded PostgreSQL (or a throw-away
 * database on the server of DATABASE_URL), starts the built server (`dist/src/main.js`) as child
 * processes and loads them with autocannon from this process. Prints progress, the targets table,
 * and as the LAST line one JSON object with every figure; appends a row to bench/results.md.
 *
 *   npm run bench                        100,000 cases, 10 s per run, 3 interleaved pairs, an audit log of 1M entries
 *   npm run bench -- --quick             3,000 cases, 2 s per run, 2 pairs, 20,000 audit entries (a few minutes)
 *   npm run bench -- --cases 1000000     the scale run
 *   options: --seconds N  --pairs N  --territories N  --profile DIR (V8 CPU profile of the main server)
 *            --no-results (do not append to bench/results.md)
 *            --async-commit (synchronous_commit = off: CPU-bound instead of fsync-bound commits)
 *            --audit-entries N (the audit log whose full and incremental verification is measured; 0: skip)
 *            --cpu N (instead of the comparisons: N rounds of transitions and raw baseline, with the CPU
 *            each costs the server and PostgreSQL, per thread and per statement — bench/cpu.ts)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, runBench } from './bench.js';
import { appendResults, formatTargets } from './report.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      cases: { type: 'string' },
      seconds: { type: 'string' },
      pairs: { type: 'string' },
      territories: { type: 'string' },
      profile: { type: 'string' },
      'no-results': { type: 'boolean', default: false },
      'async-commit': { type: 'boolean', default: false },
      'audit-entries': { type: 'string' },
      cpu: { type: 'string' },
    },
  });
  const int = (value: string | undefined, fallback: number, name: string, min = 1) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be ${min ? 'a positive' : 'a non-negative'} integer`);
    return n;
  };
  const quick = values.quick ?? false;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runBench({
    server: 'child',
    quick,
    cases: int(values.cases, quick ? 3000 : 100_000, 'cases'),
    territories: int(values.territories, 20, 'territories'),
    seconds: int(values.seconds, quick ? 2 : 10, 'seconds'),
    pairs: int(values.pairs, quick ? 2 : 3, 'pairs'),
    warmupSeconds: quick ? 1 : 3,
    databaseServerUrl: process.env.DATABASE_URL || undefined,
    asyncCommit: values['async-commit'] ?? false,
    auditEntries: int(values['audit-entries'], quick ? 20_000 : 1_000_000, 'audit-entries', 0),
    profileDir: values.profile ? path.resolve(values.profile) : undefined,
    cpuRounds: values.cpu === undefined ? undefined : int(values.cpu, 3, 'cpu'),
    log,
  });
  if (!result) return; // --cpu: the figures were logged
  if (!values['no-results']) appendResults(path.join(projectRoot(), 'bench', 'results.md'), result);
  process.stdout.write(`\n${formatTargets(result)}\n\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
