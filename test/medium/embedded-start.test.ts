import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findFreePort, startEmbeddedPostgres, type EmbeddedServer } from '../../src/database/embedded-postgres.js';
import { startErrorMessage } from '../../src/server.js';

/**
 * Two Cellule servers started at the same moment on one machine (a developer's second checkout, a
 * bench beside a test run) both look for a free port for their embedded PostgreSQL and may find
 * the same one; the one that binds second must take another port, not stop the start with an
 * error that says nothing (embedded-postgres rejects with no reason when its server exits).
 */
describe('the embedded PostgreSQL at start-up', () => {
  const dirs: string[] = [];
  const servers: EmbeddedServer[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a port that is taken when the server binds it (found free a moment before) is left for the next free one', async () => {
    // Another PostgreSQL holds port P on this machine in a way the TCP probe does not see: its
    // lock file beside the Unix socket, as a server started at the same moment holds it a few
    // milliseconds after the probe. Here the lock names a live process of this test (not the
    // postmaster's parent, whose lock PostgreSQL would take for its own stale one).
    const taken = await findFreePort(47_000 + Math.floor(Math.random() * 1000));
    const lock = `/tmp/.s.PGSQL.${taken}.lock`;
    const holder = spawn('sleep', ['120'], { stdio: 'ignore' });
    writeFileSync(lock, `${holder.pid}\n`, { flag: 'wx' });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'cellule-embedded-'));
      dirs.push(dir);
      chmodSync(dir, 0o755); // traversable by the `postgres` user the server runs as under root
      const server = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), preferredPort: taken, persistent: false });
      servers.push(server);
      expect(server.port).toBeGreaterThan(taken);
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ port: string }>(`SELECT current_setting('port') AS port`);
        expect(Number(rows[0].port)).toBe(server.port);
      } finally {
        await client.end();
      }
    } finally {
      rmSync(lock, { force: true });
      holder.kill();
    }
  }, 120_000);
});

describe('the start-up error line', () => {
  it('says what failed, whatever was thrown', () => {
    expect(startErrorMessage(new Error('CELLULE_KEYRING: no such file'))).toBe('Cellule could not start: CELLULE_KEYRING: no such file');
    expect(startErrorMessage('port in use')).toBe('Cellule could not start: port in use');
    for (const nothing of [undefined, null, new Error(''), {}]) {
      expect(startErrorMessage(nothing)).toBe('Cellule could not start: a component failed without saying why (see the lines above)');
    }
  });
});
