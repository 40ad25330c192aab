/**
 * BENCHMARK-ONLY switches, read by `npm run bench` servers to measure what a safeguard costs
 * (bench/). They are never a configuration: set while
 * NODE_ENV=production, the start is refused (here, and by loadConfig before anything else runs).
 *
 *   CELLULE_BENCH_AUDIT=off       AuditService writes nothing (recordMany, rowOf: src/audit/audit.service.ts)
 *   CELLULE_BENCH_ENCRYPTION=off  VaultService seals and opens nothing: the same queries run, the
 *                                 bytes are stored and answered as they are (src/vault/vault.service.ts)
 */
export const BENCH_SWITCHES = ['CELLULE_BENCH_AUDIT', 'CELLULE_BENCH_ENCRYPTION'] as const;
export type BenchSwitch = (typeof BENCH_SWITCHES)[number];

export function benchSwitchProblem(name: BenchSwitch, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if ((env.NODE_ENV ?? '') === 'production') return `${name} is a benchmark-only switch: refused when NODE_ENV=production`;
  if (value !== 'on' && value !== 'off') return `${name} must be 'on' or 'off' (benchmark-only switch)`;
  return undefined;
}

/** True when the benchmark switch `name` is 'off'. Throws (start refused) in production. */
export function benchSwitchOff(name: BenchSwitch, env: NodeJS.ProcessEnv = process.env): boolean {
  const problem = benchSwitchProblem(name, env);
  if (problem) throw new Error(problem);
  return env[name] === 'off';
}
