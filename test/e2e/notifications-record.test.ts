/**
 * Issue 13, item 2 — a session's record closed: besides the attendees, the referrer of each
 * situation the record holds is told, once per situation, with the situation's reference and the
 * record's link (/app/seances/:id/releve) — never the record's content.
 */
import { immediateEmail } from '../../src/notifications/emails.js';
import { caseIn, newCase, newSession, step, type CaseRef } from '../factories/lifecycle.js';
import { call, caseBody, createWorldApp, HEALTH_TEXT, IDENTITY, SOCIAL_TEXT, type Account, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

const ANALYSIS = 'Isolement marqué, refus des soins depuis l’hospitalisation de mars';
const RECOMMENDATIONS = 'Visite conjointe du CMP et du bailleur avant la fin du mois';

interface Item {
  kind: string;
  caseId: string | null;
  caseReference: string | null;
  sessionId: string | null;
}

describe('notifications: the session record closed, told to the referrers', () => {
  let t: TestApp;
  let w: World;
  let held: string;
  let first: CaseRef;
  let second: CaseRef;
  let elsewhere: CaseRef;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (who: Account): Promise<Item[]> => ((await call(t, who.token, 'get', '/me/notifications?limit=50')) as { items: Item[] }).items;
  /** The outbox's record notices: recipient, and the situation (or none: an attendee's). */
  const outbox = async (): Promise<string[]> =>
    (
      (await t.db.dataSource.query(
        `SELECT recipient_user_id AS r, coalesce(case_id::text, '-') AS c FROM notifications WHERE kind = 'session_record_closed' ORDER BY 1, 2`,
      )) as { r: string; c: string }[]
    ).map((x) => `${x.r}:${x.c}`);

  it('tells each referrer once per situation of theirs the closed record holds, and the attendees once', async () => {
    held = await newSession(t, w, { open: true });
    first = await caseIn(t, w, 'plan_active', held);
    second = await caseIn(t, w, 'plan_active', held);
    // A situation of the same referrer on another session, and the other referrer's own referral: not in this record.
    const later = await newSession(t, w, { startInDays: 20 });
    elsewhere = await caseIn(t, w, 'scheduled', later);
    const theirs = await call(t, w.otherReferrer.token, 'post', '/cases', caseBody(w.commissionId));
    await step(t, w.otherReferrer.token, { id: theirs.id, reference: theirs.reference, state: theirs.state, version: theirs.version }, 'SUBMIT');
    const draft = await newCase(t, w);

    await call(t, w.coordinator.token, 'put', `/sessions/${held}/record/items/${first.id}`, { analysis: ANALYSIS, recommendations: RECOMMENDATIONS }, 200);
    await call(t, w.coordinator.token, 'put', `/sessions/${held}/attendance/${w.psychiatrist.id}`, { present: true }, 200);
    await call(t, w.coordinator.token, 'post', `/sessions/${held}/close`, undefined, 200);
    expect(await outbox()).toEqual([]);
    await call(t, w.coordinator.token, 'post', `/sessions/${held}/record/close`, undefined, 200);

    expect(await outbox()).toEqual([`${w.psychiatrist.id}:-`, `${w.referrer.id}:${first.id}`, `${w.referrer.id}:${second.id}`].sort());
    const told = (await list(w.referrer)).filter((n) => n.kind === 'session_record_closed');
    expect(told.map((n) => n.caseReference).sort()).toEqual([first.reference, second.reference].sort());
    expect(told.every((n) => n.sessionId === held)).toBe(true);
    expect(told.map((n) => n.caseId)).not.toContain(elsewhere.id);
    expect(told.map((n) => n.caseId)).not.toContain(draft.id);
    expect((await list(w.otherReferrer)).filter((n) => n.kind === 'session_record_closed')).toEqual([]);
    for (const other of [w.housingOfficer, w.townOfficer, w.coordinator]) {
      expect((await list(other)).filter((n) => n.kind === 'session_record_closed')).toEqual([]);
    }
  });

  it('tells nobody twice: the record cannot be closed again', async () => {
    const before = await outbox();
    expect((await t.http().post(`/sessions/${held}/record/close`).set('authorization', `Bearer ${w.coordinator.token}`)).status).toBe(409);
    expect(await outbox()).toEqual(before);
  });

  it('leads the referrer to the record, which they may read', async () => {
    const [notice] = (await list(w.referrer)).filter((n) => n.kind === 'session_record_closed' && n.caseId === first.id);
    const email = immediateEmail(
      { kind: 'session_record_closed', caseId: notice.caseId, caseReference: notice.caseReference, sessionId: notice.sessionId, agendaSize: null, dueAt: null },
      'CLSM Test',
      'https://cellule.test',
    );
    expect(email.text).toContain(`https://cellule.test/app/seances/${held}/releve`);
    expect(email.text).toContain(first.reference);
    const record = await t.http().get(`/sessions/${held}/record`).set('authorization', `Bearer ${w.referrer.token}`);
    expect(record.status).toBe(200);
  });

  it('says nothing of the record’s content nor of the person', async () => {
    const rows = (await t.db.dataSource.query(`SELECT row_to_json(n)::text AS row FROM notifications n WHERE kind = 'session_record_closed'`)) as {
      row: string;
    }[];
    expect(rows).toHaveLength(3);
    const text = rows.map((r) => r.row).join('\n') + JSON.stringify(await list(w.referrer));
    const needles = [...Object.values(IDENTITY), SOCIAL_TEXT, HEALTH_TEXT, ANALYSIS, RECOMMENDATIONS, 'Isolement', 'Visite conjointe'];
    expect(needles.filter((needle) => text.toLowerCase().includes(String(needle).toLowerCase()))).toEqual([]);
  });
});
