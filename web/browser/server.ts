import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The repository root (web/browser/ → ../..). */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** The bootstrap administrator (a password of the rules: not common, nothing of the email or the product). */
export const ADMIN = { email: 'admin@navigateur.test', password: 'Pivoine-Ecluse-Brumaire-47' };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  /** What the server printed so far (for a failure's message). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The server as `npm start` runs it (dist/, built by `npm run build`), with a fresh data folder: its
 * own embedded PostgreSQL, keyring and token secret, and a bootstrap admin to seed through the API.
 */
export async function startServer(env: Record<string, string> = {}, chosenPort?: number): Promise<RunningServer> {
  const main = path.join(ROOT, 'dist/src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first (npm run test:browser does)`);
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: run npm run build first (npm run test:browser does)');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cellule-browser-'));
  chmodSync(dataDir, 0o755); // traversable by the `postgres` system user the embedded database runs as under root
  const [port, pgPort] = [chosenPort ?? (await freePort()), await freePort()];
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      CELLULE_DATA_DIR: dataDir,
      CELLULE_EMBEDDED_PG_PORT: String(pgPort),
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 127.0.0.1, not localhost: Chromium would try ::1 first, where nothing listens. Both are
  // secure contexts, where Secure cookies are kept over http.
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server stopped at start (exit ${child.exitCode}):\n${output}`);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`The server did not answer /health within 90 s:\n${output}`);
}
