/**
 * Issue 14, item 4 with several replicas (README, Operations: « Several replicas », « Backups that
 * keep erasures erased »): two server processes on one database share one keyring and one erasure
 * journal. An erasure made through either is written once to that journal, the other replica
 * serves the situation erased at once (the key is gone from the shared database), a replica that
 * starts replays the journal without writing anything twice, and a restore of a backup made
 * before both erasures applies both again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backup } from '../../src/cli/backup.js';
import { restore } from '../../src/cli/restore.js';
import { ErasureJournal } from '../../src/vault/erasure-journal.js';
import { caseBody, createWorldApp, IDENTITY, HEALTH_TEXT, type World } from '../factories/world.js';
import { createCase, findNeedles, step, type CaseHandle } from '../factories/secrecy.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createEmptyDatabase } from '../support/database.js';

describe('replicas sharing the erasure journal', () => {
  let a: TestApp;
  let b: TestApp;
  let w: World;
  let closed: CaseHandle;
  let draft: CaseHandle;
  let work: string;
  let folder: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  const journalFile = () => path.join(a.config.dataDir, 'erasure-journal.jsonl');
  const lines = () =>
    readFileSync(journalFile(), 'utf8')
      .split('\n')
      .filter((l) => l.trim());

  beforeAll(async () => {
    ({ t: a, w } = await createWorldApp());
    // The second replica: its own process state (pool, job queue, clock), the same database, data folder, keyring and journal.
    b = await createTestApp({}, { replicaOf: a });
    closed = await createCase(a, w.referrer.token, caseBody(w.commissionId));
    await step(a, w.referrer.token, closed, 'SUBMIT');
    await step(b, w.coordinator.token, closed, 'REJECT', { reason: 'Relève du droit commun', suggestedOrientation: 'CCAS' });
    draft = await createCase(b, w.referrer.token, caseBody(w.commissionId));
    work = mkdtempSync(path.join(os.tmpdir(), 'cellule-replicas-test-'));
    folder = path.join(work, 'before-erasures');
    await backup({ databaseUrl: a.db.url, keyringPath: path.join(a.config.dataDir, 'keyring.json'), journalPath: journalFile(), out: folder });
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await b?.close();
    rmSync(work, { recursive: true, force: true });
    await a?.close();
  });

  it('both replicas write to the one journal', () => {
    expect(a.config.dataDir).toBe(b.config.dataDir);
    expect(new ErasureJournal(journalFile()).entries()).toEqual([]);
  });

  it('an erasure through one replica is journalled once and served erased by the other', async () => {
    // Replica B, through its own requests, deletes the draft (a crypto-shredding).
    await step(b, w.referrer.token, draft, 'DELETE_DRAFT');
    // Replica A's retention job erases the rejected situation (two years after it closed, on A's clock).
    a.clock.advanceDays(731);
    expect(await a.scheduler.runOnce('retention-purge')).toBe(1);
    expect(new ErasureJournal(journalFile()).shreddedCases()).toEqual(new Set([closed.id, draft.id]));
    expect(lines()).toHaveLength(2);
    // B serves A's erasure at once: the key is gone from the shared database, nothing of the person comes back.
    const seen = await b.http().get(`/cases/${closed.id}`).set('authorization', `Bearer ${w.referrer.token}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ state: 'purged', withheld: { identity: 'erased', health: 'erased', social: 'erased' } });
    expect(findNeedles(seen.text, { ...IDENTITY, health: HEALTH_TEXT })).toEqual([]);
  });

  it('a replica that starts replays the shared journal and writes nothing twice', async () => {
    const c = await createTestApp({}, { replicaOf: a });
    try {
      expect(lines()).toHaveLength(2);
      expect(c.logs.join('\n')).not.toMatch(/erased again|were missing from/);
    } finally {
      await c.close();
    }
  });

  it('a restore of a backup made before both erasures applies both again', async () => {
    const target = await createEmptyDatabase();
    cleanups.push(() => target.drop());
    const report = await restore(a.config, target.url, folder);
    expect(new Set(report.replay.casesErased)).toEqual(new Set([closed.id, draft.id]));
    expect(report.replay.journalled).toBe(0);
    expect(lines()).toHaveLength(2);
    const { createDataSource } = await import('../../src/database/data-source.js');
    const ds = createDataSource(target.url, { poolSize: 1 });
    await ds.initialize();
    try {
      const keys = (await ds.query(`SELECT case_id AS id, wrapped_key IS NULL AS destroyed FROM case_keys WHERE case_id = ANY($1::uuid[])`, [
        [closed.id, draft.id],
      ])) as { id: string; destroyed: boolean }[];
      expect(keys.filter((k) => !k.destroyed)).toEqual([]);
      const [{ fields }] = (await ds.query(`SELECT count(*)::int AS fields FROM case_fields WHERE case_id = ANY($1::uuid[])`, [[closed.id, draft.id]])) as {
        fields: number;
      }[];
      expect(fields).toBe(0);
    } finally {
      await ds.destroy();
    }
  });
});
