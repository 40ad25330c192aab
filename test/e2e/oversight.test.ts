/**
 * What the workspace's oversight screens need of the server, through the HTTP API of the real app
 * on the embedded PostgreSQL: an auditor finds a situation by its reference (or names the
 * situations of a page of the log) without any content, and the call is itself logged; each
 * account's "recently viewed" comes from its own reads in the access log; auditors list the
 * accounts within their reach; the answers the workspace reads are declared.
 */
import { call, createWorld, createWorldApp, IDENTITY, type World } from '../factories/world.js';
import { caseIn, inDays, newCase } from '../factories/lifecycle.js';
import { createPerson } from '../factories/secrecy.js';
import type { TestApp } from '../support/app.js';

interface Situation {
  id: string;
  reference: string;
  territoryId: string;
}

describe('oversight routes (HTTP)', () => {
  let t: TestApp;
  let w: World;
  let o: World;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    o = await createWorld(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (token: string, url: string) => t.http().get(url).set('authorization', `Bearer ${token}`);

  describe('GET /audit/situations', () => {
    it('finds a situation by its reference, in any case, with its id and territory and nothing else', async () => {
      const c = await newCase(t, w);
      const res = await get(w.auditor.token, `/audit/situations?reference=${encodeURIComponent(` ${c.reference.toLowerCase()} `)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [{ id: c.id, reference: c.reference, territoryId: w.territoryId }] });
      for (const value of Object.values(IDENTITY)) expect(res.text).not.toContain(value);
    });

    it('answers one line per territory when two territories use the same reference, within the auditor’s reach', async () => {
      // References count per territory and year: the first situation of each world shares it.
      const a = await newCase(t, w);
      const b = await newCase(t, o);
      await t.db.dataSource.query(`UPDATE cases SET reference = $1 WHERE id = ANY($2::uuid[])`, ['CAS-1999-0001', [a.id, b.id]]);
      const all = await get(w.auditor.token, '/audit/situations?reference=CAS-1999-0001');
      expect((all.body as { items: Situation[] }).items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
      // An auditor attached to territory B sees B's only.
      const auditorB = await createPerson(t, o, 'auditor-b-oversight', { id: o.orgs.municipal, sector: null }, 'none', { roles: ['auditor'] });
      const own = await get(auditorB.token, '/audit/situations?reference=CAS-1999-0001');
      expect(own.body).toEqual({ items: [{ id: b.id, reference: 'CAS-1999-0001', territoryId: o.territoryId }] });
    });

    it('names the situations of a page of the log by their ids', async () => {
      const [a, b] = [await newCase(t, w), await newCase(t, w)];
      const res = await get(w.auditor.token, `/audit/situations?ids=${a.id},${b.id}`);
      expect(res.status).toBe(200);
      expect((res.body as { items: Situation[] }).items.map((i) => i.reference).sort()).toEqual([a.reference, b.reference].sort());
      expect((await get(w.auditor.token, `/audit/situations?ids=${a.id}&ids=${b.id}`)).body).toEqual(res.body);
    });

    it('answers an empty list for an unknown reference, and 400 naming the field for a malformed one or none', async () => {
      expect((await get(w.auditor.token, '/audit/situations?reference=CAS-2099-9999')).body).toEqual({ items: [] });
      const bad = await get(w.auditor.token, `/audit/situations?reference=${encodeURIComponent(IDENTITY.lastName)}`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'reference' })]);
      expect(bad.text).not.toContain(IDENTITY.lastName);
      expect((await get(w.auditor.token, '/audit/situations')).status).toBe(400);
      expect((await get(w.auditor.token, '/audit/situations?ids=not-a-uuid')).status).toBe(400);
    });

    it('is the auditors’ only: a coordinator, a referrer or an admin gets 403', async () => {
      const c = await newCase(t, w);
      for (const token of [w.coordinator.token, w.referrer.token, w.admin.token]) {
        expect((await get(token, `/audit/situations?reference=${c.reference}`)).status).toBe(403);
      }
    });

    it('writes the lookup itself to the access log, with the situation found and counts only', async () => {
      const c = await newCase(t, w);
      await get(w.auditor.token, `/audit/situations?reference=${c.reference}`).expect(200);
      const [entry] = await t.db.dataSource.query(
        `SELECT case_id AS "caseId", decision, purpose, detail FROM audit_events WHERE actor_id = $1 AND action = 'audit.situation.find' ORDER BY id DESC LIMIT 1`,
        [w.auditor.id],
      );
      expect(entry).toEqual({ caseId: c.id, decision: 'allow', purpose: 'audit', detail: { by: 'reference', asked: 1, found: 1 } });
    });
  });

  describe('GET /me/recent-situations', () => {
    it('lists the situations this account opened, newest first, once each, from its own reads', async () => {
      const [a, b] = [await newCase(t, w), await newCase(t, w)];
      const fresh = await createPerson(t, w, 'recent-referrer', { id: w.orgs.social, sector: 'social' }, 'social_worker', { roles: ['referrer'] });
      expect((await get(fresh.token, '/me/recent-situations')).body).toEqual({ items: [] });
      // The referrer opens a, then b, then a again.
      for (const id of [a.id, b.id, a.id]) await get(w.referrer.token, `/cases/${id}`).expect(200);
      const res = await get(w.referrer.token, '/me/recent-situations');
      expect(res.status).toBe(200);
      const items = (res.body as { items: { id: string; reference: string; viewedAt: string }[] }).items;
      expect(items.slice(0, 2).map((i) => i.reference)).toEqual([a.reference, b.reference]);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
      expect(Date.parse(items[0].viewedAt)).toBeGreaterThanOrEqual(Date.parse(items[1].viewedAt));
      // Someone else's reads are not this account's.
      expect((await get(w.coordinator.token, '/me/recent-situations')).body.items.map((i: { id: string }) => i.id)).not.toContain(a.id);
    });

    it('leaves out refused reads and the session dossier, and says nothing of content', async () => {
      const session = (await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/sessions`, { startsAt: inDays(0), endsAt: inDays(0.1) }))
        .id as string;
      await call(t, w.coordinator.token, 'post', `/sessions/${session}/open`, undefined, 200);
      const k = await caseIn(t, w, 'scheduled', session);
      await call(t, w.psychiatrist.token, 'post', `/sessions/${session}/attendance`);
      await get(w.psychiatrist.token, `/sessions/${session}/dossier`).expect(200);
      const unrelated = await newCase(t, w);
      await get(w.psychiatrist.token, `/cases/${unrelated.id}`).expect(404);
      const before = (await get(w.psychiatrist.token, '/me/recent-situations')).body.items.map((i: { id: string }) => i.id);
      expect(before).not.toContain(k.id);
      expect(before).not.toContain(unrelated.id);
      await get(w.psychiatrist.token, `/cases/${k.id}`).expect(200);
      const after = await get(w.psychiatrist.token, '/me/recent-situations');
      expect(after.body.items[0]).toEqual({ id: k.id, reference: k.reference, viewedAt: expect.stringMatching(/Z$/) });
      for (const value of Object.values(IDENTITY)) expect(after.text).not.toContain(value);
    });

    it('answers every role, auditors and admins with nothing (they never open a situation)', async () => {
      for (const token of [w.auditor.token, w.admin.token]) expect((await get(token, '/me/recent-situations')).body).toEqual({ items: [] });
    });
  });

  describe('GET /users', () => {
    it('lists every account to an admin and to a DPO of no territory; an auditor of a territory sees that territory’s', async () => {
      const all = (await get(w.admin.token, '/users')).body as { email: string; territoryId: string | null }[];
      expect(all.map((u) => u.email)).toEqual(expect.arrayContaining([w.referrer.email, o.referrer.email, w.auditor.email]));
      expect((await get(w.auditor.token, '/users')).body).toEqual(all);
      const auditorA = await createPerson(t, w, 'auditor-a-oversight', { id: w.orgs.municipal, sector: null }, 'none', { roles: ['auditor'] });
      const own = (await get(auditorA.token, '/users')).body as { email: string; territoryId: string | null }[];
      expect(own.length).toBeGreaterThan(3);
      expect(own.every((u) => u.territoryId === w.territoryId)).toBe(true);
      expect(own.map((u) => u.email)).not.toContain(o.referrer.email);
      expect(JSON.stringify(own)).not.toMatch(/password/i);
    });

    it('stays closed to the other roles', async () => {
      for (const token of [w.coordinator.token, w.referrer.token, w.psychiatrist.token]) expect((await get(token, '/users')).status).toBe(403);
    });
  });

  it('declares the answers of the oversight and directory routes in the OpenAPI document', async () => {
    const doc = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> };
    const declared = (path: string, method: string, status: string) => Boolean(doc.paths[path]?.[method]?.responses?.[status]?.content);
    const routes: [string, string, string][] = [
      ['/audit/verify', 'get', '200'],
      ['/audit/access-report', 'get', '200'],
      ['/audit/situations', 'get', '200'],
      ['/audit/events/export', 'get', '200'],
      ['/register', 'get', '200'],
      ['/me/recent-situations', 'get', '200'],
      ['/territories', 'get', '200'],
      ['/territories', 'post', '201'],
      ['/organisations', 'post', '201'],
      ['/users', 'get', '200'],
      ['/users', 'post', '201'],
      ['/users/{id}', 'patch', '200'],
    ];
    expect(routes.filter(([path, method, status]) => !declared(path, method, status))).toEqual([]);
  });
});
