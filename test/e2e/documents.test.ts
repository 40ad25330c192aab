/**
 * Issue 12, item 2 — documents of a situation, through the HTTP API on the real application and
 * PostgreSQL: recognised by their bytes, at most 10 MB, encrypted at rest in chunks with the
 * situation's data key (the whole database is scanned for the file's bytes and its name), released
 * like the class they are filed under, crypto-shredded with the situation, every download audited,
 * nothing written by a refused upload.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { asSystem, withTerritories } from '../../src/database/territory-scope.js';
import { cliContextFor } from '../../src/cli/context.js';
import { shredCase } from '../../src/cli/shred-case.js';
import { type TestApp } from '../support/app.js';
import { call, caseBody, createWorld, createWorldApp, type World } from '../factories/world.js';
import { scanDatabase } from '../factories/secrecy.js';
import { get, grantedConsent, inDays, newCase, newSession, step, type CaseRef } from '../factories/lifecycle.js';

const MB = 1024 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const PDF = Buffer.from('%PDF-1.7\n');

/** A distinctive byte run, ASCII (found by the text scan) and binary (found by the byte scan). */
const NEEDLE_TEXT = 'Attestation-Vermeil-Opaline-4821';
const NEEDLE_BYTES = randomBytes(48);
/** A file name that names the person: protected, sealed. */
const NAME = 'Consentement signé Zéphyrin-Quatremare.pdf';

function pdf(size = 200_000): Buffer {
  const body = Buffer.alloc(size - PDF.length, 0x20);
  Buffer.from(NEEDLE_TEXT).copy(body, 10);
  NEEDLE_BYTES.copy(body, 150_000 - PDF.length);
  return Buffer.concat([PDF, body]);
}

