/**
 * Load generators: autocannon against the HTTP API, and the raw SQL of a transition through `pg`
 * (the ceiling the API is compared with).
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { auditRow } from '../src/audit/audit.service.js';
import { SELECT_CASE_FOR_UPDATE, writeTransition } from '../src/cases/case.repository.js';
import { preparedQuery, type SqlRunner } from '../src/database/sql.js';
import { TERRITORY_SETTING } from '../src/database/territory-scope.js';
import type { CaseState, PersistedCase } from '../src/cases/machine/context.js';
import { columnsOf } from '../src/cases/projection.js';
import { notifyCoordinators } from '../src/notifications/notifier.js';
import { prng } from './seed.js';

export interface Job {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Called with the answer (autocannon calls it before building the client's next request). */
  done?: (status: number, body: string) => void;
}

export interface LoadResult {
  /** 2xx answers per second over the run. */
  perSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  /** The first few failures, for the report (status and the start of the body). */
  failures: string[];
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Runs autocannon for `seconds` with `connections`, each request built by `next()`. */
export async function httpLoad(url: string, options: { connections: number; seconds: number; next: () => Job; overallRate?: number }): Promise<LoadResult> {
  const failures: string[] = [];
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (request, context) => {
          const job = options.next();
          context.job = job;
          return { ...request, method: job.method, path: job.path, headers: job.headers, ...(job.body !== undefined ? { body: job.body } : {}) };
        },
        onResponse: (status, body, context) => {
          const job = context.job as Job | undefined;
          if ((status < 200 || status >= 300) && failures.length < 5) failures.push(`${status} ${job?.method} ${job?.path}: ${String(body).slice(0, 300)}`);
          job?.done?.(status, String(body));
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    perSec: ok / result.duration,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    seconds: result.duration,
    failures,
  };
}

/** A case the transition loads cycle: plan_active --FOLLOW_UP_DUE--> follow_up --CONTINUE--> plan_active. */
export interface CycleCase {
  id: string;
  territory: number;
  state: CaseState;
  version: number;
}

/**
 * Hands out cases so that no two requests in flight touch the same case (no lock waits, no
 * stale versions): a taken case comes back with its new version once answered. A case whose
 * transition failed is set aside (and counted by the caller through the non-2xx figures).
 */
export class CyclePool {
  private queue: CycleCase[] = [];
  private head = 0;

  constructor(
    readonly cases: CycleCase[],
    private readonly seed = 7,
  ) {
    this.reset();
  }

  /** A fresh random order over every case (same order for the same seed: comparable runs). */
  reset(seed = this.seed): void {
    const rand = prng(seed);
    const copy = [...this.cases];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    this.queue = copy;
    this.head = 0;
  }

  take(): CycleCase {
    if (this.head >= this.queue.length) throw new Error('bench: more transitions in flight than cases to cycle');
    const c = this.queue[this.head++];
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return c;
  }

  give(c: CycleCase): void {
    this.queue.push(c);
  }

