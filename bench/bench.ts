/**
 * The benchmark of issue 5, runnable in-process (the test) or against child servers (the CLI,
 * bench/run.ts). Everything is measured in one run, as ratios against a baseline measured right
 * beside it: absolute times drift on a shared two-core machine, ratios much less.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { AuditSigner } from '../src/audit/audit-signer.js';
import { registerAuditTrust } from '../src/audit/audit-trust.js';
import { OWASP_ARGON2ID, PasswordHasher } from '../src/auth/password-hasher.js';
import { MAX_TOKEN_TTL_SECONDS, TokenSigner } from '../src/auth/tokens.js';
import { createDataSource } from '../src/database/data-source.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from '../src/database/embedded-postgres.js';
import { APP_ROLE, privilegeProblems } from '../src/database/roles.js';
import { generateKeyringFile, loadKeyring } from '../src/vault/keyring.js';
import { Vault } from '../src/vault/vault.js';
import { benchAuditVerification, type AuditVerifyFigures } from './audit-verify.js';
import { loadPolicy } from '../src/access/policy.loader.js';
import { transitionCpu } from './cpu.js';
import { CyclePool, duplicateLookups, httpLoad, median, rawTransitions, transitionJobs, type CycleCase, type Job, type LoadResult } from './load.js';
import { describeMachine, type BenchResult } from './report.js';
import { prng, seedDataset, type Dataset, type SeededCase } from './seed.js';
import { benchPolicies, peakRssMb, startChildServer, startInProcessServer, type RunningServer, type ServerEnv, type ServerSpec } from './servers.js';

export interface BenchOptions {
  /** Seeded cases (spread over `territories`). */
  cases: number;
  territories?: number;
  /** Length of each measured run, in seconds. */
  seconds?: number;
  /** Interleaved pairs per comparison (A, B, A, B…). */
  pairs?: number;
  warmupSeconds?: number;
  /** 'child': `node dist/src/main.js` processes (needs `npm run build`); 'in-process': buildApp here. */
  server: 'child' | 'in-process';
  /** Use this database as it is (migrations are applied). */
  databaseUrl?: string;
  /** Create a throw-away database on this server (dropped at the end). */
  databaseServerUrl?: string;
  /** child mode: write a V8 CPU profile of the main server into this folder. */
  profileDir?: string;
  quick?: boolean;
  /** synchronous_commit = off for the servers and the raw baseline (default: durable commits). */
  asyncCommit?: boolean;
  /** Entries of the generated audit log whose full and incremental verification is measured (0: not measured). */
  auditEntries?: number;
  /**
   * Instead of the comparisons: this many rounds of transitions and of the raw baseline at c=8,
   * with the CPU each costs the server and PostgreSQL (bench/cpu.ts); runBench then answers null.
   */
  cpuRounds?: number;
  log?: (line: string) => void;
}

function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return 0;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The project folder (holds package.json), from dist/bench/ or bench/. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('bench: package.json not found above the bench folder');
    dir = parent;
  }
  return dir;
}

interface Sum {
  ok: number;
  seconds: number;
  p99: number[];
  non2xx: number;
  errors: number;
}

function sum(): Sum {
  return { ok: 0, seconds: 0, p99: [], non2xx: 0, errors: 0 };
}

function add(s: Sum, r: LoadResult): LoadResult {
  s.ok += r.ok;
  s.seconds += r.seconds;
  s.p99.push(r.p99Ms);
  s.non2xx += r.non2xx;
  s.errors += r.errors;
  return r;
}

const rate = (s: Sum) => (s.seconds ? s.ok / s.seconds : 0);

/**
 * Runs the pairs of a comparison as A B, B A, A B…: whatever drifts during the run (caches warmed by
 * the run before, autovacuum, a neighbour on the host) falls on both sides.
 */
async function interleave(pairs: number, a: (pair: number) => Promise<unknown>, b: (pair: number) => Promise<unknown>): Promise<void> {
  for (let p = 0; p < pairs; p++) {
    if (p % 2 === 0) {
      await a(p);
      await b(p);
    } else {
      await b(p);
      await a(p);
    }
  }
}

