/**
 * The servers under load: the real build as child processes for the CLI (`node dist/src/main.js`
 * for the main server, `node dist/bench/server.js <variant>` for the comparison servers, both
 * with the flags of `npm start`), or the same application built in-process by `buildApp` for the
 * test of the bench itself. Variants: bench/variants.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createDataSource } from '../src/database/data-source.js';
import { benchVariant, type BenchVariant } from './variants.js';

export interface ServerEnv {
  databaseUrl: string;
  keyringPath: string;
  tokenSecret: string;
  dataDir: string;
  root: string;
  /** The policies the servers run with (benchPolicies): the project's, second factor aside. */
  policiesDir: string;
}

/**
 * The project's policies/, copied into the bench's folder with `accounts.secondFactor: []`. The
 * bench measures argon2id logins beside transitions: without the second factor a login is the
 * password step and the token, the same argon2id work as with it (the TOTP step is one HMAC-SHA-1,
 * microseconds), while a two-request login would need the load generator to compute codes, and
 * ten logins a second over the seeded accounts would hit the one-code-per-step rule.
 */
export function benchPolicies(root: string, work: string): string {
  const dir = path.join(work, 'policies');
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(path.join(root, 'policies'))) {
    let text = readFileSync(path.join(root, 'policies', file), 'utf8');
    if (file === 'access.yaml') {
      const edited = text.replace(/^(\s*)secondFactor:.*$/m, '$1secondFactor: []');
      if (edited === text) throw new Error('bench: policies/access.yaml has no accounts.secondFactor line to replace');
      text = edited;
    }
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

export interface RunningServer {
  readonly name: string;
  readonly url: string;
  /** Process id whose memory is reported (the child's, or this process in-process). */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: BenchVariant;
  /** Extra node flags for a child (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Peak resident set size (VmHWM) of a Linux process, in MB; null elsewhere. */
export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

async function waitHealthy(url: string, child: ChildProcess | undefined, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering:\n${output()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`the server did not answer /health within ${timeoutMs / 1000} s:\n${output()}`);
}

/**
 * The node flags of `npm start` (package.json), so the bench measures the server as it is run
 * (today an 8 MB young generation semi-space: see the README, Configuration).
 */
export function startFlags(root: string): string[] {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.start ?? '';
  const match = /^node((?:\s+--\S+)*)\s+dist\/src\/main\.js$/.exec(start.trim());
  if (!match) throw new Error(`bench: the start script is not "node [--flags] dist/src/main.js": ${start}`);
  return match[1].trim().split(/\s+/).filter(Boolean);
}

/** The configuration of a bench server, child or in-process: the bench's database, keys and policies. */
function serverVars(env: ServerEnv, spec: ServerSpec): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: env.databaseUrl,
    CELLULE_KEYRING: env.keyringPath,
    CELLULE_TOKEN_SECRET: env.tokenSecret,
    CELLULE_DATA_DIR: path.join(env.dataDir, `server-${spec.name}`),
    CELLULE_POLICIES_DIR: env.policiesDir,
    // The load comes from one address at hundreds of requests a second: the per-address limit
    // (600/min by default) would turn the run into a test of 429s. A limit no run reaches keeps
    // the limiter's own cost in the figures.
    CELLULE_RATE_LIMIT: '100000000',
    // Three servers side by side: each serves its metrics on a free port (0), not all on 9464.
    CELLULE_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  };
}

/**
 * The servers still running. A bench that dies without its cleanups (an uncaught error, a kill)
 * stops them on its way out: left alive, each went on polling a database that was gone, and a
 * few of them skewed every later measurement on the machine.
 */
const children = new Set<ChildProcess>();
let watching = false;

/** Installed with the first child (not on import: a test importing this file keeps its signals). */
function stopChildrenOnExit(): void {
  if (watching) return;
  watching = true;
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  // Interrupted (Ctrl-C, a timeout's SIGTERM): exit through the handler above.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => process.exit(code));
}

/** `node dist/src/main.js` (or the variant's bench/server.js), with the flags of `npm start` and the bench's database, keyring and token secret. */
export async function startChildServer(env: ServerEnv, spec: ServerSpec): Promise<RunningServer> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {};
  // Only what a server needs from this environment (never another CELLULE_* or NODE_OPTIONS).
  for (const key of ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR']) if (process.env[key] !== undefined) childEnv[key] = process.env[key];
  Object.assign(childEnv, serverVars(env, spec), { PORT: String(port), HOST: '127.0.0.1' });
  const script = spec.name === 'main' ? ['dist/src/main.js'] : ['dist/bench/server.js', spec.name];
  const child = spawn(process.execPath, [...startFlags(env.root), ...(spec.nodeFlags ?? []), path.join(env.root, script[0]), ...script.slice(1)], {
    cwd: env.root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  stopChildrenOnExit();
  children.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  try {
    await waitHealthy(url, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    name: spec.name,
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** The same application in this process (the test of the bench; no dist/ needed). */
export async function startInProcessServer(env: ServerEnv, spec: ServerSpec): Promise<RunningServer> {
  const vars = serverVars(env, spec);
  const config = loadConfig(vars);
  const dataSource = createDataSource(env.databaseUrl, { poolSize: 10, applicationName: `cellule-bench-${spec.name}` });
  await dataSource.initialize();
  let built;
  try {
    built = await buildApp({ config, dataSource, logger: pino({ level: 'warn' }), print: () => undefined, variant: benchVariant(spec.name) });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const address = built.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, undefined, () => '');
  return {
    name: spec.name,
    url,
    pid: process.pid,
    async stop() {
      await built.close();
      await dataSource.destroy();
    },
  };
}
