/**
 * Issue 14, item 4: backups that keep erasures erased. backup → shred a situation → restore: the
 * situation stays erased (its data key gone, reads answer what an erased situation answers),
 * because the erasure journal kept with the keyring is applied again — by the restore, and by a
 * server started on a database loaded without it, before it serves anything.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { buildApp, type BuiltApp } from '../../src/app.js';
import { backup, runBackup } from '../../src/cli/backup.js';
import { cliContextFor } from '../../src/cli/context.js';
import { loadBackup, restore } from '../../src/cli/restore.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { shredCase } from '../../src/cli/shred-case.js';
import { createDataSource } from '../../src/database/data-source.js';
import { ErasureJournal } from '../../src/vault/erasure-journal.js';
import { caseBody, createWorldApp, IDENTITY, HEALTH_TEXT, type World } from '../factories/world.js';
import { createCase, findNeedles, step, type CaseHandle } from '../factories/secrecy.js';
import type { TestApp } from '../support/app.js';
import { createEmptyDatabase } from '../support/database.js';

describe('backup and restore keep erasures erased', () => {
  let t: TestApp;
  let w: World;
  let shredded: CaseHandle;
  let kept: CaseHandle;
  let work: string;
  let folder: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  const keyringFile = () => path.join(t.config.dataDir, 'keyring.json');
  const journal = () => new ErasureJournal(path.join(t.config.dataDir, 'erasure-journal.jsonl'));

  /** A database of its own, and the application built on it (as a restarted server would be). */
  async function appOn(url: string): Promise<{ ds: DataSource; built: BuiltApp; logs: string[] }> {
    const ds = createDataSource(url, { poolSize: 4 });
    await ds.initialize();
    const logs: string[] = [];
    const built = await buildApp({
      config: t.config,
      dataSource: ds,
      logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
      hashCost: { opslimit: 1, memlimit: 8 * 1024 * 1024 },
      print: () => undefined,
    });
    cleanups.push(async () => {
      await built.close();
      await ds.destroy();
    });
    return { ds, built, logs };
  }

  const erasedKey = async (ds: DataSource, caseId: string) =>
    (
      (await ds.query(
        `SELECT wrapped_key IS NULL AS destroyed, (SELECT count(*)::int FROM case_fields WHERE case_id = $1) AS fields FROM case_keys WHERE case_id = $1`,
        [caseId],
      )) as { destroyed: boolean; fields: number }[]
    )[0];

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    shredded = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    await step(t, w.referrer.token, shredded, 'SUBMIT');
    await step(t, w.coordinator.token, shredded, 'REJECT', { reason: 'Relève du droit commun', suggestedOrientation: 'CCAS' });
    kept = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    work = mkdtempSync(path.join(os.tmpdir(), 'cellule-backup-test-'));
    folder = path.join(work, 'backup-1');
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
    await t?.close();
  });

  it('backs up the database and the keyring that opens it, protected values still encrypted', async () => {
    const lines: string[] = [];
    const manifest = await runBackup([folder], { NODE_ENV: 'test', DATABASE_URL: t.db.url, CELLULE_DATA_DIR: t.config.dataDir }, (l) => lines.push(l));
    expect(manifest.tables.cases).toBeGreaterThanOrEqual(2);
    expect(manifest.tables.audit_events).toBeGreaterThan(0);
    expect(manifest.kekIds.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(folder, 'keyring', 'keyring.json'), 'utf8')).toBe(readFileSync(keyringFile(), 'utf8'));
    expect(statSync(path.join(folder, 'keyring', 'keyring.json')).mode & 0o077).toBe(0);
    expect(lines.join('\n')).toMatch(/keep it apart from the database part/);
    // Nothing of the person in clear in the database part.
    const { gunzipSync } = await import('node:zlib');
    const dump = ['case_fields', 'cases', 'audit_events', 'case_events']
      .map((table) => gunzipSync(readFileSync(path.join(folder, 'database', `${table}.jsonl.gz`))).toString('utf8'))
      .join('\n');
    expect(findNeedles(dump, { ...IDENTITY, health: HEALTH_TEXT })).toEqual([]);
    // A second backup never overwrites the first.
    await expect(backup({ databaseUrl: t.db.url, keyringPath: keyringFile(), journalPath: journal().file, out: folder })).rejects.toThrow(/not empty/);
  });

  it('refuses a role that row-level security would blind', async () => {
    await expect(backup({ databaseUrl: t.db.appUrl, keyringPath: keyringFile(), journalPath: journal().file, out: path.join(work, 'blind') })).rejects.toThrow(
      /would not see every row of .*cases/,
    );
  });

  it('backup → shred → restore: the shredded situation stays erased, the other one is intact', async () => {
    const ctx = await cliContextFor(t.config, t.db.dataSource, () => undefined);
    try {
      await shredCase(ctx, shredded.id, { reason: 'erasure_request' });
    } finally {
      await ctx.close();
    }
    expect(journal().shreddedCases()).toEqual(new Set([shredded.id]));

    const target = await createEmptyDatabase();
    cleanups.push(() => target.drop());
    const report = await restore(t.config, target.url, folder);
    expect(report.replay.casesErased).toEqual([shredded.id]);
    expect(report.keyringCopied).toBe(false);

    const { ds, built } = await appOn(target.url);
    expect(await erasedKey(ds, shredded.id)).toEqual({ destroyed: true, fields: 0 });
    const http = () => request(built.app.getHttpServer());
    const own = await http().get(`/cases/${shredded.id}`).set('authorization', `Bearer ${w.referrer.token}`);
    expect(own.status).toBe(200);
    expect(own.body.state).toBe('purged');
    expect(own.body.withheld).toEqual({ identity: 'erased', health: 'erased', social: 'erased' });
    expect(findNeedles(own.text, { ...IDENTITY, health: HEALTH_TEXT })).toEqual([]);
    // The situation the backup holds and nobody erased reads as before.
    const other = await http().get(`/cases/${kept.id}`).set('authorization', `Bearer ${w.referrer.token}`);
    expect(other.status).toBe(200);
    expect(other.body.identity.lastName).toBe(IDENTITY.lastName);
    // The access log of the restored database says the erasure was applied again.
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE case_id = $1 AND action = 'case.event.PURGE' AND purpose LIKE 'erasure journal%'`,
      [shredded.id],
    );
    expect(n).toBe(1);
  });

  it('a server started on a database loaded without the erasures applies them before serving', async () => {
    const target = await createEmptyDatabase();
    cleanups.push(() => target.drop());
    await loadBackup(target.url, folder);
    const raw = createDataSource(target.url, { poolSize: 1 });
    await raw.initialize();
    try {
      // As loaded: the data key is back, the ciphertexts too.
      expect(await erasedKey(raw, shredded.id)).toMatchObject({ destroyed: false });
    } finally {
      await raw.destroy();
    }
    const { ds, built, logs } = await appOn(target.url);
    expect(await erasedKey(ds, shredded.id)).toEqual({ destroyed: true, fields: 0 });
    expect(logs.join('\n')).toMatch(/1 situation\(s\) erased before were back in the database; erased again/);
    const own = await request(built.app.getHttpServer()).get(`/cases/${shredded.id}`).set('authorization', `Bearer ${w.referrer.token}`);
    expect(own.body).toMatchObject({ state: 'purged', withheld: { identity: 'erased' } });
  });

  it('writes to the journal an erasure the database shows and the journal lacks', async () => {
    const file = journal().file;
    const before = readFileSync(file, 'utf8');
    rmSync(file);
    const { logs } = await appOn(t.db.url);
    expect(existsSync(file)).toBe(true);
    expect(journal().shreddedCases()).toEqual(new Set([shredded.id]));
    expect(logs.join('\n')).toMatch(/1 erasure\(s\) of the database were missing/);
    expect(before).toContain(shredded.id);
  });

  it('journals every committed crypto-shredding, a deleted draft too', async () => {
    const draft = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    await step(t, w.referrer.token, draft, 'DELETE_DRAFT');
    expect(journal().shreddedCases().has(draft.id)).toBe(true);
  });

  describe('a restore without the keyring or the journal that match the backup is refused, nothing written', () => {
    let target: { url: string; drop(): Promise<void> };
    let hosts: string;
    let n = 0;
    beforeAll(async () => {
      target = await createEmptyDatabase();
      cleanups.push(() => target.drop());
      hosts = path.join(work, 'hosts');
      mkdirSync(hosts);
    });

    /** A host to restore on: its own data folder (keyring, journal beside it), the files the test puts there. */
    function host(files: { keyring?: string; journal?: string } = {}): { dir: string; config: AppConfig } {
      const dir = path.join(hosts, `host-${++n}`);
      mkdirSync(dir);
      if (files.keyring !== undefined) writeFileSync(path.join(dir, 'keyring.json'), files.keyring, { mode: 0o600 });
      if (files.journal !== undefined) writeFileSync(path.join(dir, 'erasure-journal.jsonl'), files.journal, { mode: 0o600 });
      const config = loadConfig({ NODE_ENV: 'test', CELLULE_DATA_DIR: dir, DATABASE_URL: target.url, LOG_LEVEL: 'info', CELLULE_JOBS: 'off' });
      return { dir, config };
    }
    const backupKeyring = () => readFileSync(path.join(folder, 'keyring', 'keyring.json'), 'utf8');
    const currentJournal = () => readFileSync(journal().file, 'utf8');
    /** The same key ids, other keys: a keyring that is not the one the backup was made with. */
    const otherKeyring = () => {
      const parsed = JSON.parse(backupKeyring()) as { keks: Record<string, string> };
      for (const id of Object.keys(parsed.keks)) parsed.keks[id] = randomBytes(32).toString('base64');
      return JSON.stringify(parsed);
    };

    /** The target database has no table (not even migrated), and the host got no file it did not have. */
    async function untouched(dir: string, had: string[]): Promise<void> {
      const raw = createDataSource(target.url, { poolSize: 1 });
      await raw.initialize();
      try {
        const [{ tables }] = (await raw.query(`SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'`)) as { tables: number }[];
        expect(tables).toBe(0);
      } finally {
        await raw.destroy();
      }
      expect(['keyring.json', 'erasure-journal.jsonl'].filter((f) => existsSync(path.join(dir, f)))).toEqual(had);
    }

    it('no keyring on the host and no keyring part with the backup', async () => {
      const bare = path.join(work, 'bare');
      cpSync(path.join(folder, 'database'), path.join(bare, 'database'), { recursive: true });
      copyFileSync(path.join(folder, 'manifest.json'), path.join(bare, 'manifest.json'));
      const { dir, config } = host({ journal: currentJournal() });
      await expect(restore(config, target.url, bare)).rejects.toThrow(/there is no keyring at .*keyring part is not in .*Nothing was restored/s);
      await untouched(dir, ['erasure-journal.jsonl']);
    });

    it('a keyring part of another backup', async () => {
      const stranger = path.join(work, 'stranger-keyring');
      mkdirSync(stranger);
      writeFileSync(path.join(stranger, 'keyring.json'), otherKeyring());
      const { dir, config } = host({ journal: currentJournal() });
      await expect(restore(config, target.url, folder, { keyringFrom: stranger })).rejects.toThrow(/is not the keyring part of backup .*Nothing was restored/s);
      await untouched(dir, ['erasure-journal.jsonl']);
    });

    it('a keyring on the host with other keys under the backup’s key ids', async () => {
      const { dir, config } = host({ keyring: otherKeyring(), journal: currentJournal() });
      await expect(restore(config, target.url, folder)).rejects.toThrow(/does not open this backup.*check value mismatch.*Nothing was restored/s);
      await untouched(dir, ['keyring.json', 'erasure-journal.jsonl']);
    });

    it('no erasure journal: refused, unless the operator says it is lost (then the backup’s copy, and said so)', async () => {
      const { dir, config } = host({ keyring: backupKeyring() });
      await expect(restore(config, target.url, folder)).rejects.toThrow(
        /erasure journal .* is missing: without it, situations erased after this backup would come back/,
      );
      await untouched(dir, ['keyring.json']);
      const lines: string[] = [];
      const report = await restore(config, target.url, folder, { journalLost: true, log: (l) => lines.push(l) });
      expect(report.journalFromBackup).toBe(true);
      expect(lines.join('\n')).toMatch(/erasures made after the backup cannot be applied again/);
      // The journal the backup was made with held no erasure yet: the one made since cannot come back from it.
      expect(report.replay.casesErased).toEqual([]);
      expect(existsSync(path.join(dir, 'erasure-journal.jsonl'))).toBe(true);
    });

    it('a journal that does not continue the backup’s (an older copy)', async () => {
      // A backup made after the erasures holds a copy of the journal with them.
      const later = path.join(work, 'backup-later');
      const manifest = await backup({ databaseUrl: t.db.url, keyringPath: keyringFile(), journalPath: journal().file, out: later });
      expect(manifest.journalEntries).toBeGreaterThan(0);
      const fresh = await createEmptyDatabase();
      cleanups.push(() => fresh.drop());
      const { dir, config } = host({ keyring: backupKeyring(), journal: '' });
      const older = { ...config, databaseUrl: fresh.url };
      await expect(restore(older, fresh.url, later)).rejects.toThrow(/does not continue the one backup .* was made with .*an older copy/s);
      expect(readFileSync(path.join(dir, 'erasure-journal.jsonl'), 'utf8')).toBe('');
      const raw = createDataSource(fresh.url, { poolSize: 1 });
      await raw.initialize();
      try {
        expect(((await raw.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)) as { n: number }[])[0].n).toBe(0);
      } finally {
        await raw.destroy();
      }
    });
  });
});