  /** Reads state and version back from the database (after a run cut requests short). */
  async resync(client: pg.Client): Promise<void> {
    const { rows } = await client.query<{ id: string; state: CaseState; version: number }>(`SELECT id, state, version FROM cases WHERE id = ANY($1::uuid[])`, [
      this.cases.map((c) => c.id),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const c of this.cases) {
      const row = byId.get(c.id);
      if (row) {
        c.state = row.state;
        c.version = row.version;
      }
    }
    this.reset();
  }
}

export function nextCycleEvent(state: CaseState): { type: 'FOLLOW_UP_DUE' | 'CONTINUE'; to: 'follow_up' | 'plan_active' } {
  return state === 'plan_active' ? { type: 'FOLLOW_UP_DUE', to: 'follow_up' } : { type: 'CONTINUE', to: 'plan_active' };
}

/** The HTTP transition job: the next event of the cycle, with the version last seen. */
export function transitionJobs(pool: CyclePool, tokenOf: (c: CycleCase) => string): () => Job {
  return () => {
    const c = pool.take();
    return {
      method: 'POST',
      path: `/cases/${c.id}/events`,
      headers: { authorization: `Bearer ${tokenOf(c)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: nextCycleEvent(c.state).type, expectedVersion: c.version }),
      done(status, body) {
        if (status !== 200) return; // set aside
        const answer = JSON.parse(body) as { state: CaseState; version: number };
        c.state = answer.state;
        c.version = answer.version;
        pool.give(c);
      },
    };
  };
}

export interface Actor {
  id: string;
  organisationId: string | null;
  /** The actor's territory: the row-level-security scope of its transactions. */
  territoryId: string;
}

/** A pg client as the SqlRunner the repository functions take (rows in, as TypeORM answers SELECTs). */
function sql(client: pg.Client): SqlRunner {
  return { query: async (query, parameters) => (await client.query(query as unknown as pg.QueryConfig, parameters)).rows };
}

/**
 * The transition's SQL alone at `connections` clients, in the very statements of the server
 * (src/cases/case.repository.ts): BEGIN with the territory scope of row-level security (one simple
 * query, as src/database/territory-scope.ts sends it); the case SELECT … FOR UPDATE; the one
 * statement that updates the row and inserts its history and audit rows (writeTransition); for
 * FOLLOW_UP_DUE, the read of the coordinators it tells (src/notifications/notifier.ts); COMMIT
 * — named (prepared) statements, precomputed snapshots, no HTTP, no Nest, no machine.
 *
 * `databaseUrl` is the servers' own login (a member of cellule_app: row-level security and the
 * grants apply), so the baseline is what PostgreSQL alone does with the server's statements under
 * the server's security — the ratio is then the API's own share. (Until 2026-12-02 the baseline ran
 * as the superuser, which row-level security does not bind, while the servers did not either until
 * 874f395 made them connect as production's role: from that commit to this one the ratio also
 * charged PostgreSQL's row-level security to the API. And until the same day's afternoon the
 * FOLLOW_UP_DUE notice's read, part of the server's transaction since issue 13, was left out.)
 */
export async function rawTransitions(
  databaseUrl: string,
  pool: CyclePool,
  options: {
    connections: number;
    seconds: number;
    snapshots: Record<'plan_active' | 'follow_up', string>;
    followUpAt: string;
    coordinatorOf: (c: CycleCase) => Actor;
    /** The roles holding the coordinator relation (access.yaml `holders`): who FOLLOW_UP_DUE tells. */
    coordinatorRoles: readonly string[];
  },
): Promise<LoadResult> {
  const clients = await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl, application_name: 'cellule-bench-raw' });
      await client.connect();
      return client;
    }),
  );
  const snapshots = {
    plan_active: JSON.parse(options.snapshots.plan_active) as PersistedCase,
    follow_up: JSON.parse(options.snapshots.follow_up) as PersistedCase,
  };
  const columns = { plan_active: columnsOf(snapshots.plan_active), follow_up: columnsOf(snapshots.follow_up) };
  const latencies: number[] = [];
  const failures: string[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          const c = pool.take();
          const actor = options.coordinatorOf(c);
          const { type, to } = nextCycleEvent(c.state);
          const t0 = performance.now();
          try {
            const now = new Date();
            // The scope's value is ids and commas (no quote can occur): sent as the server sends it.
            await client.query(`START TRANSACTION; SELECT set_config('${TERRITORY_SETTING}', '${actor.territoryId}', true)`);
            const [row] = await preparedQuery<{ territoryId: string; state: CaseState; version: number }[]>(sql(client), SELECT_CASE_FOR_UPDATE, [
              c.id,
              actor.id,
              actor.organisationId,
              now,
            ]);
            const version = await writeTransition(sql(client), {
              caseId: c.id,
              expectedVersion: row.version,
              event: type,
              from: row.state,
              snapshot: snapshots[to],
              columns: columns[to],
              at: now,
              actorUserId: actor.id,
              actorOrganisationId: actor.organisationId,
              audit: auditRow({
                actorId: actor.id,
                organisationId: actor.organisationId,
                territoryId: row.territoryId,
                action: `case.event.${type}`,
                caseId: c.id,
                decision: 'allow',
                purpose: 'coordinator',
                detail: { from: row.state, to, version: row.version + 1 },
              }),
            });
            if (version !== row.version + 1) throw new Error(`case ${c.id} was not at version ${row.version}`);
            // FOLLOW_UP_DUE tells the territory's coordinators (issue 13) in the transaction, by the
            // notifier's own statements: the recipients' read, and their notices when anyone other
            // than the sender is told (here the sender is the territory's one coordinator).
            if (type === 'FOLLOW_UP_DUE') {
              const committed = { caseId: c.id, territoryId: row.territoryId, version, at: now, actorId: actor.id };
              await notifyCoordinators(sql(client), committed, 'follow_up_due', options.coordinatorRoles, new Date(options.followUpAt));
            }
            await client.query('COMMIT');
            c.state = to;
            c.version = version;
            latencies.push(performance.now() - t0);
            pool.give(c);
          } catch (error) {
            errors++;
            if (failures.length < 5) failures.push((error as Error).message);
            await client.query('ROLLBACK').catch(() => undefined);
          }
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSec: latencies.length / seconds,
    ok: latencies.length,
    non2xx: 0,
    errors,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    seconds,
    failures,
  };
}

/** Latency of the duplicate check's candidate query (src/cases/duplicates.service.ts), one at a time. */
export async function duplicateLookups(
  databaseUrl: string,
  probes: { id: string; territoryId: string; identityIndex: string }[],
): Promise<{ p50Ms: number; p99Ms: number; lookups: number; candidates: number }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'cellule-bench-duplicates' });
  await client.connect();
  const latencies: number[] = [];
  let candidates = 0;
  try {
    for (const probe of probes) {
      const t0 = performance.now();
      const { rowCount } = await client.query(
        `SELECT id, reference, state FROM cases WHERE territory_id = $1 AND identity_index = $2 AND id <> $3 ORDER BY created_at`,
        [probe.territoryId, probe.identityIndex, probe.id],
      );
      latencies.push(performance.now() - t0);
      candidates += rowCount ?? 0;
    }
  } finally {
    await client.end();
  }
  latencies.sort((a, b) => a - b);
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), lookups: probes.length, candidates };
}