export async function runBench(options: BenchOptions): Promise<BenchResult | null> {
  const log = options.log ?? (() => undefined);
  const territories = options.territories ?? 20;
  const seconds = options.seconds ?? 10;
  const pairs = options.pairs ?? 3;
  const warmup = options.warmupSeconds ?? Math.min(2, seconds);
  const root = projectRoot();
  const date = new Date().toISOString();
  const work = mkdtempSync(path.join(os.tmpdir(), 'cellule-bench-'));
  chmodSync(work, 0o755); // traversable by the `postgres` system user when run as root
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(work, { recursive: true, force: true })];
  const failures: string[] = [];
  const note = (r: LoadResult, what: string) => {
    for (const f of r.failures) if (failures.length < 10) failures.push(`${what}: ${f}`);
    return r;
  };
  try {
    // --- database ------------------------------------------------------------------------------
    let url = options.databaseUrl;
    if (!url && options.databaseServerUrl) {
      const name = `cellule_bench_${randomBytes(4).toString('hex')}`;
      const admin = new URL(options.databaseServerUrl);
      admin.pathname = '/postgres';
      await ensureDatabase(admin.toString(), name);
      const target = new URL(options.databaseServerUrl);
      target.pathname = `/${name}`;
      url = target.toString();
      cleanups.unshift(async () => {
        const c = new pg.Client({ connectionString: admin.toString() });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
      });
    }
    if (!url) {
      const t0 = performance.now();
      const embedded: EmbeddedServer = await startEmbeddedPostgres({
        dir: path.join(work, 'postgres'),
        preferredPort: 55400 + Math.floor(Math.random() * 400),
        persistent: false,
        ...(options.cpuRounds ? { settings: ['shared_preload_libraries=pg_stat_statements'] } : {}),
        log: (line) => {
          if (/FATAL|PANIC/.test(line)) log(`postgres: ${line}`);
        },
      });
      cleanups.unshift(() => embedded.stop());
      await ensureDatabase(embedded.adminUrl, 'cellule_bench');
      url = embedded.urlFor('cellule_bench');
      log(`embedded PostgreSQL on port ${embedded.port} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const databaseUrl = url;
    const ds = createDataSource(databaseUrl, { poolSize: 1, applicationName: 'cellule-bench-migrate' });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }

    // --- keys, accounts, dataset ---------------------------------------------------------------
    const keyringPath = path.join(work, 'keyring.json');
    writeFileSync(keyringPath, JSON.stringify(generateKeyringFile(), null, 2), { mode: 0o600 });
    const keyring = loadKeyring({ keyringPath, dataDir: work, production: false, log });
    const vault = await Vault.create(keyring);
    const tokenSecret = randomBytes(32).toString('base64');
    const password = `bench-${randomBytes(9).toString('base64url')}`;
    const hasher = new PasswordHasher(OWASP_ARGON2ID, 1, 1);
    const passwordHash = await hasher.hash(password); // once: every account shares it
    await hasher.close();
    const db = new pg.Client({ connectionString: databaseUrl, application_name: 'cellule-bench' });
    await db.connect();
    cleanups.unshift(() => db.end());
    // What `npm run migrate` does in a deployment: the database trusts the servers' audit key for the retention purge.
    if (keyring.auditSigningSeed) {
      const signer = await AuditSigner.fromSeed(keyring.auditSigningSeed);
      await registerAuditTrust({ query: async (text, params) => (await db.query(text, params)).rows as unknown[] }, { publicKeys: [signer.publicKey] });
    }
    log(`seeding ${options.cases} cases over ${territories} territories…`);
    const dataset: Dataset = await seedDataset(db, { cases: options.cases, territories, vault, passwordHash, password, log });
    await db.query('RESET synchronous_commit');
    if (options.asyncCommit)
      await db.query(`ALTER DATABASE ${(await db.query('SELECT quote_ident(current_database()) AS d')).rows[0].d} SET synchronous_commit = off`);
    const postgres: Record<string, string> = {};
    for (const setting of ['server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_connections']) {
      postgres[setting] = ((await db.query(`SHOW ${setting}`)).rows[0] as Record<string, string>)[setting];
    }

    // --- servers -------------------------------------------------------------------------------
    // The servers connect as production's API does (README, Operations): a login role of
    // cellule_app — neither superuser, nor owner, nor BYPASSRLS — so row-level security and the
    // grants apply to what is measured. Its own name per run (runs may share a cluster), dropped at the end.
    const serverRole = `cellule_bench_api_${randomBytes(4).toString('hex')}`;
    const serverPassword = randomBytes(18).toString('base64url');
    // A role and its password cannot be bind parameters: both are [a-z0-9_] / base64url here (no quote can occur).
    await db.query(`CREATE ROLE ${serverRole} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE PASSWORD '${serverPassword}' IN ROLE ${APP_ROLE}`);
    cleanups.unshift(async () => {
      await db.query(`DROP ROLE IF EXISTS ${serverRole}`);
    });
    const serverUrl = new URL(databaseUrl);
    serverUrl.username = serverRole;
    serverUrl.password = serverPassword;
    const check = new pg.Client({ connectionString: serverUrl.toString(), application_name: 'cellule-bench-role' });
    await check.connect();
    try {
      const problems = await privilegeProblems({ query: async (text, params) => (await check.query(text, params)).rows as unknown[] });
      if (problems.length) throw new Error(`bench: the servers' role is not what production runs as:\n  - ${problems.join('\n  - ')}`);
    } finally {
      await check.end();
    }
    log(`servers connect as ${serverRole} (a login of ${APP_ROLE}: row-level security applies)`);
    const env: ServerEnv = { databaseUrl: serverUrl.toString(), keyringPath, tokenSecret, dataDir: work, root, policiesDir: benchPolicies(root, work) };
    const start = (spec: ServerSpec) => (options.server === 'child' ? startChildServer(env, spec) : startInProcessServer(env, spec));
    const servers: RunningServer[] = [];
    cleanups.unshift(async () => {
      for (const s of servers) await s.stop().catch(() => undefined);
    });
    const t0 = performance.now();
    const specs: ServerSpec[] = [
      { name: 'main', nodeFlags: options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [] },
      { name: 'audit-off' },
      { name: 'encryption-off' },
    ];
    // Children start side by side; in-process apps one after the other.
    if (options.server === 'child') {
      const started = await Promise.allSettled(specs.map((spec) => start(spec)));
      for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    } else {
      for (const spec of specs) servers.push(await start(spec));
    }
    const [main, auditOff, encryptionOff] = servers;
    log(`servers up (${options.server}): main, audit-off, encryption-off (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    // The servers' sealer chains the seeded audit history first (~7,000 entries/s here): wait for it,
    // or it would compete with every measurement (up to an hour for the 1M-case scale run).
    const sealer = await waitForSealer(db, log, options.quick ? 60 : Math.max(900, Math.ceil((dataset.rows.audit_events ?? 0) / 2000)));

    // --- who calls what ------------------------------------------------------------------------
    const signer = new TokenSigner(Buffer.from(tokenSecret, 'base64'));
    // Tokens live an hour at most (MAX_TOKEN_TTL_SECONDS): one is signed again after 50 minutes.
    const tokens = new Map<string, { token: string; at: number }>();
    const tokenOf = (userId: string) => {
      let entry = tokens.get(userId);
      if (!entry || Date.now() - entry.at > 50 * 60_000) tokens.set(userId, (entry = { token: signer.sign(userId, 0, MAX_TOKEN_TTL_SECONDS), at: Date.now() }));
      return entry.token;
    };
    const coordinatorToken = (territory: number) => tokenOf(dataset.territories[territory].coordinator.id);
    const cycle: CycleCase[] = dataset.cases
      .filter((c) => c.state === 'plan_active' || c.state === 'follow_up')
      .map((c) => ({ id: c.id, territory: c.territory, state: c.state, version: c.version }));
    if (cycle.length < 64) throw new Error(`bench: only ${cycle.length} cases in plan_active/follow_up; seed more cases`);
    const pool = new CyclePool(cycle);
    const transitions = async (server: RunningServer, connections: number, duration = seconds) => {
      await settle(db);
      await pool.resync(db);
      return note(
        await httpLoad(server.url, { connections, seconds: duration, next: transitionJobs(pool, (c) => coordinatorToken(c.territory)) }),
        `transition ${server.name}`,
      );
    };
    const reads = (server: RunningServer, as: 'referrer' | 'coordinator', seed: number, duration = seconds) => {
      const rand = prng(seed);
      const all: SeededCase[] = dataset.cases;
      const next = (): Job => {
        const c = all[Math.floor(rand() * all.length)];
        const user = as === 'referrer' ? c.referrerId : dataset.territories[c.territory].coordinator.id;
        return { method: 'GET', path: `/cases/${c.id}`, headers: { authorization: `Bearer ${tokenOf(user)}` } };
      };
      return httpLoad(server.url, { connections: 8, seconds: duration, next }).then((r) => note(r, `read ${as} ${server.name}`));
    };
    const loginUsers = dataset.users.filter((u) => u.organisationId);
    let loginTurn = 0;
    const loginJob = (): Job => {
      const u = loginUsers[loginTurn++ % loginUsers.length];
      return {
        method: 'POST',
        path: '/auth/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: u.email, password: dataset.password }),
      };
    };

    // --- sanity: the seeded accounts log in, the tokens are accepted ---------------------------
    const login = await fetch(`${main.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: loginUsers[0].email, password: dataset.password }),
    });
    if (login.status !== 200) throw new Error(`bench: a seeded account cannot log in (${login.status}): ${await login.text()}`);
    const probe = await fetch(`${main.url}/cases/${dataset.cases[0].id}`, { headers: { authorization: `Bearer ${tokenOf(dataset.cases[0].referrerId)}` } });
    if (probe.status !== 200) throw new Error(`bench: the referrer cannot read a seeded case (${probe.status}): ${await probe.text()}`);
    const seen = (await probe.json()) as { released: string[]; identity?: Record<string, string>; health?: Record<string, string> };
    if (!seen.identity?.lastName || !seen.health?.narrative)
      throw new Error(`bench: the referrer's read did not decrypt identity and health (released: ${seen.released.join(', ')})`);

    // --- warm-up (JIT, pools, caches) ----------------------------------------------------------
    if (warmup > 0) {
      for (const s of servers) await transitions(s, 8, warmup);
      await reads(main, 'referrer', 1, warmup);
      await reads(encryptionOff, 'referrer', 1, warmup);
      await reads(main, 'coordinator', 1, warmup);
    }

    // --- raw SQL vs transition at c=8 ----------------------------------------------------------
    const raw = sum();
    const c8 = sum();
    const snapshots = { plan_active: dataset.cycleSnapshots.plan_active, follow_up: dataset.cycleSnapshots.follow_up };
    const rawP99: number[] = [];
    // Who FOLLOW_UP_DUE tells, as the servers read it from the same policies.
    const coordinatorRoles = loadPolicy(env.policiesDir).holders.coordinator?.roles;
    if (!coordinatorRoles?.length) throw new Error('bench: the policies name no role holding the coordinator relation');
    const rawOptions = {
      seconds,
      snapshots,
      followUpAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      coordinatorOf: (c: CycleCase) => ({
        id: dataset.territories[c.territory].coordinator.id,
        organisationId: dataset.territories[c.territory].coordinator.organisationId,
        territoryId: dataset.territories[c.territory].id,
      }),
      coordinatorRoles,
    };
    if (options.cpuRounds) {
      log(`CPU per transition (c=8, ${seconds} s per run):`);
      await transitionCpu({
        rounds: options.cpuRounds,
        serverPid: main.pid,
        db,
        api: () => transitions(main, 8),
        raw: async () => {
          await settle(db);
          await pool.resync(db);
          return rawTransitions(env.databaseUrl, pool, { ...rawOptions, connections: 8 });
        },
        log,
      });
      return null;
    }
    await interleave(
      pairs,
      async () => {
        await settle(db);
        await pool.resync(db);
        const r = add(raw, note(await rawTransitions(env.databaseUrl, pool, { ...rawOptions, connections: 8 }), 'raw'));
        rawP99.push(r.p99Ms);
      },
      async () => add(c8, await transitions(main, 8)),
    );
    log(`  raw ${rate(raw).toFixed(0)} tx/s · transition c=8 ${rate(c8).toFixed(0)}/s`);
    const c32 = sum();
    add(c32, await transitions(main, 32));
    // The same SQL alone at c=32: how much of the p99 is the database queue on this machine.
    await settle(db);
    await pool.resync(db);
    const raw32 = note(await rawTransitions(env.databaseUrl, pool, { ...rawOptions, connections: 32 }), 'raw c=32');
    log(
      `  transition c=32 ${rate(c32).toFixed(0)}/s, p99 ${median(c32.p99)} ms · SQL alone c=32 ${raw32.perSec.toFixed(0)} tx/s, p99 ${raw32.p99Ms.toFixed(1)} ms`,
    );

    // --- reads: referrer (identity + social + health decrypted, audited) vs coordinator ----------
    const readProtected = sum();
    const readMeta = sum();
    // Each run its own random cases: at 1M cases the rows do not all fit in memory, and a run
    // reading the cases of the run before would find them cached.
    await interleave(
      pairs,
      async (p) => add(readProtected, await reads(main, 'referrer', 100 + 2 * p)),
      async (p) => add(readMeta, await reads(main, 'coordinator', 101 + 2 * p)),
    );
    log(`  read referrer ${rate(readProtected).toFixed(0)}/s · coordinator ${rate(readMeta).toFixed(0)}/s`);

    // --- audit on vs off -----------------------------------------------------------------------
    const auditOn = sum();
    const auditOffSum = sum();
    await interleave(
      pairs,
      async () => add(auditOn, await transitions(main, 8)),
      async () => add(auditOffSum, await transitions(auditOff, 8)),
    );
    log(`  transition audit on ${rate(auditOn).toFixed(0)}/s · off ${rate(auditOffSum).toFixed(0)}/s`);

    // --- encryption on vs off (referrer read) --------------------------------------------------
    const encOn = sum();
    const encOff = sum();
    await interleave(
      pairs,
      async (p) => add(encOn, await reads(main, 'referrer', 200 + 2 * p)),
      async (p) => add(encOff, await reads(encryptionOff, 'referrer', 201 + 2 * p)),
    );
    log(`  read encryption on ${rate(encOn).toFixed(0)}/s · off ${rate(encOff).toFixed(0)}/s`);

    // --- transitions alone vs beside ten logins per second ---------------------------------------
    const alone = sum();
    const beside = sum();
    const logins = sum();
    const loginP99: number[] = [];
    await interleave(
      pairs,
      async () => add(alone, await transitions(main, 8)),
      async () => {
        const [t, l] = await Promise.all([transitions(main, 8), httpLoad(main.url, { connections: 10, seconds, overallRate: 10, next: loginJob })]);
        add(beside, t);
        add(logins, note(l, 'login'));
        loginP99.push(l.p99Ms);
      },
    );
    log(`  transition p99 alone ${median(alone.p99)} ms · with logins ${median(beside.p99)} ms (${rate(logins).toFixed(1)} logins/s)`);

    // --- duplicates ----------------------------------------------------------------------------
    const rand = prng(99);
    const probes = Array.from(
      { length: Math.min(2000, Math.max(50, dataset.cases.length)) },
      () => dataset.cases[Math.floor(rand() * dataset.cases.length)],
    ).map((c) => ({
      id: c.id,
      territoryId: dataset.territories[c.territory].id,
      identityIndex: c.identityIndex,
    }));
    const dup = await duplicateLookups(databaseUrl, probes);
    const dupRand = prng(98);
    const dupHttp = note(
      await httpLoad(main.url, {
        connections: 1,
        seconds: Math.min(seconds, 3),
        next: () => {
          const c = dataset.cases[Math.floor(dupRand() * dataset.cases.length)];
          return { method: 'GET', path: `/cases/${c.id}/duplicates`, headers: { authorization: `Bearer ${coordinatorToken(c.territory)}` } };
        },
      }),
      'duplicates',
    );
    log(
      `  duplicate lookup p50 ${dup.p50Ms.toFixed(2)} ms, p99 ${dup.p99Ms.toFixed(2)} ms (${dup.candidates} candidates in ${dup.lookups}); HTTP p99 ${dupHttp.p99Ms} ms`,
    );

    const peak = peakRssMb(main.pid) ?? 0;

    // --- audit verification: full vs incremental, on a generated log of its own ----------------
    const auditFigures: AuditVerifyFigures | null = options.auditEntries
      ? await benchAuditVerification(databaseUrl, { entries: options.auditEntries, log })
      : null;
    const transitionNon2xx = c8.non2xx + c32.non2xx + auditOn.non2xx + auditOffSum.non2xx + alone.non2xx + beside.non2xx;
    const readNon2xx = readProtected.non2xx + readMeta.non2xx + encOn.non2xx + encOff.non2xx + dupHttp.non2xx;
    const errors =
      raw.errors +
      raw32.errors +
      c8.errors +
      c32.errors +
      readProtected.errors +
      readMeta.errors +
      auditOn.errors +
      auditOffSum.errors +
      encOn.errors +
      encOff.errors +
      alone.errors +
      beside.errors +
      logins.errors +
      dupHttp.errors;
    for (const f of failures) log(`  failure: ${f}`);
    const transitionPerSec = rate(c8);
    const rawTxPerSec = rate(raw);
    return {
      date,
      mode: options.server,
      quick: options.quick ?? false,
      cases: options.cases,
      territories,
      secondsPerRun: seconds,
      pairs,
      seedSeconds: round(dataset.seconds, 1),
      seedRows: dataset.rows,
      sealerCatchUpSeconds: sealer === null ? null : round(sealer, 1),
      rawTxPerSec: round(rawTxPerSec, 0),
      rawP99Ms: round(median(rawP99), 2),
      transitionPerSec: round(transitionPerSec, 0),
      transitionP99MsC8: round(median(c8.p99), 2),
      transitionRatio: round(rawTxPerSec ? transitionPerSec / rawTxPerSec : 0, 3),
      transitionPerSecC32: round(rate(c32), 0),
      transitionP99Ms: round(median(c32.p99), 2),
      rawTxPerSecC32: round(raw32.perSec, 0),
      rawP99MsC32: round(raw32.p99Ms, 2),
      readProtectedPerSec: round(rate(readProtected), 0),
      readMetaPerSec: round(rate(readMeta), 0),
      readProtectedP99Ms: round(median(readProtected.p99), 2),
      readMetaP99Ms: round(median(readMeta.p99), 2),
      readRatio: round(rate(readMeta) ? rate(readProtected) / rate(readMeta) : 0, 3),
      auditOnPerSec: round(rate(auditOn), 0),
      auditOffPerSec: round(rate(auditOffSum), 0),
      auditRatio: round(rate(auditOffSum) ? rate(auditOn) / rate(auditOffSum) : 0, 3),
      encryptionOnPerSec: round(rate(encOn), 0),
      encryptionOffPerSec: round(rate(encOff), 0),
      encryptionRatio: round(rate(encOff) ? rate(encOn) / rate(encOff) : 0, 3),
      duplicateP50Ms: round(dup.p50Ms, 3),
      duplicateP99Ms: round(dup.p99Ms, 3),
      duplicateHttpP99Ms: round(dupHttp.p99Ms, 2),
      transitionP99AloneMs: round(median(alone.p99), 2),
      transitionP99WithLoginsMs: round(median(beside.p99), 2),
      loginP99Ratio: round(median(alone.p99) ? median(beside.p99) / median(alone.p99) : 0, 3),
      loginsPerSec: round(rate(logins), 1),
      loginP99Ms: round(median(loginP99), 1),
      peakRssMb: peak,
      ...(auditFigures ?? {}),
      transitionNon2xx,
      readNon2xx,
      loginNon2xx: logins.non2xx,
      non2xx: transitionNon2xx + readNon2xx + logins.non2xx,
      errors,
      postgres,
      serverRole,
      machine: describeMachine().summary,
    };
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`);
      }
    }
  }
}

/**
 * Waits until the servers' database sessions are all idle (three looks in a row): requests still
 * running when autocannon stopped must commit before versions are read back, or the next run
 * would start with stale versions (409).
 */
async function settle(db: pg.Client, maxMs = 20_000): Promise<void> {
  const t0 = performance.now();
  let quiet = 0;
  while (quiet < 3 && performance.now() - t0 < maxMs) {
    await sleep(50);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'`,
    );
    quiet = rows[0].n === 0 ? quiet + 1 : 0;
  }
}