describe('documents of a situation (issue 12)', () => {
  let t: TestApp;
  let w: World;
  let ref: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    ref = w.referrer.token;
  });
  afterAll(async () => {
    await t?.close();
  });

  function upload(token: string, caseId: string, cls: string, content: Buffer, name: string, contentType?: string): Promise<Response> {
    return t
      .http()
      .post(`/cases/${caseId}/documents`)
      .set('authorization', `Bearer ${token}`)
      .field('class', cls)
      .attach('file', content, contentType ? { filename: name, contentType } : name);
  }

  function download(token: string, caseId: string, documentId: string): Promise<Response> {
    return t
      .http()
      .get(`/cases/${caseId}/documents/${documentId}`)
      .set('authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((res, callback) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(parts)));
      });
  }

  async function rows(caseId: string): Promise<{ documents: number; chunks: number }> {
    const [row] = await t.db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM case_documents WHERE case_id = $1) AS documents,
              (SELECT count(*)::int FROM case_document_chunks c JOIN case_documents d ON d.id = c.document_id WHERE d.case_id = $1) AS chunks`,
      [caseId],
    );
    return row;
  }

  async function auditOf(action: string, caseId: string): Promise<{ decision: string; classes: string[]; purpose: string; detail: Record<string, unknown> }[]> {
    return t.db.dataSource.query(`SELECT decision, classes, purpose, detail FROM audit_events WHERE action = $1 AND case_id = $2 ORDER BY id`, [
      action,
      caseId,
    ]);
  }

  describe('type, size and no partial write', () => {
    let c: CaseRef;
    beforeAll(async () => {
      c = await newCase(t, w);
    });

    it('recognises the type by the bytes: a .pdf name with PNG bytes is stored and answered as PNG', async () => {
      const content = Buffer.concat([PNG, randomBytes(70_000)]);
      const res = await upload(ref, c.id, 'identity', content, 'scan.pdf', 'application/pdf');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ class: 'identity', mediaType: 'image/png', size: content.length, name: 'scan.pdf', mine: true });
      const back = await download(ref, c.id, res.body.id);
      expect(back.status).toBe(200);
      expect(back.headers['content-type']).toBe('image/png');
      expect(back.headers['content-disposition']).toContain('attachment');
      expect(back.headers['cache-control']).toBe('no-store');
      expect(Buffer.compare(back.body as Buffer, content)).toBe(0);
      const jpeg = await upload(ref, c.id, 'social', Buffer.concat([JPEG, randomBytes(1000)]), 'courrier.png', 'image/png');
      expect(jpeg.status).toBe(201);
      expect(jpeg.body.mediaType).toBe('image/jpeg');
    });

    it('refuses an executable renamed .pdf (415, naming the field) and writes nothing', async () => {
      const before = await rows(c.id);
      const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), randomBytes(300_000)]);
      const res = await upload(ref, c.id, 'health', exe, 'compte-rendu.pdf', 'application/pdf');
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors).toEqual([{ field: 'file', message: 'is not a PDF, PNG or JPEG document' }]);
      expect(res.text).not.toContain('compte-rendu');
      expect(await rows(c.id)).toEqual(before);
      const empty = await upload(ref, c.id, 'health', Buffer.alloc(0), 'vide.pdf');
      expect(empty.status).toBe(400);
      expect(empty.body.errors[0].field).toBe('file');
      expect(await rows(c.id)).toEqual(before);
    });

    it('accepts 10 MB exactly; one byte more is 413 as a problem detail, with nothing written', async () => {
      const before = await rows(c.id);
      const limit = await upload(ref, c.id, 'social', Buffer.concat([PDF, Buffer.alloc(10 * MB - PDF.length, 0x41)]), 'dix.pdf');
      expect(limit.status).toBe(201);
      expect(limit.body.size).toBe(10 * MB);
      expect(await rows(c.id)).toEqual({ documents: before.documents + 1, chunks: before.chunks + 160 });
      const over = await upload(ref, c.id, 'social', Buffer.concat([PDF, Buffer.alloc(10 * MB + 1 - PDF.length, 0x41)]), 'trop.pdf');
      expect(over.status).toBe(413);
      expect(over.headers['content-type']).toContain('application/problem+json');
      expect(over.body).toMatchObject({ status: 413, errors: [{ field: 'file' }] });
      // A body announced far larger is refused before it is read.
      const huge = await upload(ref, c.id, 'social', Buffer.concat([PDF, Buffer.alloc(12 * MB, 0x41)]), 'enorme.pdf');
      expect(huge.status).toBe(413);
      expect(await rows(c.id)).toEqual({ documents: before.documents + 1, chunks: before.chunks + 160 });
    });

    it('refuses a class that is not a protected one, a missing class or file, and a non-multipart body (naming the field)', async () => {
      const before = await rows(c.id);
      const summary = await upload(ref, c.id, 'summary', pdf(1000), 'a.pdf');
      expect(summary.status).toBe(400);
      expect(summary.body.errors[0].field).toBe('class');
      const noClass = await t.http().post(`/cases/${c.id}/documents`).set('authorization', `Bearer ${ref}`).attach('file', pdf(1000), 'a.pdf');
      expect(noClass.status).toBe(400);
      expect(noClass.body.errors[0].field).toBe('class');
      const noFile = await t.http().post(`/cases/${c.id}/documents`).set('authorization', `Bearer ${ref}`).field('class', 'health');
      expect(noFile.status).toBe(400);
      expect(noFile.body.errors[0].field).toBe('file');
      const json = await t.http().post(`/cases/${c.id}/documents`).set('authorization', `Bearer ${ref}`).send({ class: 'health' });
      expect(json.status).toBe(415);
      expect(await rows(c.id)).toEqual(before);
    });
  });

  it('a closure committed while an upload streams wins: the upload is refused (409) and leaves nothing', async () => {
    const c = await newCase(t, w);
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const boundary = 'cellule-race-boundary';
    let rest: () => void = () => undefined;
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/cases/${c.id}/documents`,
          headers: { authorization: `Bearer ${ref}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (chunk: Buffer) => parts.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
        },
      );
      req.on('error', reject);
      // The head and more than one chunk's worth of bytes: the server checks the state, opens its
      // transaction and writes a first chunk, then waits for the rest.
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="class"\r\n\r\nidentity\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lent.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      );
      req.write(Buffer.concat([PDF, Buffer.alloc(100_000, 0x41)]));
      rest = () => req.end(Buffer.concat([Buffer.alloc(1000, 0x42), Buffer.from(`\r\n--${boundary}--\r\n`)]));
    });
    // Wait until the upload's transaction has written its first chunk (uncommitted).
    for (let i = 0; i < 400; i += 1) {
      const [busy] = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'idle in transaction' AND query ILIKE '%case_document_chunks%'`,
      );
      if (busy.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // Meanwhile the coordinator turns the referral down: the situation is closed.
    try {
      await step(t, ref, c, 'SUBMIT');
      await step(t, w.coordinator.token, c, 'REJECT', { reason: 'Relève du droit commun' });
    } finally {
      rest();
    }
    expect(c.state).toBe('closed');
    const res = await answer;
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body)).toMatchObject({ status: 409, state: 'closed' });
    expect(await rows(c.id)).toEqual({ documents: 0, chunks: 0 });
    const refused = await upload(ref, c.id, 'identity', pdf(1000), 'apres.pdf');
    expect(refused.status).toBe(409);
  });

  it('stores the content and the name encrypted: no table holds the bytes or the name in clear, nor do the logs', async () => {
    const c = await newCase(t, w);
    const content = pdf();
    const res = await upload(ref, c.id, 'health', content, NAME);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(NAME);
    expect((await rows(c.id)).chunks).toBe(4);
    const back = await download(ref, c.id, res.body.id);
    expect(Buffer.compare(back.body as Buffer, content)).toBe(0);
    expect(back.headers['content-disposition']).toContain(encodeURIComponent('Zéphyrin'));

    const scan = await scanDatabase(t.db.dataSource, { needle: NEEDLE_TEXT, name: 'Quatremare', nameHead: 'Consentement signé' });
    expect(scan.tables).toBeGreaterThan(20);
    expect(scan.hits).toEqual([]);
    // The binary run, byte for byte, in every bytea and text column of every table.
    const columns: { table_name: string; column_name: string; data_type: string }[] = await t.db.dataSource.query(
      `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
         JOIN information_schema.tables s ON s.table_schema = c.table_schema AND s.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND s.table_type = 'BASE TABLE' AND c.data_type IN ('bytea', 'text', 'jsonb', 'json', 'character varying')`,
    );
    const hits: string[] = [];
    let scanned = 0;
    for (const col of columns) {
      const values: { v: Buffer | string | null }[] = await t.db.dataSource.query(
        `SELECT "${col.column_name}"${col.data_type === 'bytea' ? '' : '::text'} AS v FROM "${col.table_name}"`,
      );
      for (const { v } of values) {
        if (v === null) continue;
        scanned += 1;
        const bytes = Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');
        if (bytes.includes(NEEDLE_BYTES.subarray(0, 16)) || bytes.includes(Buffer.from(NEEDLE_TEXT))) hits.push(`${col.table_name}.${col.column_name}`);
      }
    }
    expect(columns.map((col) => col.table_name)).toEqual(expect.arrayContaining(['case_documents', 'case_document_chunks']));
    expect(scanned).toBeGreaterThan(100);
    expect(hits).toEqual([]);
    const logs = t.logs.join('\n');
    expect(logs).not.toContain('Quatremare');
    expect(logs).not.toContain(NEEDLE_TEXT);
    // The access log says which document and class, never the name.
    const [entry] = await auditOf('case.document.upload', c.id);
    expect(entry).toMatchObject({
      decision: 'allow',
      classes: ['health'],
      purpose: 'referrer',
      detail: { documentId: res.body.id, mediaType: 'application/pdf' },
    });
    expect(JSON.stringify(await t.db.dataSource.query(`SELECT * FROM audit_events WHERE case_id = $1`, [c.id]))).not.toContain('Quatremare');
  });

  it('refuses altered content rather than answering it (500, logged without a value)', async () => {
    const c = await newCase(t, w);
    const res = await upload(ref, c.id, 'social', pdf(), 'lettre.pdf');
    await t.db.dataSource.query(`UPDATE case_document_chunks SET sealed = set_byte(sealed, 40, get_byte(sealed, 40) # 1) WHERE document_id = $1 AND n = 1`, [
      res.body.id,
    ]);
    const back = await download(ref, c.id, res.body.id);
    expect(back.status).toBe(500);
    // A chunk dropped: the stream no longer reaches its final chunk.
    const other = await upload(ref, c.id, 'social', pdf(), 'lettre2.pdf');
    await t.db.dataSource.query(`DELETE FROM case_document_chunks WHERE document_id = $1 AND n = 3`, [other.body.id]);
    await t.db.dataSource.query(`UPDATE case_documents SET chunk_count = 3 WHERE id = $1`, [other.body.id]);
    expect((await download(ref, c.id, other.body.id)).status).toBe(500);
  });

  describe('release per class and role', () => {
    let c: CaseRef;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const session = await newSession(t, w, { open: true, startInDays: 0 });
      for (const member of [w.psychiatrist, w.housingOfficer]) await call(t, member.token, 'post', `/sessions/${session}/attendance`);
      c = await newCase(t, w);
      for (const cls of ['identity', 'social', 'health']) {
        const res = await upload(ref, c.id, cls, pdf(5000), `${cls}.pdf`);
        expect(res.status).toBe(201);
        ids[cls] = res.body.id;
      }
      await step(t, ref, c, 'SUBMIT');
      await step(t, w.coordinator.token, c, 'ACCEPT');
      await step(
        t,
        ref,
        c,
        'RECORD_CONSENT',
        grantedConsent([
          { sector: 'health', classes: ['identity', 'health'] },
          { sector: 'housing', classes: ['identity'] },
        ]),
      );
      await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId: session });
    });

    async function seen(token: string) {
      const list = await get(t, token, `/cases/${c.id}/documents`);
      expect(list.status).toBe(200);
      const view = await get(t, token, `/cases/${c.id}`);
      return { list: list.body, view: view.body };
    }

    it('the referrer sees and downloads every document, and may file more', async () => {
      const { list } = await seen(ref);
      expect(list.items.map((d: { class: string }) => d.class).sort()).toEqual(['health', 'identity', 'social']);
      expect(list.withheld).toEqual({});
      expect(list.upload).toMatchObject({ allowed: true, classes: ['identity', 'social', 'health'], maxBytes: 10 * MB });
      for (const id of Object.values(ids)) expect((await download(ref, c.id, id)).status).toBe(200);
    });

    it('a psychiatrist attending the review receives the health documents only; the rest is withheld with the reason of its class', async () => {
      const { list, view } = await seen(w.psychiatrist.token);
      expect(list.items.map((d: { id: string }) => d.id)).toEqual([ids.health]);
      expect(list.withheld).toEqual({ identity: view.withheld.identity, social: view.withheld.social });
      expect(list.withheld).toEqual({ identity: 'not_action_owner', social: 'sector_not_in_consent_scope' });
      expect(list.upload.allowed).toBe(false);
      expect((await download(w.psychiatrist.token, c.id, ids.health)).status).toBe(200);
      // Another class's document is answered as an unknown one (its existence is not confirmed).
      expect((await download(w.psychiatrist.token, c.id, ids.social)).status).toBe(404);
      expect((await download(w.psychiatrist.token, c.id, ids.identity)).status).toBe(404);
      // Filing is the referrer's: a member, whose role can never hold that relation, is answered as
      // for an unknown situation (404, like every situation route refused on role alone).
      const before = await rows(c.id);
      const refused = await upload(w.psychiatrist.token, c.id, 'health', pdf(1000), 'x.pdf');
      expect(refused.status).toBe(404);
      expect(await rows(c.id)).toEqual(before);
    });

    it('the housing officer attending, the coordinator and a colleague of the referrer receive none, each with its reason', async () => {
      const housing = await seen(w.housingOfficer.token);
      expect(housing.list.items).toEqual([]);
      expect(housing.list.withheld).toEqual({ identity: 'not_action_owner', social: 'sector_not_in_consent_scope', health: 'sector_not_in_consent_scope' });
      const coordinator = await seen(w.coordinator.token);
      expect(coordinator.list.items).toEqual([]);
      expect(coordinator.list.withheld).toEqual({ identity: 'never_for_relation', social: 'never_for_relation', health: 'never_for_relation' });
      expect((await download(w.coordinator.token, c.id, ids.health)).status).toBe(404);
      const colleague = await seen(w.otherReferrer.token);
      expect(colleague.list.items).toEqual([]);
      for (const cls of ['identity', 'social', 'health']) expect(colleague.list.withheld[cls]).toBe(colleague.view.withheld[cls]);
      expect(colleague.list.upload.allowed).toBe(false);
      expect((await upload(w.otherReferrer.token, c.id, 'social', pdf(1000), 'x.pdf')).status).toBe(403);
      // Without any relation: the same 404 as an unknown situation; an auditor neither.
      expect((await get(t, w.townOfficer.token, `/cases/${c.id}/documents`)).status).toBe(404);
      expect((await download(w.townOfficer.token, c.id, ids.health)).status).toBe(404);
      expect((await get(t, w.auditor.token, `/cases/${c.id}/documents`)).status).toBe(404);
    });

    it('an action owner whose sector the consent names for identity receives some identity fields, never the identity documents', async () => {
      await step(t, w.coordinator.token, c, 'START_REVIEW');
      await step(t, w.coordinator.token, c, 'ADOPT_PLAN', {
        actions: [{ title: "Proposer un plan d'apurement de la dette locative", ownerOrganisationId: w.orgs.housing, dueAt: inDays(45) }],
      });
      const { list, view } = await seen(w.housingOfficer.token);
      expect(view.relations).toContain('action_owner');
      expect(Object.keys(view.identity ?? {})).toContain('lastName');
      expect(list.items).toEqual([]);
      expect(list.withheld.identity).toBe('not_released_to_relation');
      expect((await download(w.housingOfficer.token, c.id, ids.identity)).status).toBe(404);
    });

    it('every download is an audited read; a refused one is logged with its reason', async () => {
      const entries = await auditOf('case.document.read', c.id);
      expect(entries.filter((e) => e.decision === 'allow').map((e) => [e.classes, e.detail.documentId])).toEqual(
        expect.arrayContaining([[['health'], ids.health]]),
      );
      expect(entries.filter((e) => e.decision === 'allow').every((e) => e.classes.length === 1 && typeof e.detail.documentId === 'string')).toBe(true);
      const denied = entries.filter((e) => e.decision === 'deny');
      expect(denied.map((e) => e.purpose)).toEqual(expect.arrayContaining(['sector_not_in_consent_scope', 'never_for_relation', 'not_action_owner']));
      const lists = await auditOf('case.document.list', c.id);
      expect(lists.some((e) => e.decision === 'allow' && e.classes.includes('health'))).toBe(true);
    });
  });

  it('row-level security: the application role sees and writes the documents of its scope’s territory only', async () => {
    const other = await createWorld(t);
    const mine = await newCase(t, w);
    const theirs = (await call(t, other.referrer.token, 'post', '/cases', caseBody(other.commissionId))).id as string;
    const a = await upload(ref, mine.id, 'social', pdf(1000), 'a.pdf');
    const b = await upload(other.referrer.token, theirs, 'social', pdf(1000), 'b.pdf');
    expect([a.status, b.status]).toEqual([201, 201]);
    const app = t.app.get(DataSource);
    const ids = async (sql: string) => ((await app.query(sql)) as { id: string }[]).map((r) => r.id);
    const docs = await withTerritories([w.territoryId], () => ids('SELECT id FROM case_documents'));
    expect(docs).toContain(a.body.id);
    expect(docs).not.toContain(b.body.id);
    const chunks = await withTerritories([w.territoryId], () => ids('SELECT DISTINCT document_id AS id FROM case_document_chunks'));
    expect(chunks).toContain(a.body.id);
    expect(chunks).not.toContain(b.body.id);
    // No scope: nothing; the wide scope is explicit.
    expect(await ids('SELECT id FROM case_documents')).toEqual([]);
    expect(await asSystem('test', () => ids('SELECT id FROM case_documents'))).toEqual(expect.arrayContaining([a.body.id, b.body.id]));
    await expect(
      withTerritories([w.territoryId], () =>
        app.query(`INSERT INTO case_document_chunks (document_id, n, territory_id, sealed) VALUES ($1, 99, $2, '\\x00')`, [b.body.id, other.territoryId]),
      ),
    ).rejects.toThrow(/row-level security/);
    // Another territory's document through this territory's situation: unknown.
    expect((await download(ref, mine.id, b.body.id)).status).toBe(404);
  });

  describe('crypto-shredded with the situation', () => {
    it('DELETE_DRAFT: the documents go with the draft; a download answers as erased content does (410)', async () => {
      const c = await newCase(t, w);
      const res = await upload(ref, c.id, 'health', pdf(), NAME);
      expect(res.status).toBe(201);
      await step(t, ref, c, 'DELETE_DRAFT');
      const back = await download(ref, c.id, res.body.id);
      expect(back.status).toBe(410);
      expect(back.headers['content-type']).toContain('application/problem+json');
      const list = await get(t, ref, `/cases/${c.id}/documents`);
      expect(list.body.items).toEqual([]);
      expect(list.body.withheld).toEqual({ identity: 'erased', social: 'erased', health: 'erased' });
      expect(list.body.upload.allowed).toBe(false);
      expect(await rows(c.id)).toEqual({ documents: 1, chunks: 0 });
      const [row] = await t.db.dataSource.query(`SELECT name_sealed, stream_header, erased_at FROM case_documents WHERE id = $1`, [res.body.id]);
      expect(row).toMatchObject({ name_sealed: null, stream_header: null });
      expect(row.erased_at).not.toBeNull();
    });

    it("the operator's erasure (PURGE): the same, and the situation itself reads as erased", async () => {
      const c = await newCase(t, w);
      const res = await upload(ref, c.id, 'social', pdf(), 'courrier-bailleur.pdf');
      await step(t, ref, c, 'SUBMIT');
      await step(t, w.coordinator.token, c, 'REJECT', { reason: 'Relève du droit commun', suggestedOrientation: 'CCAS' });
      const ctx = await cliContextFor(t.config, t.db.dataSource, () => undefined);
      await shredCase(ctx, c.id, { reason: 'erasure_request' });
      const view = await get(t, ref, `/cases/${c.id}`);
      expect(view.body.withheld.social).toBe('erased');
      const back = await download(ref, c.id, res.body.id);
      expect(back.status).toBe(410);
      expect((await get(t, ref, `/cases/${c.id}/documents`)).body.withheld.social).toBe('erased');
      expect((await rows(c.id)).chunks).toBe(0);
      // A closed situation takes no more documents.
      expect((await upload(ref, c.id, 'social', pdf(1000), 'x.pdf')).status).toBe(409);
    });
  });
});
