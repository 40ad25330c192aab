/**
 * Issue 15, items 5–6: a person's rights requests handled by the DPO. The auditor finds the
 * person's situations from the identity she gave (blind index, confirmed by the server), sees
 * references only, and every lookup belongs to an open request and is reported to the
 * coordinator; the access reports, the copy of her data (for the referrer or a named handler
 * only), erasure, objection and rectification are applied and recorded; due dates remind the DPO.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { binary, pdfText } from '../support/pdf.js';
import { caseIn, type CaseRef } from '../factories/lifecycle.js';
import { findNeedles, scanDatabase } from '../factories/secrecy.js';
import { call, caseBody, createWorldApp, IDENTITY, SOCIAL_TEXT, type Account, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

/** Another person of the territory, whose values must never reach the first one's answers or copy. */
const OTHER = {
  lastName: 'Brocéliande-Vautrin',
  firstName: 'Mélisande',
  birthDate: '1948-11-02',
  address: '3 impasse des Glycines Tordues',
  phone: '07 98 76 54 32',
  email: 'melisande.bv@exemple.fr',
};
const OTHER_SOCIAL = 'Expulsion prononcée, hébergement chez une nièce, ressources incertaines';

describe('rights requests handled by the DPO (issue 15)', () => {
  let t: TestApp;
  let w: World;
  let mine: CaseRef;
  let again: { id: string; reference: string };
  let other: { id: string; reference: string };
  let sameNamesOtherDate: { id: string; reference: string };
  let third: { id: string; reference: string };
  const ask = (token: string, method: 'get' | 'post', url: string, body?: object) => t.http()[method](url).set('authorization', `Bearer ${token}`).send(body);
  const openRequest = async (kind: string, receivedOn = new Date(t.clock.now()).toISOString().slice(0, 10)) =>
    (await call(t, w.auditor.token, 'post', '/rights-requests', { territoryId: w.territoryId, kind, receivedOn })) as { id: string; dueOn: string };
  const lookup = (
    token: string,
    id: string,
    identity: object = { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: IDENTITY.birthDate },
  ) => ask(token, 'post', `/rights-requests/${id}/lookup`, identity);
  const copiesOf = async (account: Account) =>
    ((await call(t, account.token, 'get', '/me/rights-copies')).items as { requestId: string; caseId: string; reference: string; as: string }[]).map(
      ({ requestId, caseId, reference, as }) => ({ requestId, caseId, reference, as }),
    );
  const copy = (account: Account, id: string, caseId: string) =>
    t.http().get(`/rights-requests/${id}/situations/${caseId}/copy`).set('authorization', `Bearer ${account.token}`).buffer(true).parse(binary);

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    // Her situation, referred by the referrer and taken up (consent granted); the same person
    // written otherwise by the other referrer (a draft); someone else; same names, another date.
    mine = await caseIn(t, w, 'ready_for_review');
    again = await call(
      t,
      w.otherReferrer.token,
      'post',
      '/cases',
      caseBody(w.commissionId, {
        identity: { ...IDENTITY, lastName: 'ZEPHYRIN QUATREMARE', firstName: ' anatole', address: undefined, phone: undefined, email: undefined },
      }),
    );
    other = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId, { identity: OTHER, social: { narrative: OTHER_SOCIAL } }));
    sameNamesOtherDate = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId, { identity: { ...IDENTITY, birthDate: '1957-03-15' } }));
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('an access request', () => {
    let request: { id: string; dueOn: string };

    it('is opened by the DPO, due one month after receipt, and refused to others', async () => {
      request = await openRequest('access', '2026-01-31');
      expect(request).toMatchObject({ kind: 'access', receivedOn: '2026-01-31', dueOn: '2026-02-28', status: 'open', openedBy: w.auditor.id, outcome: null });
      for (const account of [w.referrer, w.coordinator, w.admin, w.psychiatrist]) {
        const res = await ask(account.token, 'post', '/rights-requests', { territoryId: w.territoryId, kind: 'access', receivedOn: '2026-01-31' });
        expect(res.status).toBe(403);
      }
      const bad = await ask(w.auditor.token, 'post', '/rights-requests', { territoryId: w.territoryId, kind: 'access', receivedOn: '2026-02-30' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('receivedOn');
      const listed = await call(t, w.coordinator.token, 'get', '/rights-requests');
      expect(listed.items.map((r: { id: string }) => r.id)).toContain(request.id);
      // What its closure waits for: first the lookup; nobody named; late already (received long ago).
      const detail = await call(t, w.auditor.token, 'get', `/rights-requests/${request.id}`);
      expect(detail).toMatchObject({ lookups: 0, handler: null, waitingFor: ['lookup'], situations: [] });
      expect(detail.daysLeft).toBeLessThan(0);
    });

    it('finds her two situations from her name and birth date, by reference only, and links them to the request', async () => {
      const res = await lookup(w.auditor.token, request.id);
      expect(res.status).toBe(200);
      expect(res.body.situations.map((s: { reference: string }) => s.reference).sort()).toEqual([mine.reference, again.reference].sort());
      expect(res.body.candidates).toBeGreaterThanOrEqual(2);
      expect(findNeedles(res.text, IDENTITY)).toEqual([]);
      const detail = await call(t, w.auditor.token, 'get', `/rights-requests/${request.id}`);
      expect(detail.situations.map((s: { caseId: string }) => s.caseId).sort()).toEqual([mine.id, again.id].sort());
      expect(detail.situations.map((s: { caseId: string }) => s.caseId)).not.toContain(sameNamesOtherDate.id);
      expect(findNeedles(JSON.stringify(detail), IDENTITY)).toEqual([]);
      // Found: the closure now waits for the copy of each situation, never downloaded yet.
      expect(detail).toMatchObject({ lookups: 1, waitingFor: ['copy'] });
      expect(detail.situations.map((s: { copies: unknown }) => s.copies)).toEqual([
        { count: 0, downloads: [] },
        { count: 0, downloads: [] },
      ]);
    });

    it('ties each decryption to the request in the audit log, and keeps the identity nowhere (tables, audit rows, logs)', async () => {
      const rows = (await t.db.dataSource.query(
        `SELECT case_id, purpose, detail FROM audit_events WHERE action = 'system.rights.lookup.compare' AND detail->>'rightsRequestId' = $1`,
        [request.id],
      )) as { case_id: string; purpose: string }[];
      expect(rows.map((r) => r.case_id)).toEqual(expect.arrayContaining([mine.id, again.id]));
      expect(rows.every((r) => r.purpose.includes(request.id) && r.purpose.includes(w.auditor.id))).toBe(true);
      const { hits } = await scanDatabase(t.db.dataSource, { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: IDENTITY.birthDate });
      expect(hits).toEqual([]);
      expect(findNeedles(t.logs.join('\n'), IDENTITY)).toEqual([]);
    });

    it('refuses a lookup without an open request: an unknown request (404), a closed one (409), a bad birth date (400)', async () => {
      expect((await lookup(w.auditor.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
      const bad = await lookup(w.auditor.token, request.id, { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: '1957-02-30' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('birthDate');
      expect(findNeedles(bad.text, IDENTITY)).toEqual([]);
      for (const account of [w.coordinator, w.referrer]) expect((await lookup(account.token, request.id)).status).toBe(403);
      const closed = await openRequest('access');
      await call(t, w.auditor.token, 'post', `/rights-requests/${closed.id}/close`, { outcome: 'withdrawn_by_person' }, 200);
      const refused = await lookup(w.auditor.token, closed.id);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('open');
      expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM rights_request_cases WHERE request_id = $1`, [closed.id]))[0].n).toBe(0);
    });

    it('gives the access report of both situations', async () => {
      const res = await call(t, w.auditor.token, 'get', `/rights-requests/${request.id}/access-report`);
      expect(res.reports.map((r: { caseId: string }) => r.caseId).sort()).toEqual([mine.id, again.id].sort());
      const report = res.reports.find((r: { caseId: string }) => r.caseId === mine.id);
      expect(report.organisations.map((o: { id: string | null }) => o.id)).toContain(w.orgs.social);
      expect(findNeedles(JSON.stringify(res), IDENTITY)).toEqual([]);
    });

    it('lets the referrer and the handler the coordinator names download the copy of her data, hers only; nobody else; each download audited', async () => {
      const notYet = await copy(w.housingOfficer, request.id, mine.id);
      expect([403, 404]).toContain(notYet.status);
      // Where each finds the copies: the referrer the situation they referred; the handler nothing yet.
      expect(await copiesOf(w.referrer)).toEqual([{ requestId: request.id, caseId: mine.id, reference: mine.reference, as: 'referrer' }]);
      expect(await copiesOf(w.otherReferrer)).toEqual([{ requestId: request.id, caseId: again.id, reference: again.reference, as: 'referrer' }]);
      expect(await copiesOf(w.housingOfficer)).toEqual([]);
      const named = await ask(w.coordinator.token, 'post', `/rights-requests/${request.id}/handler`, { userId: w.housingOfficer.id });
      expect(named.status).toBe(200);
      expect(named.body.handlerUserId).toBe(w.housingOfficer.id);
      // The handler is told (no reference, no content) and finds both situations of the request.
      const told = await t.db.dataSource.query(`SELECT recipient_user_id AS r, case_id FROM notifications WHERE kind = 'rights_handler_named'`);
      expect(told).toEqual([{ r: w.housingOfficer.id, case_id: null }]);
      expect((await copiesOf(w.housingOfficer)).map((c) => [c.caseId, c.as]).sort()).toEqual(
        [
          [mine.id, 'handler'],
          [again.id, 'handler'],
        ].sort(),
      );
      for (const account of [w.auditor, w.coordinator, w.admin]) expect((await ask(account.token, 'get', '/me/rights-copies')).status).toBe(403);
      const notEligible = await ask(w.coordinator.token, 'post', `/rights-requests/${request.id}/handler`, { userId: w.auditor.id });
      expect(notEligible.status).toBe(400);
      for (const account of [w.housingOfficer, w.referrer]) {
        const res = await copy(account, request.id, mine.id);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        const text = await pdfText(res.body as Buffer);
        expect(findNeedles(text, { lastName: IDENTITY.lastName, address: IDENTITY.address, birthDate: IDENTITY.birthDate })).toHaveLength(3);
        expect(text).toContain(SOCIAL_TEXT);
        expect(findNeedles(text, { ...OTHER, social: OTHER_SOCIAL })).toEqual([]);
        expect(text).toContain(mine.reference);
        expect(text).not.toContain(other.reference);
      }
      for (const account of [w.auditor, w.coordinator, w.admin]) expect((await copy(account, request.id, mine.id)).status).toBe(403);
      for (const account of [w.otherReferrer, w.psychiatrist]) expect([403, 404]).toContain((await copy(account, request.id, mine.id)).status);
      // A situation that is not the request's is not copied, even to its referrer.
      expect((await copy(w.referrer, request.id, other.id)).status).toBe(404);
      const downloads = await t.db.dataSource.query(`SELECT actor_id FROM audit_events WHERE action = 'rights.copy' AND decision = 'allow' AND case_id = $1`, [
        mine.id,
      ]);
      expect(downloads.map((d: { actor_id: string }) => d.actor_id).sort()).toEqual([w.housingOfficer.id, w.referrer.id].sort());
    });

    it('tells the DPO who was named, and each download of the copy (when, by whom): the closure waits for the other situation’s copy', async () => {
      const detail = await call(t, w.auditor.token, 'get', `/rights-requests/${request.id}`);
      expect(detail.handler).toEqual({
        userId: w.housingOfficer.id,
        displayName: 'housing',
        organisationName: expect.any(String),
        roles: ['member'],
        namedAt: expect.any(String),
      });
      const [org] = await t.db.dataSource.query(`SELECT name FROM organisations WHERE id = $1`, [w.orgs.housing]);
      expect(detail.handler.organisationName).toBe(org.name);
      const of = (caseId: string) => detail.situations.find((s: { caseId: string }) => s.caseId === caseId).copies;
      expect(of(mine.id).count).toBe(2);
      expect(
        of(mine.id)
          .downloads.map((d: { by: { userId: string } }) => d.by.userId)
          .sort(),
      ).toEqual([w.housingOfficer.id, w.referrer.id].sort());
      expect(of(mine.id).downloads.every((d: { at: string }) => Number.isFinite(Date.parse(d.at)))).toBe(true);
      expect(of(again.id)).toEqual({ count: 0, downloads: [] });
      expect(detail.waitingFor).toEqual(['copy']);
      expect(findNeedles(JSON.stringify(detail), IDENTITY)).toEqual([]);
      // The coordinator follows the same facts.
      expect((await call(t, w.coordinator.token, 'get', `/rights-requests/${request.id}`)).handler.userId).toBe(w.housingOfficer.id);
      // Once the other referrer hands over theirs, nothing is waited for.
      expect((await copy(w.otherReferrer, request.id, again.id)).status).toBe(200);
      const ready = await call(t, w.auditor.token, 'get', `/rights-requests/${request.id}`);
      expect(ready.waitingFor).toEqual([]);
      expect(ready.situations.find((s: { caseId: string }) => s.caseId === again.id).copies.downloads).toEqual([
        { at: expect.any(String), by: expect.objectContaining({ userId: w.otherReferrer.id, roles: ['referrer'] }) },
      ]);
    });

    it('is closed with its record (what was done, when, by whom), once', async () => {
      const res = await call(t, w.auditor.token, 'post', `/rights-requests/${request.id}/close`, { outcome: 'answered' }, 200);
      expect(res).toMatchObject({ status: 'closed', outcome: 'answered', closedBy: w.auditor.id, daysLeft: null, waitingFor: [] });
      expect(res.closedAt).toEqual(expect.any(String));
      const again2 = await ask(w.auditor.token, 'post', `/rights-requests/${request.id}/close`, { outcome: 'answered' });
      expect(again2.status).toBe(409);
      expect((await copy(w.referrer, request.id, mine.id)).status).toBe(409);
      // A closed request's copies are no longer offered.
      for (const account of [w.referrer, w.housingOfficer]) expect(await copiesOf(account)).toEqual([]);
    });
  });

  describe('the lookups report, for the coordinator', () => {
    it('lists each lookup of the auditor (who, when, how many found), and is the coordinator’s only', async () => {
      const res = await call(t, w.coordinator.token, 'get', '/rights-requests/lookups');
      expect(res.items.length).toBeGreaterThanOrEqual(1);
      expect(res.items[0]).toMatchObject({ auditorId: w.auditor.id, auditorName: 'auditor', kind: 'access', confirmed: 2 });
      expect(findNeedles(JSON.stringify(res), IDENTITY)).toEqual([]);
      for (const account of [w.auditor, w.referrer, w.admin]) expect((await ask(account.token, 'get', '/rights-requests/lookups')).status).toBe(403);
    });
  });

  describe('objection, erasure and rectification', () => {
    it('objection: consent withdrawn on each open situation through the machine, the system acting for the request', async () => {
      const request = await openRequest('objection');
      await lookup(w.auditor.token, request.id);
      const before = await call(t, w.auditor.token, 'get', `/rights-requests/${request.id}`);
      expect(before).toMatchObject({ waitingFor: ['measure'], handler: null });
      expect(before.situations.every((s: { copies: unknown }) => s.copies === null)).toBe(true);
      const res = await call(t, w.auditor.token, 'post', `/rights-requests/${request.id}/object`, undefined, 200);
      expect(res.waitingFor).toEqual([]);
      const mineNow = res.situations.find((s: { caseId: string }) => s.caseId === mine.id);
      expect(mineNow).toMatchObject({ state: 'closed', measure: 'consent_withdrawn', reason: 'objection' });
      // The other referrer's draft: the machine closes it too (nothing of it was shared yet).
      const againNow = res.situations.find((s: { caseId: string }) => s.caseId === again.id);
      expect(againNow).toMatchObject({ state: 'closed', measure: 'consent_withdrawn', reason: 'objection' });
      const [event] = await t.db.dataSource.query(`SELECT actor_id, purpose FROM audit_events WHERE action = 'case.event.WITHDRAW_CONSENT' AND case_id = $1`, [
        mine.id,
      ]);
      expect(event.actor_id).toBeNull();
      expect(event.purpose).toContain(request.id);
      expect((await ask(w.auditor.token, 'post', `/rights-requests/${request.id}/erase`)).status).toBe(409);
    });

    it('erasure: a closed situation is crypto-shredded now (erasure journal), an open one is kept, each with its reason', async () => {
      // A new referral of hers, still being worked on.
      third = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId));
      const request = await openRequest('erasure');
      await lookup(w.auditor.token, request.id);
      const res = await call(t, w.auditor.token, 'post', `/rights-requests/${request.id}/erase`, undefined, 200);
      const measures = Object.fromEntries(
        res.situations.map((s: { caseId: string; state: string; measure: string; reason: string }) => [s.caseId, [s.state, s.measure, s.reason]]),
      );
      expect(measures).toEqual({
        [mine.id]: ['purged', 'shredded', 'erasure_request'],
        [again.id]: ['purged', 'shredded', 'erasure_request'],
        [third.id]: ['draft', 'kept', 'still_open'],
      });
      const left = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM case_fields WHERE case_id = ANY($1::uuid[])`, [[mine.id, again.id]]);
      expect(left[0].n).toBe(0);
      const journal = readFileSync(path.join(t.config.dataDir, 'erasure-journal.jsonl'), 'utf8');
      expect(journal).toContain(mine.id);
      expect(journal).toContain(again.id);
      const [purge] = await t.db.dataSource.query(`SELECT purpose FROM audit_events WHERE action = 'case.event.PURGE' AND case_id = $1`, [mine.id]);
      expect(purge.purpose).toContain(request.id);
      // Erased, she is found no more there: a later lookup compares only what is left.
      const later = await openRequest('access');
      const found = await lookup(w.auditor.token, later.id);
      expect(found.body.situations.map((s: { caseId: string }) => s.caseId)).toEqual([third.id]);
    });

    it('rectification: forwarded to the referrer of each situation (a notification, no content)', async () => {
      const request = await openRequest('rectification');
      await lookup(w.auditor.token, request.id);
      const res = await call(t, w.auditor.token, 'post', `/rights-requests/${request.id}/forward`, undefined, 200);
      expect(res.situations).toEqual([expect.objectContaining({ caseId: third.id, measure: 'forwarded', reason: 'rectification_forwarded' })]);
      const told = await t.db.dataSource.query(`SELECT recipient_user_id AS r, case_id FROM notifications WHERE kind = 'rights_rectification_forwarded'`);
      expect(told).toEqual([{ r: w.referrer.id, case_id: third.id }]);
      const seen = await call(t, w.referrer.token, 'get', '/me/notifications');
      expect(seen.items.map((n: { kind: string }) => n.kind)).toContain('rights_rectification_forwarded');
      expect(findNeedles(JSON.stringify(seen), IDENTITY)).toEqual([]);
    });
  });

  describe('due dates', () => {
    afterEach(() => t.clock.reset());

    it('reminds the DPO who opened it 7 days before the due date and on it, once each, while it is open', async () => {
      const today = t.clock.now().toISOString().slice(0, 10);
      const request = await openRequest('access', today);
      const reminders = async () =>
        (await t.db.dataSource.query(
          `SELECT kind, recipient_user_id AS r FROM notifications WHERE kind LIKE 'rights_request_due%' AND occurrence LIKE $1 ORDER BY kind`,
          [`${request.id}:%`],
        )) as { kind: string; r: string }[];
      await t.scheduler.runOnce('notification-reminders');
      expect(await reminders()).toEqual([]);
      const days = (Date.parse(`${request.dueOn}T12:00:00Z`) - t.clock.now().getTime()) / 86_400_000;
      t.clock.advanceDays(days - 7);
      await t.scheduler.runOnce('notification-reminders');
      await t.scheduler.runOnce('notification-reminders');
      expect(await reminders()).toEqual([{ kind: 'rights_request_due_soon', r: w.auditor.id }]);
      expect((await call(t, w.auditor.token, 'get', `/rights-requests/${request.id}`)).daysLeft).toBe(7);
      t.clock.advanceDays(7);
      expect((await call(t, w.auditor.token, 'get', `/rights-requests/${request.id}`)).daysLeft).toBe(0);
      await t.scheduler.runOnce('notification-reminders');
      expect(await reminders()).toEqual([
        { kind: 'rights_request_due', r: w.auditor.id },
        { kind: 'rights_request_due_soon', r: w.auditor.id },
      ]);
      // The DPO reads them in the workspace — every one the outbox holds for them — even when
      // attached to no territory (the notices are of the request's territory).
      const [held] = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM notifications WHERE recipient_user_id = $1 AND kind LIKE 'rights_request_due%'`,
        [w.auditor.id],
      );
      const mine = await call(t, w.auditor.token, 'get', '/me/notifications?limit=50');
      const seen = mine.items.filter((n: { kind: string }) => n.kind.startsWith('rights_request_due'));
      expect(held.n).toBeGreaterThanOrEqual(2);
      expect(seen).toHaveLength(held.n);
    });

    it('puts the open requests on the DPO’s to-do by due date: those due within 7 days, then those overdue (counts and ids only)', async () => {
      const today = t.clock.now().toISOString().slice(0, 10);
      const request = await openRequest('erasure', today);
      const todo = async () => {
        const res = await ask(w.auditor.token, 'get', '/me/todo');
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(['at', 'rights']);
        expect(findNeedles(res.text, IDENTITY)).toEqual([]);
        return res.body.rights as { count: number; overdue: number; dueSoon: number; items: { id: string; kind: string; dueOn: string; daysLeft: number }[] };
      };
      const open = (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM rights_requests WHERE status = 'open'`))[0].n;
      let rights = await todo();
      expect(rights).toMatchObject({ count: open, overdue: 0 });
      expect(rights.items.map((i) => i.dueOn)).toEqual([...rights.items.map((i) => i.dueOn)].sort());
      expect(rights.items.find((i) => i.id === request.id)).toMatchObject({ kind: 'erasure', dueOn: request.dueOn });
      const days = (Date.parse(`${request.dueOn}T12:00:00Z`) - t.clock.now().getTime()) / 86_400_000;
      t.clock.advanceDays(days - 7);
      rights = await todo();
      expect(rights.items.find((i) => i.id === request.id)!.daysLeft).toBe(7);
      expect(rights.dueSoon).toBeGreaterThanOrEqual(1);
      t.clock.advanceDays(8);
      rights = await todo();
      expect(rights.items.find((i) => i.id === request.id)!.daysLeft).toBe(-1);
      expect(rights).toMatchObject({ count: open, overdue: open, dueSoon: 0 });
      // Closed, it leaves the to-do.
      await call(t, w.auditor.token, 'post', `/rights-requests/${request.id}/close`, { outcome: 'withdrawn_by_person' }, 200);
      rights = await todo();
      expect(rights.count).toBe(open - 1);
      expect(rights.items.map((i) => i.id)).not.toContain(request.id);
    });
  });

  describe('as API.md writes it: the identity with the request, one call', () => {
    const count = async () => Number((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM rights_requests`))[0].n);

    it('opens the request and answers the references found, with its due instant; a refused identity leaves nothing', async () => {
      const identity = { lastName: IDENTITY.lastName, firstName: IDENTITY.firstName, birthDate: IDENTITY.birthDate };
      const before = await count();
      // The world's DPO is attached to no territory: the territory is then required, by name.
      const noTerritory = await ask(w.auditor.token, 'post', '/rights-requests', { kind: 'access', receivedAt: '2026-01-31', identity });
      expect(noTerritory.status).toBe(400);
      expect(noTerritory.body.errors[0].field).toBe('territoryId');
      const noLetters = await ask(w.auditor.token, 'post', '/rights-requests', {
        territoryId: w.territoryId,
        kind: 'access',
        receivedAt: '2026-01-31',
        identity: { ...identity, lastName: '-- --' },
      });
      expect(noLetters.status).toBe(400);
      expect(noLetters.body.errors[0].field).toBe('identity.lastName');
      expect(noLetters.text).not.toContain(IDENTITY.firstName);
      expect(await count()).toBe(before);

      // 23:30 UTC on 31 January is 1 February in Paris: due on 1 March, late from its end.
      const res = await ask(w.auditor.token, 'post', '/rights-requests', {
        territoryId: w.territoryId,
        kind: 'access',
        receivedAt: '2026-01-31T23:30:00Z',
        identity,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        territoryId: w.territoryId,
        receivedOn: '2026-02-01',
        dueOn: '2026-03-01',
        dueAt: '2026-03-01T23:00:00.000Z',
        status: 'open',
      });
      // The same situations as the two-step path finds now (the requests above erased some of hers).
      const twoStep = await lookup(w.auditor.token, (await openRequest('access')).id);
      const found = twoStep.body.situations as { caseId: string; reference: string }[];
      expect(found.length).toBeGreaterThan(0);
      expect([...res.body.situations].sort()).toEqual(found.map((f) => f.reference).sort());
      expect(findNeedles(res.text, IDENTITY)).toEqual([]);
      expect(await count()).toBe(before + 2);
      const report = await ask(w.auditor.token, 'get', `/rights-requests/${res.body.id}/access-report`);
      expect(report.status).toBe(200);
      expect(report.body.reports.map((r: { caseId: string }) => r.caseId).sort()).toEqual(found.map((f) => f.caseId).sort());
      // Without the identity: an empty list, the lookup comes later.
      const later = await ask(w.auditor.token, 'post', '/rights-requests', { territoryId: w.territoryId, kind: 'erasure', receivedAt: '2026-02-02' });
      expect(later.status).toBe(201);
      expect(later.body.situations).toEqual([]);
    });
  });
});
