import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditSealer } from '../../src/audit/audit-sealer.js';
import { type TestApp } from '../support/app.js';
import { credentials, nextCode, settled } from '../support/login.js';
import { type Account, ADMIN, call, caseBody, createWorldApp, HEALTH_TEXT, IDENTITY, login, PASSWORD, SOCIAL_TEXT, type World } from '../factories/world.js';

interface Item {
  id: string;
  at: string;
  actorId: string | null;
  organisationId: string | null;
  territoryId: string | null;
  action: string;
  caseId: string | null;
  classes: string[];
  decision: 'allow' | 'deny';
  purpose: string | null;
  requestId: string | null;
  seq: string | null;
  detail: Record<string, unknown>;
}

/** A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF), for the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** CSV rows back to entries: empty → null, classes split on `;`, detail parsed, the formula guard undone. */
function fromCsv(text: string): Item[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((cells) => {
    const raw = Object.fromEntries(header.map((h, i) => [h, cells[i].replace(/^'(?=[=+\-@\t\r])/, '')]));
    const orNull = (v: string) => (v === '' ? null : v);
    return {
      id: raw.id,
      at: raw.at,
      actorId: orNull(raw.actorId),
      organisationId: orNull(raw.organisationId),
      territoryId: orNull(raw.territoryId),
      action: raw.action,
      caseId: orNull(raw.caseId),
      classes: raw.classes === '' ? [] : raw.classes.split(';'),
      decision: raw.decision as Item['decision'],
      purpose: orNull(raw.purpose),
      requestId: orNull(raw.requestId),
      seq: orNull(raw.seq),
      detail: JSON.parse(raw.detail),
    };
  });
}

/** A client's X-Request-Id is kept only when it is a UUID: one made from a label, to find the entry again. */
function rid(label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const BURST = 'b0000000-0000-4000-8000-';
const burstId = (i: number) => `${BURST}${String(i).padStart(12, '0')}`;

describe('audit log (HTTP)', () => {
  let t: TestApp;
  let w: World;
  let caseId: string;

  const auditor = () => w.auditor.token;
  const get = (token: string | undefined, url: string, requestId?: string) => {
    const req = t.http().get(url);
    if (token) req.set('authorization', `Bearer ${token}`);
    if (requestId) req.set('x-request-id', requestId);
    return req;
  };
  /** Every entry matching the query, through the auditor's API (walking the pages). */
  const entries = async (query: Record<string, string> = {}): Promise<Item[]> => {
    const out: Item[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ ...query, limit: '1000', ...(cursor ? { cursor } : {}) });
      const res = await get(auditor(), `/audit/events?${params}`);
      expect(res.status).toBe(200);
      out.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  };
  const byRequest = async (requestId: string) => (await t.db.dataSource.query(`SELECT id FROM audit_events WHERE request_id = $1`, [requestId])).length;
  const one = async (query: Record<string, string>, match: (i: Item) => boolean = () => true): Promise<Item> => {
    const found = (await entries(query)).filter(match);
    if (found.length !== 1) throw new Error(`expected one entry for ${JSON.stringify(query)}, found ${found.length}`);
    return found[0];
  };

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    caseId = (await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId))).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('every kind of entry appears after the matching action', () => {
    it('logins, successful and failed', async () => {
      // The password step, then the second factor: the login is audited when it completes.
      const first = await t
        .http()
        .post('/auth/login')
        .set('x-request-id', rid('login-ok-0000'))
        .send({ email: w.referrer.email, password: settled(PASSWORD) });
      expect(first.body).toMatchObject({ mfa: 'required' });
      const code = await nextCode(credentials(t, w.referrer.email)!);
      expect(
        (await t.http().post('/auth/mfa').set('x-request-id', rid('login-ok-0001')).send({ challengeToken: first.body.challengeToken, code })).status,
      ).toBe(200);
      expect(
        (await t.http().post('/auth/login').set('x-request-id', rid('login-bad-0001')).send({ email: w.referrer.email, password: 'wrong-password-1' })).status,
      ).toBe(401);
      expect(
        (await t.http().post('/auth/login').set('x-request-id', rid('login-bad-0002')).send({ email: 'nobody@test.local', password: 'wrong-password-2' }))
          .status,
      ).toBe(401);
      expect(await one({ action: 'auth.login' }, (i) => i.requestId === rid('login-ok-0001'))).toMatchObject({
        decision: 'allow',
        actorId: w.referrer.id,
        organisationId: w.orgs.social,
        purpose: 'totp',
      });
      expect(await one({ action: 'auth.login', decision: 'deny' }, (i) => i.requestId === rid('login-bad-0001'))).toMatchObject({
        actorId: w.referrer.id,
        purpose: 'wrong_password',
      });
      expect(await one({ action: 'auth.login', decision: 'deny' }, (i) => i.requestId === rid('login-bad-0002'))).toMatchObject({
        actorId: null,
        purpose: 'unknown_account',
      });
    });

    it('case creation and reads, with the classes released', async () => {
      expect(await one({ caseId, action: 'case.create' })).toMatchObject({
        actorId: w.referrer.id,
        decision: 'allow',
        classes: expect.arrayContaining(['identity', 'health', 'social']),
      });
      expect((await get(w.referrer.token, `/cases/${caseId}`, rid('read-referrer-01'))).status).toBe(200);
      expect((await get(w.coordinator.token, `/cases/${caseId}`, rid('read-coordinator-01'))).status).toBe(200);
      expect((await get(w.housingOfficer.token, `/cases/${caseId}`, rid('read-housing-01'))).status).toBe(404);
      const reads = await entries({ caseId, action: 'case.read' });
      const referrerRead = reads.find((i) => i.requestId === rid('read-referrer-01'));
      expect(referrerRead).toMatchObject({ decision: 'allow', actorId: w.referrer.id, organisationId: w.orgs.social, purpose: 'referrer' });
      expect(referrerRead!.classes).toEqual(expect.arrayContaining(['identity', 'social', 'health', 'summary']));
      const coordinatorRead = reads.find((i) => i.requestId === rid('read-coordinator-01'));
      expect(coordinatorRead).toMatchObject({ decision: 'allow', organisationId: w.orgs.coordination, purpose: 'coordinator' });
      expect(coordinatorRead!.classes).toContain('summary');
      expect(coordinatorRead!.classes).not.toContain('identity');
      expect(reads.find((i) => i.requestId === rid('read-housing-01'))).toMatchObject({
        decision: 'deny',
        actorId: w.housingOfficer.id,
        purpose: 'no_relation',
        classes: [],
      });
    });

    it('events, allowed and denied', async () => {
      const submit = await t
        .http()
        .post(`/cases/${caseId}/events`)
        .set('authorization', `Bearer ${w.referrer.token}`)
        .set('x-request-id', rid('event-submit-01'))
        .send({ type: 'SUBMIT', expectedVersion: 1 });
      expect(submit.status).toBe(200);
      const refused = await t
        .http()
        .post(`/cases/${caseId}/events`)
        .set('authorization', `Bearer ${w.coordinator.token}`)
        .set('x-request-id', rid('event-denied-01'))
        .send({ type: 'RECORD_CONSENT', expectedVersion: 2, decision: 'refused', informedAt: new Date().toISOString(), method: 'oral' });
      expect(refused.status).toBe(403);
      const events = await entries({ caseId, action: 'case.event.*' });
      expect(events.find((i) => i.requestId === rid('event-submit-01'))).toMatchObject({
        action: 'case.event.SUBMIT',
        decision: 'allow',
        actorId: w.referrer.id,
        detail: { from: 'draft', to: 'submitted' },
      });
      expect(events.find((i) => i.requestId === rid('event-denied-01'))).toMatchObject({
        action: 'case.event.RECORD_CONSENT',
        decision: 'deny',
        actorId: w.coordinator.id,
      });
    });

    it('administrative changes and key operations', async () => {
      await call(t, w.admin.token, 'patch', `/users/${w.townOfficer.id}`, { displayName: 'Agent municipal' }, 200);
      expect(await one({ userId: w.admin.id, action: 'admin.user.update' })).toMatchObject({
        decision: 'allow',
        detail: { userId: w.townOfficer.id, changed: ['displayName'] },
      });
      expect((await entries({ userId: w.admin.id, action: 'admin.organisation.create' })).length).toBe(5);
      expect(await one({ action: 'key.kek.register' })).toMatchObject({ actorId: null, decision: 'allow' });
      const signing = await one({ action: 'key.audit-signing.register' });
      expect(signing.detail.keyId).toMatch(/^ed25519-[0-9a-f]{16}$/);
    });

    it('calls refused by role, and the auditor’s own calls', async () => {
      expect((await get(w.psychiatrist.token, '/audit/events', rid('denied-route-01'))).status).toBe(403);
      expect(await one({ decision: 'deny' }, (i) => i.requestId === rid('denied-route-01'))).toMatchObject({
        action: 'route:GET /audit/events',
        actorId: w.psychiatrist.id,
      });
      expect((await get(auditor(), `/audit/events?caseId=${caseId}&decision=deny`, rid('auditor-list-01'))).status).toBe(200);
      expect((await get(auditor(), '/audit/verify', rid('auditor-verify-01'))).status).toBe(200);
      expect((await get(auditor(), '/audit/events/export?format=csv&action=auth.*', rid('auditor-export-01'))).status).toBe(200);
      expect((await get(auditor(), `/audit/access-report?caseId=${caseId}`, rid('auditor-report-01'))).status).toBe(200);
      const own = await entries({ userId: w.auditor.id });
      expect(own.find((i) => i.requestId === rid('auditor-list-01'))).toMatchObject({
        action: 'audit.events.list',
        detail: { filters: { caseId, decision: 'deny' } },
      });
      expect(own.find((i) => i.requestId === rid('auditor-verify-01'))).toMatchObject({ action: 'audit.verify', detail: { ok: true } });
      expect(own.find((i) => i.requestId === rid('auditor-export-01'))).toMatchObject({
        action: 'audit.events.export',
        detail: { filters: { format: 'csv', action: 'auth.*' } },
      });
      expect(own.find((i) => i.requestId === rid('auditor-report-01'))).toMatchObject({ action: 'audit.access-report', caseId });
    });

    it('never a protected value or a password', async () => {
      const rows: { text: string }[] = await t.db.dataSource.query(`SELECT (to_jsonb(e) - 'hash')::text AS text FROM audit_events e`);
      const all = rows.map((r) => r.text).join('\n');
      for (const value of [...Object.values(IDENTITY), 'Zéphyrin', 'Quatremare', SOCIAL_TEXT, HEALTH_TEXT, PASSWORD, ADMIN.password, 'wrong-password-1']) {
        expect(all).not.toContain(value);
      }
    });
  });

  describe('only auditors', () => {
    const endpoints = () => [
      '/audit/events',
      `/audit/events?caseId=${caseId}`,
      '/audit/events/export?format=csv',
      '/audit/events/export?format=json',
      '/audit/verify',
      `/audit/access-report?caseId=${caseId}`,
    ];

    it('member, coordinator, referrer and admin get 403 on every audit endpoint; no token gets 401', async () => {
      const others: Account[] = [w.psychiatrist, w.housingOfficer, w.coordinator, w.referrer, w.admin];
      for (const account of others) {
        for (const url of endpoints()) {
          const res = await get(account.token, url);
          expect({ url, account: account.email, status: res.status }).toEqual({ url, account: account.email, status: 403 });
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }
      }
      for (const url of endpoints()) expect((await get(undefined, url)).status).toBe(401);
    });

    it("an auditor attached to a territory reads that territory's entries only", async () => {
      const email = `territory-auditor.${Date.now()}@test.local`;
      await call(t, w.admin.token, 'post', '/users', {
        email,
        password: PASSWORD,
        displayName: 'Auditrice CLSM',
        organisationId: w.orgs.municipal,
        roles: ['auditor'],
        profession: 'none',
      });
      const token = await login(t, email);
      const res = await get(token, '/audit/events?limit=1000');
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((i: Item) => i.territoryId === w.territoryId)).toBe(true);
      const everything = await entries();
      expect(everything.some((i) => i.territoryId === null)).toBe(true); // the deployment-wide auditor sees those too
    });

    it('the auditor reaches no case content', async () => {
      expect((await get(auditor(), `/cases/${caseId}`)).status).toBe(404);
      const report = (await get(auditor(), `/audit/access-report?caseId=${caseId}`)).body;
      expect(JSON.stringify(report)).not.toContain(IDENTITY.lastName);
    });
  });

  describe('register of processing (GET /register)', () => {
    it('gives auditors and admins the data flows of the running policy, as JSON or Markdown; others get 403', async () => {
      const json = await get(auditor(), '/register');
      expect(json.status).toBe(200);
      expect(json.body.retention).toEqual({ protectedClassesDays: 730, auditLogDays: 365 });
      expect(json.body.flows).toEqual(expect.arrayContaining([expect.objectContaining({ relation: 'coordinator', cls: 'summary', condition: 'always' })]));
      expect(json.body.flows.filter((f: { relation: string; cls: string }) => f.relation === 'coordinator' && f.cls === 'identity')).toEqual([]);
      const markdown = await get(w.admin.token, '/register?format=markdown');
      expect(markdown.status).toBe(200);
      expect(markdown.headers['content-type']).toMatch(/^text\/markdown/);
      expect(markdown.text).toMatch(/^# Cellule — register of processing and data flows/);
      for (const other of [w.referrer, w.coordinator, w.psychiatrist]) expect((await get(other.token, '/register')).status).toBe(403);
      expect((await get(auditor(), '/register?format=pdf')).status).toBe(400);
    });
  });

  describe('listing, filters and pagination', () => {
    it('filters by case, user, organisation, decision, action and period', async () => {
      const forCase = await entries({ caseId });
      expect(forCase.length).toBeGreaterThan(4);
      expect(forCase.every((i) => i.caseId === caseId)).toBe(true);
      expect((await entries({ userId: w.referrer.id })).every((i) => i.actorId === w.referrer.id)).toBe(true);
      const coordination = await entries({ organisationId: w.orgs.coordination });
      expect(coordination.length).toBeGreaterThan(0);
      expect(coordination.every((i) => i.organisationId === w.orgs.coordination)).toBe(true);
      const denied = await entries({ decision: 'deny' });
      expect(denied.length).toBeGreaterThan(2);
      expect(denied.every((i) => i.decision === 'deny')).toBe(true);
      expect((await entries({ action: 'case.*' })).every((i) => i.action.startsWith('case.'))).toBe(true);
      const middle = forCase[Math.floor(forCase.length / 2)];
      const from = await entries({ caseId, from: middle.at });
      expect(from.length).toBeGreaterThan(0);
      expect(from.every((i) => i.at >= middle.at)).toBe(true);
      const to = await entries({ caseId, to: middle.at });
      expect(to.every((i) => i.at <= middle.at)).toBe(true);
      expect(from.length + to.length).toBeGreaterThanOrEqual(forCase.length);
      // Dates alone: whole UTC days, both ends included.
      const [firstDay, lastDay] = [forCase[forCase.length - 1].at.slice(0, 10), forCase[0].at.slice(0, 10)];
      expect((await entries({ caseId, from: firstDay, to: lastDay })).length).toBe(forCase.length);
      expect(await entries({ caseId, to: '2000-01-01' })).toEqual([]);
    });

    it('pages with an opaque cursor, newest first, with no entry missed or repeated', async () => {
      const all = await entries({ caseId });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(auditor(), `/audit/events?caseId=${caseId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((i: Item) => i.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(Math.ceil(all.length / 2));
      expect(seen).toEqual(all.map((i) => i.id));
      expect([...seen].sort((a, b) => Number(BigInt(b) - BigInt(a)))).toEqual(seen);
    });

    it('answers 400 to bad filters, never a 500', async () => {
      for (const url of [
        '/audit/events?limit=0',
        '/audit/events?limit=5000',
        '/audit/events?caseId=nope',
        '/audit/events?from=yesterday',
        '/audit/events?from=2026-W01',
        '/audit/events?to=2026-13-01',
        '/audit/events?decision=maybe',
        "/audit/events?action=a'%20OR%201=1",
        '/audit/events?cursor=bogus',
        '/audit/events?unknown=1',
        '/audit/events/export?format=xml',
        '/audit/access-report',
      ]) {
        expect({ url, status: (await get(auditor(), url)).status }).toEqual({ url, status: 400 });
      }
      const desc = (await get(auditor(), '/audit/events?limit=1')).body.nextCursor;
      expect((await get(auditor(), `/audit/events?order=asc&cursor=${desc}`)).status).toBe(400);
    });
  });

  describe('export', () => {
    it('round-trips: CSV and JSON parse back to the same entries as the listing', async () => {
      // An entry with everything a CSV writer can get wrong (written as the application would: INSERT).
      await t.db.dataSource.query(
        `INSERT INTO audit_events (actor_id, action, case_id, classes, decision, purpose, request_id, detail)
         VALUES ($1, 'test.tricky', $2, ARRAY['summary','plan'], 'deny', $3, 'tricky-request-01', $4)`,
        [w.referrer.id, caseId, '=SUM(A1) "quoted", comma; semicolon\r\nnew line é', JSON.stringify({ note: 'a "b", c\nd', n: 1.5, list: [1, 'x'] })],
      );
      await t.app.get(AuditSealer).seal(); // so that no seq changes between the listing and the exports
      const listed = (await entries({ caseId })).reverse();
      const json = await get(auditor(), `/audit/events/export?format=json&caseId=${caseId}`);
      expect(json.status).toBe(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.headers['content-disposition']).toMatch(/attachment; filename="cellule-audit-\d{4}-\d{2}-\d{2}\.json"/);
      const fromJson = JSON.parse(json.text) as Item[];
      expect(fromJson).toEqual(listed);

      const csv = await get(auditor(), `/audit/events/export?format=csv&caseId=${caseId}`);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.text.split('\r\n')[0]).toBe('id,at,actorId,organisationId,territoryId,action,caseId,classes,decision,purpose,requestId,seq,detail');
      expect(csv.text).toContain(`"'=SUM(A1) ""quoted"", comma; semicolon\r\nnew line é"`);
      expect(fromCsv(csv.text)).toEqual(listed);
      expect(listed.find((i) => i.requestId === 'tricky-request-01')).toMatchObject({ classes: ['summary', 'plan'], detail: { note: 'a "b", c\nd', n: 1.5 } });
    });

    it('exports everything of a larger filter the same way in both formats', async () => {
      const query = `userId=${w.referrer.id}&order=desc`;
      await t.app.get(AuditSealer).seal();
      const fromJson = JSON.parse((await get(auditor(), `/audit/events/export?format=json&${query}`)).text) as Item[];
      const fromCsvText = fromCsv((await get(auditor(), `/audit/events/export?format=csv&${query}`)).text);
      expect(fromJson.length).toBeGreaterThan(5);
      expect(fromCsvText).toEqual(fromJson);
      expect(fromJson.map((i) => i.id)).toEqual(await entries({ userId: w.referrer.id }).then((l) => l.map((i) => i.id)));
    });
  });

  describe('access report', () => {
    it("lists the organisations that read the person's record, which classes, first/last/count", async () => {
      const res = await get(auditor(), `/audit/access-report?caseId=${caseId}`);
      expect(res.status).toBe(200);
      const orgs = res.body.organisations as {
        id: string;
        name: string;
        sector: string;
        classes: { class: string; first: string; last: string; count: number }[];
      }[];
      const social = orgs.find((o) => o.id === w.orgs.social)!;
      const coordination = orgs.find((o) => o.id === w.orgs.coordination)!;
      expect(social).toMatchObject({ sector: 'social', name: expect.stringContaining('Service social') });
      expect(coordination).toMatchObject({ sector: 'coordination' });
      const identity = social.classes.find((c) => c.class === 'identity')!;
      expect(identity.count).toBeGreaterThanOrEqual(2); // written at creation, read back
      expect(identity.first <= identity.last).toBe(true);
      expect(coordination.classes.map((c) => c.class)).toContain('summary');
      expect(coordination.classes.map((c) => c.class)).not.toContain('identity');
      expect(orgs.find((o) => o.id === w.orgs.housing)).toBeUndefined(); // denied, so never read
      const other = await get(auditor(), `/audit/access-report?caseId=00000000-0000-4000-8000-000000000000`);
      expect(other.body.organisations).toEqual([]);
    });
  });

  describe('verification', () => {
    const verify = async (full = true) => {
      const res = await get(auditor(), full ? '/audit/verify?full=true' : '/audit/verify');
      expect(res.status).toBe(200);
      return res.body as {
        ok: boolean;
        mode: string;
        fromSeq: string | null;
        lastSeq: string;
        checked: number;
        firstBrokenId: string | null;
        checkpoints: number;
        reason: string | null;
        publicKey: string;
      };
    };
    /** Behind the application's back: committed superuser changes with the triggers off. */
    const behindTheBack = (...statements: [string, unknown[]][]) =>
      t.db.dataSource.transaction(async (m) => {
        await m.query(`SET LOCAL session_replication_role = replica`);
        for (const [sql, params] of statements) await m.query(sql, params);
      });
    const sealedIds = async (): Promise<string[]> =>
      (await t.db.dataSource.query(`SELECT e.id::text AS id FROM audit_events e WHERE e.seq IS NOT NULL ORDER BY e.seq`)).map((r: { id: string }) => r.id);

    it('seals pending entries and verifies the chain and the signed checkpoints', async () => {
      const report = await verify();
      expect(report).toMatchObject({ ok: true, firstBrokenId: null, reason: null });
      expect(report.checked).toBeGreaterThan(50);
      expect(report.checkpoints).toBeGreaterThan(0);
      expect(Buffer.from(report.publicKey, 'base64')).toHaveLength(32);
      // Without ?full=true: only what was sealed since that verification (its own audit entry, at least).
      const next = await verify(false);
      expect(next).toMatchObject({ ok: true, mode: 'incremental', fromSeq: report.lastSeq });
      expect(next.checked).toBeGreaterThan(0);
      expect(next.checked).toBeLessThan(report.checked);
    });

    it('reports an edited, a deleted and a reordered entry by its id, and is intact once repaired', async () => {
      await verify();
      const chain = await sealedIds();
      const victim = chain[Math.floor(chain.length / 2)];

      const [{ purpose }] = await t.db.dataSource.query(`SELECT purpose FROM audit_events WHERE id = $1`, [victim]);
      await behindTheBack([`UPDATE audit_events SET purpose = 'nothing to see' WHERE id = $1`, [victim]]);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenId: victim, reason: 'hash_mismatch' });
      await behindTheBack([`UPDATE audit_events SET purpose = $2 WHERE id = $1`, [victim, purpose]]);
      expect(await verify()).toMatchObject({ ok: true });

      // Deleted (kept aside as PostgreSQL prints it, microseconds included), then put back.
      const [{ saved }] = await t.db.dataSource.query(`SELECT to_jsonb(e) AS saved FROM audit_events e WHERE id = $1`, [victim]);
      await behindTheBack([`DELETE FROM audit_events WHERE id = $1`, [victim]]);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenId: victim, reason: 'missing_entry' });
      await behindTheBack([
        `INSERT INTO audit_events OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::audit_events, $1::jsonb)`,
        [JSON.stringify(saved)],
      ]);
      expect(await verify()).toMatchObject({ ok: true });

      // Reordered: swapped with the entry after it.
      const [{ seq }] = await t.db.dataSource.query(`SELECT seq::text FROM audit_events WHERE id = $1`, [victim]);
      const next = String(BigInt(seq) + 1n);
      const swap = (a: string, b: string) =>
        behindTheBack(
          [`UPDATE audit_events SET seq = seq + 1000000000000 WHERE seq = $1`, [a]],
          [`UPDATE audit_events SET seq = $1 WHERE seq = $2`, [a, b]],
          [`UPDATE audit_events SET seq = $1 WHERE seq = $2`, [b, String(BigInt(a) + 1000000000000n)]],
        );
      await swap(seq, next);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenId: victim, reason: 'missing_entry' });
      await swap(seq, next);
      expect(await verify()).toMatchObject({ ok: true });
    });
  });

  describe('concurrency', () => {
    it('a thousand concurrent audited requests leave a chain that verifies', async () => {
      const sealer = t.app.get(AuditSealer);
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      // Up to 200 connections at once (file descriptors), the other requests queued client-side.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
      const send = (method: string, path: string, headers: Record<string, string>, body?: object) =>
        new Promise<{ statusCode: number }>((resolve, reject) => {
          const payload = body ? JSON.stringify(body) : undefined;
          const req = http.request(
            { host: '127.0.0.1', port, method, path, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } },
            (res) => {
              res.resume();
              res.on('end', () => resolve({ statusCode: res.statusCode ?? 0 }));
            },
          );
          req.on('error', reject);
          req.end(payload);
        });
      // Four kinds of audited requests, interleaved: case reads (classes released), reads denied,
      // calls refused by role, failed logins.
      const kinds = [
        (id: string) => send('GET', `/cases/${caseId}`, { authorization: `Bearer ${w.referrer.token}`, 'x-request-id': id }),
        (id: string) => send('GET', `/cases/${caseId}`, { authorization: `Bearer ${w.referrer.token}`, 'x-request-id': id }),
        (id: string) => send('GET', `/cases/${caseId}`, { authorization: `Bearer ${w.referrer.token}`, 'x-request-id': id }),
        (id: string) => send('GET', `/cases/${caseId}`, { authorization: `Bearer ${w.referrer.token}`, 'x-request-id': id }),
        (id: string) => send('GET', `/cases/${caseId}`, { authorization: `Bearer ${w.housingOfficer.token}`, 'x-request-id': id }),
        (id: string) => send('GET', `/cases/${caseId}`, { authorization: `Bearer ${w.housingOfficer.token}`, 'x-request-id': id }),
        (id: string) => send('GET', `/cases/${caseId}`, { authorization: `Bearer ${w.housingOfficer.token}`, 'x-request-id': id }),
        (id: string) => send('GET', '/audit/verify', { authorization: `Bearer ${w.psychiatrist.token}`, 'x-request-id': id }),
        (id: string) => send('GET', '/audit/verify', { authorization: `Bearer ${w.psychiatrist.token}`, 'x-request-id': id }),
        (id: string) => send('POST', '/auth/login', { 'x-request-id': id }, { email: w.housingOfficer.email, password: `wrong-${id}-password` }),
      ];
      const requests: Promise<unknown>[] = [];
      for (let i = 0; i < 1000; i++) {
        requests.push(kinds[i % kinds.length](burstId(i)));
        // Sealing runs meanwhile, as the periodic loop of another replica would.
        if (i % 250 === 0) requests.push(sealer.seal({ wait: i % 500 === 0 }));
      }
      const answers = (await Promise.all(requests).finally(() => agent.destroy())) as { statusCode?: number }[];
      const statuses = answers.filter((a) => a.statusCode !== undefined).map((a) => a.statusCode);
      expect(statuses).toHaveLength(1000);
      expect(statuses.filter((s) => s === 200)).toHaveLength(400);
      expect(statuses.filter((s) => s === 404)).toHaveLength(300);
      expect(statuses.filter((s) => s === 403)).toHaveLength(200);
      // The failed logins: the first few checked (401), the others slowed down (429).
      expect(statuses.filter((s) => s === 401 || s === 429)).toHaveLength(100);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
      const kindsLogged: { action: string; decision: string; n: number }[] = await t.db.dataSource.query(
        `SELECT action, decision, count(*)::int AS n FROM audit_events WHERE request_id LIKE '${BURST}%' GROUP BY action, decision ORDER BY action, decision`,
      );
      // A hundred failed logins of one account are a few entries, not a hundred (aggregated).
      const loginDenials = kindsLogged.find((k) => k.action === 'auth.login')!;
      expect(loginDenials.n).toBeGreaterThan(0);
      expect(loginDenials.n).toBeLessThanOrEqual(10);
      expect(kindsLogged.filter((k) => !k.action.startsWith('auth.'))).toEqual([
        { action: 'case.read', decision: 'allow', n: 400 },
        { action: 'case.read', decision: 'deny', n: 300 },
        { action: 'route:GET /audit/verify', decision: 'deny', n: 200 },
      ]);
      const report = (await get(auditor(), '/audit/verify')).body;
      expect(report).toMatchObject({ ok: true, firstBrokenId: null, unsealed: 0 });
      const [{ unsealed }] = await t.db.dataSource.query(
        `SELECT count(*)::int AS unsealed FROM audit_events WHERE request_id LIKE '${BURST}%' AND seq IS NULL`,
      );
      expect(unsealed).toBe(0);
      expect(await byRequest(burstId(998))).toBe(1);
    });
  });
});