/**
 * The seeded audit history is inserted unsealed; when the audit chain is in the schema, the
 * servers' sealer chains it in the background. Measuring during that catch-up would charge a
 * one-off backlog to every figure, so the bench waits until the backlog is gone (or stops
 * shrinking: no sealer running). Returns the seconds waited, or null without a chain.
 */
async function waitForSealer(db: pg.Client, log: (line: string) => void, maxSeconds: number): Promise<number | null> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit_events' AND column_name = 'seq'`,
  );
  if (!rowCount) return null;
  const unsealed = async () => ((await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL`)).rows[0] as { n: number }).n;
  const t0 = performance.now();
  let last = await unsealed();
  const initial = last;
  let still = 0;
  // A few entries of the bench's own sanity calls may be waiting for the next periodic seal.
  while (last > 50 && still < 2 && performance.now() - t0 < maxSeconds * 1000) {
    await sleep(1000);
    const n = await unsealed();
    still = n < last ? 0 : still + 1;
    last = n;
  }
  const waited = (performance.now() - t0) / 1000;
  log(`audit chain: ${initial - last} entries sealed, ${last} left unsealed after ${waited.toFixed(1)} s${last > 50 ? ' (no sealer catching up)' : ''}`);
  // Sealing updated every seeded entry: clean up now rather than under autovacuum mid-measure.
  if (initial > 1000 && last <= 50) await db.query('VACUUM (ANALYZE) audit_events');
  return waited;
}
