import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { projectRoot, runBench } from './bench.js';
import { REQUIRED_KEYS, TARGETS, formatTargets, type BenchResult } from './report.js';
import { startFlags } from './servers.js';

/**
 * The benchmark's own code on a tiny dataset, in-process (no dist/ needed): it seeds, loads
 * every endpoint and reports every figure. No timing is asserted: only that the run completes,
 * every request succeeded and every figure is a number.
 */
/** The tiny in-process run both blocks start from, on the test's database. */
const tinyRun = (db: TestDatabase) =>
  ({ server: 'in-process', databaseUrl: db.url, cases: 240, territories: 4, seconds: 1, pairs: 1, warmupSeconds: 0 }) as const;

describe('npm run bench (in-process, tiny dataset)', () => {
  let db: TestDatabase;
  let result: BenchResult;

  beforeAll(async () => {
    db = await createTestDatabase();
    const answer = await runBench({ ...tinyRun(db), auditEntries: 2500 });
    if (!answer) throw new Error('runBench answered no result without --cpu');
    result = answer;
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('reports every required figure as a finite number', () => {
    for (const key of REQUIRED_KEYS) {
      expect(result).toHaveProperty(key);
      expect(Number.isFinite(result[key])).toBe(true);
    }
    expect(result.cases).toBe(240);
    for (const key of [
      'transitionRatio',
      'readRatio',
      'auditRatio',
      'encryptionRatio',
      'loginP99Ratio',
      'transitionPerSecC32',
      'duplicateHttpP99Ms',
    ] as const) {
      expect(typeof result[key]).toBe('number');
      expect(Number.isFinite(result[key])).toBe(true);
    }
  });

  it('ran the servers as a login of cellule_app, dropped after the run', async () => {
    expect(result.serverRole).toMatch(/^cellule_bench_api_[0-9a-f]{8}$/);
    expect(await db.dataSource.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [result.serverRole])).toEqual([]);
  });

  it('measured real work: requests went through and all of them succeeded', () => {
    expect(result.rawTxPerSec).toBeGreaterThan(0);
    expect(result.transitionPerSec).toBeGreaterThan(0);
    expect(result.readProtectedPerSec).toBeGreaterThan(0);
    expect(result.non2xx).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.seedRows.cases).toBe(240);
    expect(result.seedRows.case_fields).toBeGreaterThan(240 * 10);
    expect(result.peakRssMb).toBeGreaterThan(0);
  });

  it('measures the full and the incremental audit verification on a generated log', () => {
    expect(result).toMatchObject({ auditEntries: 2500, auditIncrementalEntries: 1000 });
    for (const key of ['auditGenerateSeconds', 'auditFullVerifyMs', 'auditIncrementalVerifyMs', 'auditIncrementalRatio'] as const) {
      expect(Number.isFinite(result[key])).toBe(true);
    }
    expect(result.auditIncrementalRatio).toBeGreaterThan(0);
  });

  it('prints the targets table and a JSON line that parses back', () => {
    const table = formatTargets(result);
    for (const target of TARGETS) expect(table).toContain(target.name);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('the servers the CLI bench starts', () => {
  it('run with the node flags of `npm start`', () => {
    expect(startFlags(projectRoot())).toEqual(['--max-semi-space-size=8']);
  });
});

describe('npm run bench -- --cpu (in-process, tiny dataset)', () => {
  let db: TestDatabase;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('measures the CPU of each round instead of comparing, and answers no result', async () => {
    const answer = await runBench({ ...tinyRun(db), auditEntries: 0, cpuRounds: 2, log: (line) => lines.push(line) });
    expect(answer).toBeNull();
    const rounds = lines.filter((l) => /^  round \d: API \d+ transitions\/s — server \d+ µs main thread \+ \d+ µs other threads, PostgreSQL \d+ µs per transition$/.test(l));
    expect(rounds).toHaveLength(2);
    expect(lines.filter((l) => /^ +raw \d+ tx\/s — PostgreSQL \d+ µs per transaction; ratio \d\.\d{3}$/.test(l))).toHaveLength(2);
    // The test cluster does not preload pg_stat_statements: said once, not failed.
    expect(lines.filter((l) => l.includes('pg_stat_statements is not loaded'))).toHaveLength(1);
    // No comparison ran: the raw/transition summary of the regular bench is absent.
    expect(lines.some((l) => l.includes('transition c=8'))).toBe(false);
  }, 120_000);
});
