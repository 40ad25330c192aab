import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isDatabaseUnreachable } from '../common/database-errors.js';
import { AppError } from '../common/errors.js';

/** What the gauges read when Prometheus scrapes (src/metrics/metrics-probe.ts). */
export interface MetricsProbe {
  /** Cases waiting for a scheduled event, by task (capped: a count, not a scan of the table). */
  jobQueue(): Promise<Record<string, number>>;
  /** Jobs of the job queue (pgboss.job, not yet archived) by queue and state: waiting, running, failed… */
  jobStates(): Promise<{ queue: string; state: string; count: number }[]>;
  /** Audit entries not sealed yet, and the age of the oldest one in seconds. */
  auditLag(): Promise<{ unsealed: number; oldestSeconds: number }>;
}

/** How a transition ended, for `cellule_case_transitions_total{outcome}`. */
export type TransitionOutcome = 'applied' | 'denied' | 'conflict' | 'refused' | 'invalid' | 'unavailable' | 'error';

/** The outcome label of a transition that threw. */
export function transitionOutcome(error: unknown): TransitionOutcome {
  if (isDatabaseUnreachable(error)) return 'unavailable';
  if (!(error instanceof AppError)) return 'error';
  switch (error.code) {
    case 'not_found':
    case 'forbidden':
      return 'denied';
    case 'stale_version':
      return 'conflict';
    case 'event_not_allowed':
      return 'refused';
    case 'validation':
    case 'unprocessable':
    case 'identifying_text':
      return 'invalid';
    default:
      return 'error';
  }
}

/**
 * The server's Prometheus metrics (prom-client), in a registry of its own (several apps in one
 * process, as in the tests, never share counters). Labels are bounded: a route is its pattern
 * (`/cases/:id`), never the path a client sent; an event is one of the lifecycle's types.
 * Served on their own port (CELLULE_METRICS_PORT), never on the API's.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;
  private readonly transitions: Counter<'event' | 'outcome'>;
  private readonly jobRuns: Counter<'queue' | 'outcome'>;

  constructor(probe?: MetricsProbe) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'cellule_' });
    this.requests = new Counter({
      name: 'cellule_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'cellule_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.transitions = new Counter({
      name: 'cellule_case_transitions_total',
      help: 'Case lifecycle events sent, by event type and outcome',
      labelNames: ['event', 'outcome'],
      registers,
    });
    this.jobRuns = new Counter({
      name: 'cellule_job_runs_total',
      help: 'Rounds of scheduled tasks and one-off jobs run by this process, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    if (!probe) return;
    new Gauge({
      name: 'cellule_job_queue_depth',
      help: 'Cases due for a scheduled event (follow-up, end of retention), counted up to 10000',
      labelNames: ['task'],
      registers,
      async collect() {
        for (const [task, depth] of Object.entries(await probe.jobQueue())) this.set({ task }, depth);
      },
    });
    new Gauge({
      name: 'cellule_job_queue_jobs',
      help: 'Jobs of the job queue (pg-boss) by queue and state (created, retry, active, completed, failed…), until archived',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const { queue, state, count } of await probe.jobStates()) this.set({ queue, state }, count);
      },
    });
    let lag: Promise<{ unsealed: number; oldestSeconds: number }> | undefined;
    // Both audit gauges come from one query per scrape.
    const readLag = () => (lag ??= probe.auditLag().finally(() => setTimeout(() => (lag = undefined), 1000).unref()));
    new Gauge({
      name: 'cellule_audit_unsealed_entries',
      help: 'Audit entries written but not yet chained and signed by the sealer',
      registers,
      async collect() {
        this.set((await readLag()).unsealed);
      },
    });
    new Gauge({
      name: 'cellule_audit_sealing_lag_seconds',
      help: 'Age of the oldest audit entry not yet sealed (0 when every entry is sealed)',
      registers,
      async collect() {
        this.set((await readLag()).oldestSeconds);
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route }, seconds);
  }

  /** A round of a scheduled task or a one-off job ran here (src/jobs/job-queue.ts). */
  jobRun(queue: string, outcome: 'done' | 'failed'): void {
    this.jobRuns.inc({ queue, outcome });
  }

  transition(event: string, outcome: TransitionOutcome): void {
    this.transitions.inc({ event, outcome });
  }

  /** The text exposition format, as Prometheus scrapes it. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Serves GET /metrics on its own port (CELLULE_METRICS_HOST:CELLULE_METRICS_PORT): the API's
   * port never answers it, and the TLS proxy only reaches the API's port. Answers the bound port.
   */
  async listen(host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
    const server: Server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.render().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
        () => res.writeHead(503).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    return {
      port: typeof address === 'object' && address ? address.port : port,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}
