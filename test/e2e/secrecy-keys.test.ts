/**
 * Issue 3, "Field encryption": ciphertexts bound to their case, class and field; the start refused
 * with a wrong or missing key; KEK rotation (the rotate-kek command's core) keeping every case
 * readable without touching a field ciphertext; crypto-shredding (the shred-case command's core)
 * making the protected classes unrecoverable while statistics still count the case.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { buildApp, type BuiltApp } from '../../src/app.js';
import { cliContextFor, type CliContext } from '../../src/cli/context.js';
import { describeRotation, rotateKeks } from '../../src/cli/rotate-kek.js';
import { shredCase } from '../../src/cli/shred-case.js';
import { loadConfig } from '../../src/config/config.js';
import { caseBody, createWorldApp, HEALTH_TEXT, IDENTITY, SOCIAL_TEXT, type World } from '../factories/world.js';
import { createCase, createSession, findNeedles, get, grantedConsent, post, step, type CaseHandle } from '../factories/secrecy.js';
import { type TestApp } from '../support/app.js';

const OTHER = {
  lastName: 'Abernathy-Lòpez',
  firstName: 'Gwenaëlle',
  birthDate: '1971-06-02',
  address: '4 allée des Saules Pleureurs',
  phone: '01 47 58 69 70',
  email: 'g.abernathy@exemple.org',
};
const ALL_VALUES = { ...IDENTITY, health: HEALTH_TEXT, social: SOCIAL_TEXT, ...Object.fromEntries(Object.entries(OTHER).map(([k, v]) => [`other.${k}`, v])) };

interface SecondApp {
  built: BuiltApp;
  http: () => TestAgent;
  logs: string[];
}

describe('secrecy: keys, rotation and crypto-shredding', () => {
  let t: TestApp;
  let w: World;
  let session: string;
  let a: CaseHandle;
  let b: CaseHandle;
  const cliLog: string[] = [];
  const others: SecondApp[] = [];
  const tmpDirs: string[] = [];

  const keyringFile = () => path.join(t.config.dataDir, 'keyring.json');
  const keyMaterial = (file: string): string[] => {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    return [...Object.values(doc.keks as Record<string, string>), doc.blindIndexKey];
  };

  /** The same application built again on the same database (a restart, or another replica). */
  async function secondApp(env: Record<string, string> = {}): Promise<SecondApp> {
    const logs: string[] = [];
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.db.url, CELLULE_DATA_DIR: t.config.dataDir, LOG_LEVEL: 'info', ...env });
    const built = await buildApp({
      config,
      dataSource: t.db.dataSource,
      logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
      hashCost: { opslimit: 1, memlimit: 8 * 1024 * 1024 },
      print: () => undefined,
    });
    const server = built.app.getHttpServer();
    const app = { built, http: () => request(server), logs };
    others.push(app);
    return app;
  }

  const context = (): Promise<CliContext> => cliContextFor(t.config, t.db.dataSource, (line) => cliLog.push(line));

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    session = await createSession(t, w, true);
    await post(t, w.psychiatrist.token, `/sessions/${session}/attendance`);
    a = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    b = await createCase(t, w.referrer.token, caseBody(w.commissionId, { identity: OTHER }));
  });

  afterAll(async () => {
    for (const app of others) await app.built.close();
    await t?.close();
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function sealed(caseId: string, cls: string, field: string): Promise<Buffer> {
    const [row] = await t.db.dataSource.query(`SELECT sealed FROM case_fields WHERE case_id = $1 AND class = $2 AND field = $3`, [caseId, cls, field]);
    return row.sealed;
  }

  async function setSealed(caseId: string, cls: string, field: string, value: Buffer): Promise<void> {
    await t.db.dataSource.query(`UPDATE case_fields SET sealed = $4 WHERE case_id = $1 AND class = $2 AND field = $3`, [caseId, cls, field, value]);
  }

  /** The read fails with a problem detail that names no value of either case. */
  async function expectUndecryptable(caseId: string): Promise<void> {
    const res = await get(t, w.referrer.token, `/cases/${caseId}`);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ status: 500, reason: 'decrypt_failed' });
    expect(findNeedles(res.text, ALL_VALUES)).toEqual([]);
  }

  describe('ciphertexts are bound to their case, class and field', () => {
    it('a value copied from one case onto another case’s row does not decrypt there', async () => {
      const original = await sealed(b.id, 'identity', 'lastName');
      await setSealed(b.id, 'identity', 'lastName', await sealed(a.id, 'identity', 'lastName'));
      await expectUndecryptable(b.id);
      await setSealed(b.id, 'identity', 'lastName', original);
      expect((await get(t, w.referrer.token, `/cases/${b.id}`)).body.identity.lastName).toBe(OTHER.lastName);
    });

    it('a value moved to another field or class of the same case (same data key) does not decrypt', async () => {
      const lastName = await sealed(a.id, 'identity', 'lastName');
      await setSealed(a.id, 'identity', 'lastName', await sealed(a.id, 'identity', 'firstName'));
      await expectUndecryptable(a.id);
      await setSealed(a.id, 'identity', 'lastName', lastName);

      const social = await sealed(a.id, 'social', 'narrative');
      await setSealed(a.id, 'social', 'narrative', await sealed(a.id, 'health', 'narrative'));
      await expectUndecryptable(a.id);
      await setSealed(a.id, 'social', 'narrative', social);
      expect((await get(t, w.referrer.token, `/cases/${a.id}`)).body.social).toEqual({ narrative: SOCIAL_TEXT });
    });

    it('a data key copied to another case does not unwrap there', async () => {
      const [{ wrapped_key: own }] = await t.db.dataSource.query(`SELECT wrapped_key FROM case_keys WHERE case_id = $1`, [b.id]);
      await t.db.dataSource.query(`UPDATE case_keys SET wrapped_key = (SELECT wrapped_key FROM case_keys WHERE case_id = $1) WHERE case_id = $2`, [a.id, b.id]);
      await expectUndecryptable(b.id);
      await t.db.dataSource.query(`UPDATE case_keys SET wrapped_key = $2 WHERE case_id = $1`, [b.id, own]);
      expect((await get(t, w.referrer.token, `/cases/${b.id}`)).status).toBe(200);
    });

    it('the server logged the failures without any value', () => {
      const failures = t.logs.filter((l) => l.includes('cannot be opened'));
      expect(failures.length).toBeGreaterThanOrEqual(4);
      expect(findNeedles(t.logs.join('\n'), ALL_VALUES)).toEqual([]);
    });
  });

  describe('the start is refused on a wrong or missing key', () => {
    it('a keyring with a different key under the database’s KEK id: wrong_key, naming the id, never a key', async () => {
      const current = JSON.parse(readFileSync(keyringFile(), 'utf8'));
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-wrong-key-'));
      tmpDirs.push(dir);
      const wrong = path.join(dir, 'keyring.json');
      writeFileSync(wrong, JSON.stringify({ ...current, keks: { [current.currentKekId]: randomBytes(32).toString('base64') } }), { mode: 0o600 });
      const error = await secondApp({ CELLULE_KEYRING: wrong, CELLULE_DATA_DIR: dir }).then(
        () => null,
        (e: Error & { code?: string }) => e,
      );
      expect(error).toMatchObject({ name: 'VaultError', code: 'wrong_key' });
      expect(error!.message).toContain(current.currentKekId);
      expect(error!.message).toMatch(/start refused/);
      for (const key of [...keyMaterial(wrong), ...keyMaterial(keyringFile())]) expect(error!.message).not.toContain(key);
    });

    it('a keyring without the database’s KEK (another generated keyring): missing_key, naming the id', async () => {
      const { currentKekId } = JSON.parse(readFileSync(keyringFile(), 'utf8'));
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-other-keyring-'));
      tmpDirs.push(dir);
      const error = await secondApp({ CELLULE_DATA_DIR: dir }).then(
        () => null,
        (e: Error & { code?: string }) => e,
      );
      expect(error).toMatchObject({ name: 'VaultError', code: 'missing_key' });
      expect(error!.message).toContain(currentKekId);
      for (const key of [...keyMaterial(path.join(dir, 'keyring.json')), ...keyMaterial(keyringFile())]) expect(error!.message).not.toContain(key);
      // Nothing of the refused keyring was registered in the database.
      const ids: { kek_id: string }[] = await t.db.dataSource.query(`SELECT kek_id FROM vault_keys`);
      expect(ids.map((r) => r.kek_id)).toEqual([currentKekId]);
    });

    it('the commands refuse the same way, before writing anything', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-cli-other-'));
      tmpDirs.push(dir);
      const config = (keyring: string) => loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.db.url, CELLULE_DATA_DIR: dir, CELLULE_KEYRING: keyring });
      // No keyring file: the command never generates one.
      await expect(cliContextFor(config(path.join(dir, 'absent.json')), t.db.dataSource, () => undefined)).rejects.toMatchObject({
        code: 'invalid_keyring',
        message: expect.stringMatching(/file not found/),
      });
      // A wrong keyring: refused before the rotation could add a KEK to it.
      const current = JSON.parse(readFileSync(keyringFile(), 'utf8'));
      const wrong = path.join(dir, 'wrong.json');
      const wrongText = JSON.stringify({ ...current, keks: { [current.currentKekId]: randomBytes(32).toString('base64') } });
      writeFileSync(wrong, wrongText, { mode: 0o600 });
      await expect(cliContextFor(config(wrong), t.db.dataSource, () => undefined)).rejects.toMatchObject({ code: 'wrong_key' });
      expect(readFileSync(wrong, 'utf8')).toBe(wrongText);
    });
  });

  describe('crypto-shredding (shred-case)', () => {
    const stats = async () =>
      t.db.dataSource.query(`SELECT p AS problem, count(*)::int AS n FROM cases, unnest(problems) AS p WHERE territory_id = $1 GROUP BY p ORDER BY p`, [
        w.territoryId,
      ]);

    it('erases the protected classes of a closed case for good; the case still counts in statistics', async () => {
      const c = await createCase(t, w.referrer.token, caseBody(w.commissionId));
      await step(t, w.referrer.token, c, 'SUBMIT');
      await step(t, w.coordinator.token, c, 'REJECT', { reason: 'Relève du droit commun', suggestedOrientation: 'CCAS' });
      const before = await stats();
      const ciphertexts: { class: string; field: string; key_version: number; sealed: Buffer }[] = await t.db.dataSource.query(
        `SELECT class, field, key_version, sealed FROM case_fields WHERE case_id = $1`,
        [c.id],
      );
      expect(ciphertexts.length).toBeGreaterThanOrEqual(12);

      const ctx = await context();
      const report = await shredCase(ctx, c.id, { reason: 'erasure_request' });
      expect(report).toEqual({ caseId: c.id, reference: c.reference, state: 'closed', alreadyShredded: false, fieldsDestroyed: ciphertexts.length });

      const own = await get(t, w.referrer.token, `/cases/${c.id}`);
      expect(own.status).toBe(200);
      expect(own.body.state).toBe('purged');
      expect(own.body.erased).toEqual(expect.arrayContaining(['identity', 'health', 'social', 'summary']));
      // Each class gone from the answer says why; the summary stays, its free text null.
      expect(own.body.withheld).toEqual({ identity: 'erased', health: 'erased', social: 'erased' });
      for (const cls of ['identity', 'health', 'social']) {
        expect(own.body[cls]).toBeUndefined();
        expect(own.body.released).not.toContain(cls);
      }
      expect(own.body.summary).toMatchObject({ ageBand: '60-69', problems: ['housing', 'care_continuity'], narrative: null, question: null });
      expect(findNeedles(own.text, ALL_VALUES)).toEqual([]);
      const coordinator = await get(t, w.coordinator.token, `/cases/${c.id}`);
      expect(coordinator.status).toBe(200);
      expect(coordinator.body.erased).toEqual(['summary']);
      expect(coordinator.body.withheld).toEqual({ identity: 'never_for_relation', health: 'never_for_relation', social: 'never_for_relation' });

      // Statistics are untouched; the database keeps no key, no ciphertext, no blind index.
      expect(await stats()).toEqual(before);
      const [key] = await t.db.dataSource.query(`SELECT wrapped_key, destroyed_at FROM case_keys WHERE case_id = $1`, [c.id]);
      expect(key.wrapped_key).toBeNull();
      expect(key.destroyed_at).toBeInstanceOf(Date);
      const [row] = await t.db.dataSource.query(`SELECT state, identity_index FROM cases WHERE id = $1`, [c.id]);
      expect(row).toEqual({ state: 'purged', identity_index: null });
      // The erasure is the case's PURGE, sent by the operator: in its history and the audit log, with the reason.
      const audit = await t.db.dataSource.query(
        `SELECT actor_id, classes, decision, purpose FROM audit_events WHERE case_id = $1 AND action = 'case.event.PURGE'`,
        [c.id],
      );
      expect(audit).toEqual([
        {
          actor_id: null,
          classes: ['identity', 'health', 'social', 'summary', 'consent', 'plan'],
          decision: 'allow',
          purpose: 'operator command: erasure_request',
        },
      ]);
      expect((await get(t, w.coordinator.token, `/cases/${c.id}/history`)).body.at(-1)).toMatchObject({ event: 'PURGE', from: 'closed', to: 'purged' });

      // Ciphertexts restored from a backup are useless without the data key.
      for (const f of ciphertexts) {
        await t.db.dataSource.query(`INSERT INTO case_fields (case_id, class, field, key_version, sealed) VALUES ($1, $2, $3, $4, $5)`, [
          c.id,
          f.class,
          f.field,
          f.key_version,
          f.sealed,
        ]);
      }
      await expect(ctx.vaultService.openFields(t.db.dataSource.manager, { territoryId: w.territoryId, caseId: c.id }, ['identity'])).rejects.toMatchObject({
        code: 'shredded',
      });
      const again = await get(t, w.referrer.token, `/cases/${c.id}`);
      expect(again.body.identity).toBeUndefined();
      expect(again.body.erased).toContain('identity');
      // Running the command again is harmless.
      expect(await shredCase(ctx, c.id)).toMatchObject({ alreadyShredded: true, fieldsDestroyed: ciphertexts.length });
      const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM case_fields WHERE case_id = $1`, [c.id]);
      expect(n).toBe(0);
      // A shredded case is no duplicate of anything, and has none.
      expect((await get(t, w.coordinator.token, `/cases/${a.id}/duplicates`)).body.duplicates.map((d: { caseId: string }) => d.caseId)).not.toContain(c.id);
      expect((await get(t, w.coordinator.token, `/cases/${c.id}/duplicates`)).body.duplicates).toEqual([]);
    });

    it('refuses a case still being worked on: it is closed first (a withdrawal closes it), then erased', async () => {
      const c = await createCase(t, w.referrer.token, caseBody(w.commissionId));
      await step(t, w.referrer.token, c, 'SUBMIT');
      await step(t, w.coordinator.token, c, 'ACCEPT');
      await step(t, w.referrer.token, c, 'RECORD_CONSENT', grantedConsent([{ sector: 'health', classes: ['health'] }]));
      await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId: session });
      await step(t, w.coordinator.token, c, 'START_REVIEW');
      const ctx = await context();
      await expect(shredCase(ctx, c.id)).rejects.toMatchObject({ name: 'UsageError', message: expect.stringMatching(/in_review, not closed/) });
      await expect(shredCase(ctx, 'not-a-uuid')).rejects.toMatchObject({ name: 'UsageError' });
      await expect(shredCase(ctx, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(/no case/);
      expect((await get(t, w.referrer.token, `/cases/${c.id}`)).body.identity.lastName).toEqual(expect.any(String));

      // The person withdraws their consent and asks for erasure.
      await step(t, w.referrer.token, c, 'WITHDRAW_CONSENT');
      expect(await shredCase(ctx, c.id)).toMatchObject({ state: 'closed', alreadyShredded: false });
      const view = await get(t, w.referrer.token, `/cases/${c.id}`);
      expect(view.body).toMatchObject({ state: 'purged', allowedEvents: [] });
      expect(view.body.erased).toEqual(expect.arrayContaining(['identity', 'health', 'social']));
      // Off the session: its dossier no longer holds the case.
      const dossier = await get(t, w.psychiatrist.token, `/sessions/${session}/dossier`);
      expect(dossier.body.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
    });
  });

  describe('KEK rotation (rotate-kek)', () => {
    it('in two steps, without downtime: every case stays readable and no field ciphertext changes', async () => {
      const oldKek: string = JSON.parse(readFileSync(keyringFile(), 'utf8')).currentKekId;
      const fields = async () =>
        (await t.db.dataSource.query(`SELECT case_id, class, field, encode(sealed, 'hex') AS s FROM case_fields ORDER BY 1, 2, 3`)) as object[];
      const fieldsBefore = await fields();
      const [{ live }] = await t.db.dataSource.query(`SELECT count(*)::int AS live FROM case_keys WHERE wrapped_key IS NOT NULL`);

      // Step 1: add a KEK (current). Servers still running on the old keyring keep working.
      const step1 = await rotateKeks(await context(), { add: true, rewrap: false });
      expect(step1).toMatchObject({ added: expect.stringMatching(/^kek-/), rewrapped: 0, retired: [] });
      const newKek = step1.added!;
      expect(newKek).not.toBe(oldKek);
      expect(statSync(keyringFile()).mode & 0o777).toBe(0o600);
      expect((await get(t, w.referrer.token, `/cases/${a.id}`)).body.identity.lastName).toBe(IDENTITY.lastName);

      // Restarted with the new keyring: reads old cases, wraps new ones with the new KEK.
      const restarted = await secondApp();
      const read = (app: SecondApp, id: string) => app.http().get(`/cases/${id}`).set('authorization', `Bearer ${w.referrer.token}`);
      expect((await read(restarted, a.id)).body.identity.lastName).toBe(IDENTITY.lastName);
      const created = await restarted.http().post('/cases').set('authorization', `Bearer ${w.referrer.token}`).send(caseBody(w.commissionId));
      expect(created.status).toBe(201);
      const [{ kek_id: newCaseKek }] = await t.db.dataSource.query(`SELECT kek_id FROM case_keys WHERE case_id = $1`, [created.body.id]);
      expect(newCaseKek).toBe(newKek);

      // Step 2: rewrap every data key, retire the old KEK.
      const step2 = await rotateKeks(await context(), { add: false });
      expect(step2).toMatchObject({ added: null, currentKekId: newKek, rewrapped: live, retired: [oldKek], stillInUse: [] });
      expect(step2.dataKeys.shredded).toBeGreaterThanOrEqual(2);
      expect((await t.db.dataSource.query(`SELECT kek_id FROM vault_keys`)).map((r: { kek_id: string }) => r.kek_id)).toEqual([newKek]);
      const byKek: { kek_id: string; n: number }[] = await t.db.dataSource.query(
        `SELECT kek_id, count(*)::int AS n FROM case_keys WHERE wrapped_key IS NOT NULL GROUP BY kek_id`,
      );
      expect(byKek).toEqual([{ kek_id: newKek, n: live + 1 }]);
      // Only data keys were rewrapped: the field ciphertexts are byte for byte the same.
      const fieldsAfter = await fields();
      expect(fieldsAfter.filter((f) => (f as { case_id: string }).case_id !== created.body.id)).toEqual(fieldsBefore);

      // Every case reads as before through the restarted server.
      const ids: { id: string; shredded: boolean }[] = await t.db.dataSource.query(
        `SELECT c.id, k.wrapped_key IS NULL AS shredded FROM cases c JOIN case_keys k ON k.case_id = c.id`,
      );
      expect(ids.length).toBeGreaterThanOrEqual(5);
      for (const { id, shredded } of ids) {
        const res = await read(restarted, id);
        expect(res.status).toBe(200);
        if (shredded) expect(res.body.erased).toContain('identity');
        else expect(res.body.identity.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect((await read(restarted, b.id)).body.identity).toEqual(OTHER);
      expect((await read(restarted, a.id)).body.health).toEqual({ narrative: HEALTH_TEXT });

      // In one go (a stopped deployment): add, rewrap, retire; then a restart reads everything.
      const oneGo = await rotateKeks(await context());
      // (The first KEK, retired but still in the file, was registered again by verifyKeys and is
      // retired again: only KEKs the database no longer uses are ever retired.)
      expect(oneGo).toMatchObject({ rewrapped: live + 1, retired: expect.arrayContaining([newKek]), stillInUse: [] });
      expect((await t.db.dataSource.query(`SELECT kek_id FROM vault_keys`)).map((r: { kek_id: string }) => r.kek_id)).toEqual([oneGo.added]);
      const lines = describeRotation(oneGo);
      expect(lines.join('\n')).toMatch(new RegExp(`rewrapped ${live + 1} data key`));
      for (const key of keyMaterial(keyringFile())) expect([...lines, ...cliLog].join('\n')).not.toContain(key);
      const third = await secondApp();
      for (const { id, shredded } of ids) {
        const res = await read(third, id);
        expect(res.status).toBe(200);
        if (!shredded) expect(res.body.identity.lastName).toEqual(expect.any(String));
      }
      expect(findNeedles([...restarted.logs, ...third.logs].join('\n'), ALL_VALUES)).toEqual([]);
      // Each run is a key operation in the audit log: ids and counts, no key material.
      const audited: { detail: { added: string | null; rewrapped: number } }[] = await t.db.dataSource.query(
        `SELECT detail FROM audit_events WHERE action = 'key.kek.rotate' ORDER BY id`,
      );
      expect(audited.map((r) => [r.detail.added, r.detail.rewrapped])).toEqual([
        [newKek, 0],
        [null, live],
        [oneGo.added, live + 1],
      ]);
    });
  });
});
