/**
 * Where a transition's CPU goes (`npm run bench -- --quick --cpu N`): N rounds of the HTTP
 * transition load and of the raw SQL baseline, each followed by
 *   - the server's CPU per transition, its main (JavaScript) thread apart from its other threads
 *     (V8's collector and compiler, libuv, the password worker), from /proc/<pid>/task;
 *   - PostgreSQL's CPU per transition: every `postgres` process of this machine, the backends
 *     that exited during the round included (their time is added to the postmaster's);
 *   - with pg_stat_statements loaded (the embedded cluster is started with it in this mode), each
 *     statement's calls and execution time in the round.
 * The throughput ratio of the regular bench moves ±10 % from run to run on a shared two-core
 * machine; CPU per transition moves much less, and says which side (server or database) and
 * which statement a difference comes from. Linux only (/proc). Nothing is written to results.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import type { LoadResult } from './load.js';

/** Clock ticks (USER_HZ: 100 on Linux) to milliseconds. */
const TICK_MS = 10;

/** utime + stime of a process or thread (`stat` fields 14 and 15), plus its reaped children's when asked. */
function ticksOf(statPath: string, withChildren = false): number {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0);
  } catch {
    return 0; // gone meanwhile
  }
}

/** The server's CPU so far: its main thread (the thread whose id is the pid) and the others. */
export function serverTicks(pid: number): { main: number; others: number } {
  let others = 0;
  let main = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const ticks = ticksOf(`/proc/${pid}/task/${tid}/stat`);
    if (Number(tid) === pid) main = ticks;
    else others += ticks;
  }
  return { main, others };
}

/** Every `postgres` process's CPU so far, with the backends that already exited. */
export function postgresTicks(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let name: string;
    try {
      name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (name === 'postgres') total += ticksOf(`/proc/${entry}/stat`, true);
  }
  return total;
}

export interface CpuRound {
  api: LoadResult;
  raw: LoadResult;
}

/** Runs `rounds` of (API load, raw load) and logs the CPU figures of each. */
export async function transitionCpu(options: {
  rounds: number;
  serverPid: number;
  db: pg.Client;
  api: () => Promise<LoadResult>;
  raw: () => Promise<LoadResult>;
  log: (line: string) => void;
}): Promise<CpuRound[]> {
  const { db, log } = options;
  let statements = true;
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await db.query('SELECT pg_stat_statements_reset()');
  } catch {
    statements = false;
    log('  pg_stat_statements is not loaded on this server (shared_preload_libraries): no per-statement figures');
  }
  const topStatements = async (count: number) => {
    if (!statements) return;
    const { rows } = await db.query<{ calls: string; ms: string; q: string }>(
      `SELECT calls::text, round(total_exec_time::numeric, 1)::text AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS q
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY total_exec_time DESC LIMIT 8`,
    );
    for (const r of rows) log(`      ${r.calls.padStart(6)} calls ${((Number(r.ms) * 1000) / Math.max(1, count)).toFixed(0).padStart(5)} µs/tx  ${r.q}`);
    await db.query('SELECT pg_stat_statements_reset()');
  };
  const perTx = (ticks: number, count: number) => `${((ticks * TICK_MS * 1000) / Math.max(1, count)).toFixed(0)} µs`;
  const rounds: CpuRound[] = [];
  for (let i = 0; i < options.rounds; i++) {
    const s0 = serverTicks(options.serverPid);
    let p0 = postgresTicks();
    const api = await options.api();
    const s1 = serverTicks(options.serverPid);
    let p1 = postgresTicks();
    log(
      `  round ${i + 1}: API ${api.perSec.toFixed(0)} transitions/s — server ${perTx(s1.main - s0.main, api.ok)} main thread + ${perTx(s1.others - s0.others, api.ok)} other threads, PostgreSQL ${perTx(p1 - p0, api.ok)} per transition`,
    );
    await topStatements(api.ok);
    p0 = postgresTicks();
    const raw = await options.raw();
    p1 = postgresTicks();
    const rawCount = Math.round(raw.perSec * raw.seconds);
    log(`           raw ${raw.perSec.toFixed(0)} tx/s — PostgreSQL ${perTx(p1 - p0, rawCount)} per transaction; ratio ${(api.perSec / raw.perSec).toFixed(3)}`);
    await topStatements(rawCount);
    rounds.push({ api, raw });
  }
  return rounds;
}
