/**
 * Issue 12, items 4 and 5, through the HTTP API on the embedded PostgreSQL: the dossier's window
 * (open to prepare the session, then to its attendees until the record is closed), the written
 * contributions (leak-guarded, sealed), the attendance sheet kept by the coordinator (members,
 * deputies, invited professionals, partners without an account), the session's record (decisions
 * derived from the session's case events, analyses and recommendations leak-guarded and sealed, a
 * deferred situation kept), its closing (frozen: 409), who reads it (attendees; a referrer their
 * own situation, once closed) and its PDF — whose text holds none of the person's identity values.
 */
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { SESSION_RECORD_TABLES } from '../../migrations/1796400000001-SessionRecord.js';
import { withTerritories } from '../../src/database/territory-scope.js';
import { findNeedles, scanDatabase } from '../factories/secrecy.js';
import { caseIn, grantedConsent, inDays, mentionsIdentity, plan, step, type CaseRef } from '../factories/lifecycle.js';
import { call, caseBody, createWorld, createWorldApp, IDENTITY, type Account, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';
import { pdfText } from '../support/pdf.js';

const CONTRIBUTION = 'Le bailleur pourrait geler la procédure le temps de la reprise du suivi';
const ANALYSIS = 'Isolement ancien, rupture du suivi psychiatrique, dette locative en hausse';
const RECOMMENDATIONS = 'Visite conjointe CMP et bailleur sous quinze jours, puis point en séance';
const ADVICE = 'La commission conseille au référent de solliciter le service de tutelles';

describe('the session prepared and held: dossier window, contributions, attendance sheet, record and its PDF', () => {
  let t: TestApp;
  let w: World;
  let session: string;
  let adopted: CaseRef;
  let deferred: CaseRef;
  let advised: CaseRef;

  const send = (who: Account, method: 'get' | 'post' | 'put' | 'delete', url: string, body?: object): Promise<Response> =>
    t.http()[method](url).set('authorization', `Bearer ${who.token}`).send(body);

  /** A case of `referrer` driven to `scheduled` on the session. */
  async function scheduledBy(referrer: Account): Promise<CaseRef> {
    const created = await call(t, referrer.token, 'post', '/cases', caseBody(w.commissionId));
    const c: CaseRef = { id: created.id, reference: created.reference, state: created.state, version: created.version };
    await step(t, referrer.token, c, 'SUBMIT');
    await step(t, w.coordinator.token, c, 'ACCEPT');
    await step(t, referrer.token, c, 'RECORD_CONSENT', grantedConsent());
    await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId: session });
    return c;
  }

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    session = (await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/sessions`, { startsAt: inDays(3), endsAt: inDays(3.1) })).id;
    adopted = await caseIn(t, w, 'scheduled', session);
    deferred = await caseIn(t, w, 'scheduled', session);
    advised = await scheduledBy(w.otherReferrer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('opens the dossier three days before to members who accepted the charter; they leave a contribution, leak-guarded and sealed', async () => {
    const dossier = await send(w.townOfficer, 'get', `/sessions/${session}/dossier`);
    expect(dossier.status).toBe(200);
    expect(dossier.body.items.map((i: { id: string }) => i.id).sort()).toEqual([adopted.id, deferred.id, advised.id].sort());
    expect(mentionsIdentity(dossier.body)).toEqual([]);
    expect((await send(w.referrer, 'get', `/sessions/${session}/dossier`)).status).toBe(403);

    const written = await send(w.townOfficer, 'put', `/sessions/${session}/contributions/${adopted.id}`, { text: CONTRIBUTION });
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({ sessionId: session, caseId: adopted.id });
    // A generic identifier is refused, naming the field, never the value.
    const phone = await send(w.townOfficer, 'put', `/sessions/${session}/contributions/${deferred.id}`, { text: `Joignable au ${IDENTITY.phone}` });
    expect(phone.status).toBe(422);
    expect(phone.body.errors).toEqual([expect.objectContaining({ field: 'text' })]);
    expect(JSON.stringify(phone.body)).not.toContain(IDENTITY.phone);
    // The person's name, written by a member who does not see the identity: held (no oracle), never shown to others.
    const named = await send(w.housingOfficer, 'put', `/sessions/${session}/contributions/${deferred.id}`, {
      text: `Mme ${IDENTITY.lastName} refuse les visites`,
    });
    expect(named.status).toBe(200);
    // The referrer is not a member: no contribution.
    expect((await send(w.referrer, 'put', `/sessions/${session}/contributions/${adopted.id}`, { text: CONTRIBUTION })).status).toBe(403);
    expect((await send(w.townOfficer, 'put', `/sessions/${session}/contributions/${adopted.id}`, { text: '' })).status).toBe(400);

    const read = await send(w.psychiatrist, 'get', `/sessions/${session}/dossier`);
    expect(read.body.contributions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ caseId: adopted.id, text: CONTRIBUTION, held: false, organisationName: expect.stringContaining('Mairie') }),
        expect.objectContaining({ caseId: deferred.id, text: null, held: true }),
      ]),
    );
    expect(mentionsIdentity(read.body)).toEqual([]);
    const scan = await scanDatabase(t.db.dataSource, { contribution: CONTRIBUTION });
    expect(scan.hits).toEqual([]);
  });

  it('keeps the attendance sheet: the coordinator ticks members and adds partners without a name; a member records their own presence', async () => {
    await call(t, w.coordinator.token, 'post', `/sessions/${session}/open`, undefined, 200);
    expect((await send(w.coordinator, 'put', `/sessions/${session}/attendance/${w.psychiatrist.id}`, { present: true })).status).toBe(200);
    // Contributions are written beforehand: once the session is open, 409 to one present, 403 to one absent (the dossier is the present's).
    const late = await send(w.psychiatrist, 'put', `/sessions/${session}/contributions/${adopted.id}`, { text: CONTRIBUTION });
    expect(late.status).toBe(409);
    expect(late.body.sessionStatus).toBe('open');
    expect((await send(w.townOfficer, 'put', `/sessions/${session}/contributions/${adopted.id}`, { text: CONTRIBUTION })).status).toBe(403);
    expect((await send(w.housingOfficer, 'post', `/sessions/${session}/attendance`)).status).toBe(201);
    expect((await send(w.psychiatrist, 'put', `/sessions/${session}/attendance/${w.townOfficer.id}`, { present: true })).status).toBe(403);
    const stranger = await send(w.coordinator, 'put', `/sessions/${session}/attendance/${w.referrer.id}`, { present: true });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors).toEqual([expect.objectContaining({ field: 'userId' })]);

    const guest = await send(w.coordinator, 'post', `/sessions/${session}/guests`, {
      organisationLabel: 'Association Logis Solidaire',
      functionLabel: 'conseillère en économie sociale et familiale',
      caseId: adopted.id,
    });
    expect(guest.status).toBe(201);
    expect(guest.body).toMatchObject({ organisationName: 'Association Logis Solidaire', caseReference: adopted.reference });
    const withPhone = await send(w.coordinator, 'post', `/sessions/${session}/guests`, {
      organisationLabel: 'UDAF',
      functionLabel: `joignable au ${IDENTITY.phone}`,
    });
    expect(withPhone.status).toBe(400);
    expect(withPhone.body.errors).toEqual([expect.objectContaining({ field: 'functionLabel' })]);
    const both = await send(w.coordinator, 'post', `/sessions/${session}/guests`, { organisationId: w.orgs.housing, organisationLabel: 'UDAF' });
    expect(both.status).toBe(400);
    const fromDirectory = await send(w.coordinator, 'post', `/sessions/${session}/guests`, {
      organisationId: w.orgs.housing,
      functionLabel: 'chargée de gestion locative',
    });
    expect(fromDirectory.status).toBe(201);
    expect((await send(w.coordinator, 'delete', `/sessions/${session}/guests/${fromDirectory.body.id}`)).status).toBe(204);

    const sheet = await send(w.psychiatrist, 'get', `/sessions/${session}/attendance`);
    expect(sheet.status).toBe(200);
    const present = Object.fromEntries(
      sheet.body.people.map((p: { userId: string; present: boolean; tickedByCoordinator: boolean }) => [p.userId, [p.present, p.tickedByCoordinator]]),
    );
    expect(present).toEqual({ [w.psychiatrist.id]: [true, true], [w.housingOfficer.id]: [true, false], [w.townOfficer.id]: [false, false] });
    expect(sheet.body.guests).toEqual([
      expect.objectContaining({ organisationName: 'Association Logis Solidaire', functionLabel: 'conseillère en économie sociale et familiale' }),
    ]);
    // Readable by the attendees and the coordinator only.
    expect((await send(w.townOfficer, 'get', `/sessions/${session}/attendance`)).status).toBe(403);
    expect((await send(w.referrer, 'get', `/sessions/${session}/attendance`)).status).toBe(403);
    // Once the session is open, a member who is not present no longer reads the dossier.
    expect((await send(w.townOfficer, 'get', `/sessions/${session}/dossier`)).status).toBe(403);
    expect((await send(w.psychiatrist, 'get', `/sessions/${session}/dossier`)).status).toBe(200);
  });

  it('writes the record: decisions from the session’s events, analysis and recommendations leak-guarded and sealed, a deferred situation kept', async () => {
    await step(t, w.coordinator.token, adopted, 'START_REVIEW');
    await step(t, w.coordinator.token, adopted, 'ADOPT_PLAN', plan(w));
    await step(t, w.coordinator.token, deferred, 'START_REVIEW');
    await step(t, w.coordinator.token, deferred, 'DEFER');

    const a = await send(w.coordinator, 'put', `/sessions/${session}/record/items/${adopted.id}`, { analysis: ANALYSIS, recommendations: RECOMMENDATIONS });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      reference: adopted.reference,
      decision: 'plan_adopted',
      decisionSource: 'event',
      analysis: { text: ANALYSIS, held: false },
    });
    // The events say the plan was adopted: the record follows them.
    const contrary = await send(w.coordinator, 'put', `/sessions/${session}/record/items/${adopted.id}`, { decision: 'advice' });
    expect(contrary.status).toBe(409);
    expect(contrary.body.decision).toBe('plan_adopted');

    // A deferral is recorded with its reason (as the screen asks): without one, nothing is written.
    const noReason = await send(w.coordinator, 'put', `/sessions/${session}/record/items/${deferred.id}`, { analysis: 'Reportée' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'deferralReason' })]);
    const d = await send(w.coordinator, 'put', `/sessions/${session}/record/items/${deferred.id}`, {
      deferralReason: 'information_missing',
      analysis: `Mme ${IDENTITY.lastName} n'a pas encore été consultée`,
    });
    expect(d.status).toBe(200);
    // Named by the coordinator, who never sees the identity: held, not refused (no oracle) — their own words back to them only.
    expect(d.body).toMatchObject({ decision: 'deferred', deferralReason: 'information_missing', analysis: { held: true } });
    const phone = await send(w.coordinator, 'put', `/sessions/${session}/record/items/${deferred.id}`, { recommendations: `Appeler le ${IDENTITY.phone}` });
    expect(phone.status).toBe(422);
    expect(phone.body.errors).toEqual([expect.objectContaining({ field: 'recommendations' })]);
    const reason = await send(w.coordinator, 'put', `/sessions/${session}/record/items/${adopted.id}`, { deferralReason: 'other' });
    expect(reason.status).toBe(400);
    expect(reason.body.errors).toEqual([expect.objectContaining({ field: 'deferralReason' })]);

    const v = await send(w.coordinator, 'put', `/sessions/${session}/record/items/${advised.id}`, { decision: 'advice', recommendations: ADVICE });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ decision: 'advice', decisionSource: 'record' });
    expect((await send(w.psychiatrist, 'put', `/sessions/${session}/record/items/${advised.id}`, { analysis: ANALYSIS })).status).toBe(403);

    const record = await send(w.psychiatrist, 'get', `/sessions/${session}/record`);
    expect(record.status).toBe(200);
    // The deferred situation left the agenda but stays in the session's record.
    expect(record.body.items.map((i: { reference: string; decision: string }) => [i.reference, i.decision])).toEqual(
      expect.arrayContaining([
        [adopted.reference, 'plan_adopted'],
        [deferred.reference, 'deferred'],
        [advised.reference, 'advice'],
      ]),
    );
    expect(record.body.attendees.map((p: { displayName: string }) => p.displayName).sort()).toEqual(['housing', 'psychiatrist']);
    expect(record.body.items.find((i: { caseId: string }) => i.caseId === deferred.id).analysis).toEqual({ text: null, held: true });
    expect(mentionsIdentity(record.body)).toEqual([]);
    // Before it is closed: not the referrers (nor a member who was absent).
    expect((await send(w.referrer, 'get', `/sessions/${session}/record`)).status).toBe(403);
    expect((await send(w.townOfficer, 'get', `/sessions/${session}/record`)).status).toBe(403);
    const scan = await scanDatabase(t.db.dataSource, { analysis: ANALYSIS, recommendations: RECOMMENDATIONS, advice: ADVICE });
    expect(scan.hits).toEqual([]);
  });

  it('closes the record after the session: then frozen (409), read by the attendees and by each referrer for their own situation, audited', async () => {
    const early = await send(w.coordinator, 'post', `/sessions/${session}/record/close`);
    expect(early.status).toBe(409);
    expect(early.body.sessionStatus).toBe('open');
    expect((await send(w.coordinator, 'get', `/sessions/${session}/record?format=pdf`)).status).toBe(409);
    await call(t, w.coordinator.token, 'post', `/sessions/${session}/close`, undefined, 200);
    // The dossier stays with the attendees until the record is closed.
    expect((await send(w.housingOfficer, 'get', `/sessions/${session}/dossier`)).status).toBe(200);
    expect((await send(w.psychiatrist, 'post', `/sessions/${session}/record/close`)).status).toBe(403);
    const closed = await send(w.coordinator, 'post', `/sessions/${session}/record/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ sessionId: session, closedAt: expect.any(String) });

    expect((await send(w.coordinator, 'post', `/sessions/${session}/record/close`)).status).toBe(409);
    const frozen = await send(w.coordinator, 'put', `/sessions/${session}/record/items/${advised.id}`, { analysis: ANALYSIS });
    expect(frozen.status).toBe(409);
    expect(frozen.body.recordStatus).toBe('closed');
    expect((await send(w.coordinator, 'put', `/sessions/${session}/attendance/${w.townOfficer.id}`, { present: true })).status).toBe(409);
    expect((await send(w.coordinator, 'post', `/sessions/${session}/guests`, { organisationLabel: 'UDAF' })).status).toBe(409);
    expect((await send(w.housingOfficer, 'get', `/sessions/${session}/dossier`)).status).toBe(403);

    const attendee = await send(w.housingOfficer, 'get', `/sessions/${session}/record`);
    expect(attendee.status).toBe(200);
    expect(attendee.body.closedAt).toEqual(expect.any(String));
    expect(attendee.body.items).toHaveLength(3);
    const mine = await send(w.referrer, 'get', `/sessions/${session}/record`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { caseId: string }) => i.caseId).sort()).toEqual([adopted.id, deferred.id].sort());
    // The referrer reviews held texts: the analysis naming the person is shown to them, to be rewritten.
    expect(mine.body.items.find((i: { caseId: string }) => i.caseId === deferred.id).analysis).toMatchObject({
      held: true,
      text: expect.stringContaining(IDENTITY.lastName),
    });
    const other = await send(w.otherReferrer, 'get', `/sessions/${session}/record`);
    expect(other.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([advised.id]);
    expect(mentionsIdentity(other.body)).toEqual([]);
    expect((await send(w.townOfficer, 'get', `/sessions/${session}/record`)).status).toBe(403);

    const reads = await t.db.dataSource.query(
      `SELECT case_id AS "caseId", purpose FROM audit_events WHERE action = 'case.read' AND actor_id = $1 AND detail->>'sessionId' = $2 AND purpose LIKE 'record:%'`,
      [w.otherReferrer.id, session],
    );
    expect(reads).toEqual([{ caseId: advised.id, purpose: 'record:read' }]);
  });

  it('lists, from a situation, the closed records that hold it — as far as the caller may read them', async () => {
    const ids = (res: Response) => res.body.items.map((i: { sessionId: string }) => i.sessionId);
    // The referrer of a deferred situation, the coordinator, an attendee: the closed record, with its dates.
    const mine = await send(w.referrer, 'get', `/cases/${deferred.id}/session-records`);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([{ sessionId: session, startsAt: expect.any(String), closedAt: expect.any(String) }]);
    expect(ids(await send(w.coordinator, 'get', `/cases/${advised.id}/session-records`))).toEqual([session]);
    expect(ids(await send(w.housingOfficer, 'get', `/cases/${adopted.id}/session-records`))).toEqual([session]);
    // A referrer of the same service may read the situation, and the record (for their own
    // situation on it), but the record does not show them this one: not listed.
    const colleague = await send(w.otherReferrer, 'get', `/cases/${adopted.id}/session-records`);
    expect(colleague.status).toBe(200);
    expect(ids(colleague)).toEqual([]);
    expect(ids(await send(w.otherReferrer, 'get', `/cases/${advised.id}/session-records`))).toEqual([session]);
    // A situation on no closed record: an empty list.
    const fresh = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId));
    expect((await send(w.referrer, 'get', `/cases/${fresh.id}/session-records`)).body).toEqual({ items: [] });
  });

  it('gives the closed record as a PDF in French with none of the identity values of the person', async () => {
    const res = await t
      .http()
      .get(`/sessions/${session}/record?format=pdf`)
      .set('authorization', `Bearer ${w.psychiatrist.token}`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment/);
    const text = await pdfText(res.body as Buffer);
    expect(text).toContain('Relevé de décisions');
    expect(text).toContain(adopted.reference);
    expect(text).toContain(deferred.reference);
    expect(text).toContain("Plan d'action adopté");
    expect(text).toContain('Examen reporté (motif : informations manquantes)');
    expect(text).toContain('Association Logis Solidaire');
    expect(text.replace(/\s+/g, ' ')).toContain(ANALYSIS);
    expect(findNeedles(text, IDENTITY)).toEqual([]);
    const audited = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'case.read' AND actor_id = $1 AND purpose = 'record:pdf' AND detail->>'sessionId' = $2`,
      [w.psychiatrist.id, session],
    );
    expect(audited).toEqual([{ n: 3 }]);
  });

  it('keeps the new tables under row-level security by territory, as the server’s own role', async () => {
    const app = t.app.get(DataSource);
    const other = await createWorld(t);
    for (const table of SESSION_RECORD_TABLES) {
      const mine = (await withTerritories([w.territoryId], () => app.query(`SELECT count(*)::int AS n FROM ${table}`))) as { n: number }[];
      expect({ table, some: mine[0].n > 0 }).toEqual({ table, some: true });
      const theirs = (await withTerritories([other.territoryId], () => app.query(`SELECT count(*)::int AS n FROM ${table}`))) as { n: number }[];
      expect({ table, n: theirs[0].n }).toEqual({ table, n: 0 });
      expect((await app.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n).toBe(0);
    }
    await expect(
      withTerritories([other.territoryId], () => app.query(`INSERT INTO session_records (session_id, territory_id) VALUES ($1, $2)`, [session, w.territoryId])),
    ).rejects.toThrow(/row-level security/);
  });
});
