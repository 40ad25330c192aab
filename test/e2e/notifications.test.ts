/**
 * Issue 13, item 2 — notifications in the workspace (mail off: no SMTP_URL). Each kind is produced
 * once, at the right moment (time moved by the injected clock), for the right recipients only;
 * neither the outbox nor the answers hold a protected value, a summary or anyone's text; nobody
 * reads or marks another account's notifications.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { withTerritories } from '../../src/database/territory-scope.js';
import { NOTIFICATION_KINDS } from '../../src/notifications/notification-kinds.js';
import { caseIn, grantedConsent, newCase, newSession, step, type CaseRef } from '../factories/lifecycle.js';
import { call, createWorldApp, HEALTH_TEXT, IDENTITY, SOCIAL_TEXT, type Account, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

const SEND_BACK_REASON = 'Préciser ce qui a déjà été tenté avec le CMP et l’avis du médecin traitant';
const REJECT_REASON = 'Relève du droit commun : orientation vers le CCAS voisin';
const NARRATIVE = 'Personne seule, en rupture de soins, impayés de loyer, voisinage inquiet.';

interface Item {
  id: string;
  kind: string;
  caseId: string | null;
  caseReference: string | null;
  sessionId: string | null;
  actionId: string | null;
  agendaSize: number | null;
  dueAt: string | null;
  readAt: string | null;
}

describe('notifications', () => {
  let t: TestApp;
  let w: World;
  let accepted: CaseRef;
  let planned: CaseRef;
  let upcoming: string;
  let held: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (who: Account, query = ''): Promise<{ items: Item[]; unread: number; total: number }> =>
    call(t, who.token, 'get', `/me/notifications${query}`) as Promise<{ items: Item[]; unread: number; total: number }>;
  const kinds = async (who: Account) => (await list(who, '?limit=50')).items.map((n) => `${n.kind}:${n.caseReference ?? n.sessionId}`).sort();
  /** What the outbox holds, by recipient and kind (read as the owner: every territory). */
  const outbox = async (kind: string): Promise<string[]> =>
    ((await t.db.dataSource.query(`SELECT recipient_user_id AS r FROM notifications WHERE kind = $1 ORDER BY 1`, [kind])) as { r: string }[]).map((x) => x.r);
  const ids = (...accounts: Account[]) => accounts.map((a) => a.id).sort();
  const due = () => t.scheduler.runOnce('notification-reminders');

  it('knows the same kinds as the table accepts (the migration keeps its own copy of the list)', async () => {
    const [{ def }] = (await t.db.dataSource.query(
      `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c WHERE c.conrelid = 'notifications'::regclass AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%kind%'`,
    )) as { def: string }[];
    expect([...def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });

  it('logs once that mail is off, and keeps the notifications in the workspace', () => {
    expect(t.logs.filter((l) => l.includes('Mail is off'))).toHaveLength(1);
  });

  it('a referral submitted: its coordinator is told (and nobody else); accepted, sent back or rejected: its referrer', async () => {
    accepted = await newCase(t, w);
    await step(t, w.referrer.token, accepted, 'SUBMIT');
    expect(await outbox('referral_to_screen')).toEqual(ids(w.coordinator));
    const screening = (await list(w.coordinator)).items;
    expect(screening).toEqual([expect.objectContaining({ kind: 'referral_to_screen', caseId: accepted.id, caseReference: accepted.reference, readAt: null })]);
    await step(t, w.coordinator.token, accepted, 'ACCEPT');
    expect(await outbox('referral_accepted')).toEqual(ids(w.referrer));

    const sentBack = await newCase(t, w);
    await step(t, w.referrer.token, sentBack, 'SUBMIT');
    await step(t, w.coordinator.token, sentBack, 'SEND_BACK', { reason: SEND_BACK_REASON });
    const rejected = await newCase(t, w);
    await step(t, w.referrer.token, rejected, 'SUBMIT');
    await step(t, w.coordinator.token, rejected, 'REJECT', { reason: REJECT_REASON, suggestedOrientation: 'CCAS' });
    expect(await outbox('referral_sent_back')).toEqual(ids(w.referrer));
    expect(await outbox('referral_rejected')).toEqual(ids(w.referrer));
    expect(await outbox('referral_to_screen')).toEqual(ids(w.coordinator, w.coordinator, w.coordinator));
    // The other referrer of the same service, the members: nothing.
    for (const other of [w.otherReferrer, w.psychiatrist, w.housingOfficer, w.auditor, w.admin]) expect((await list(other)).total).toBe(0);
    expect(await kinds(w.referrer)).toEqual(
      [`referral_accepted:${accepted.reference}`, `referral_sent_back:${sentBack.reference}`, `referral_rejected:${rejected.reference}`].sort(),
    );
  });

  it('a situation put on an agenda: the session’s members (and deputies, and invited) are told, with the agenda’s size', async () => {
    upcoming = await newSession(t, w, { startInDays: 10 });
    await step(t, w.referrer.token, accepted, 'RECORD_CONSENT', grantedConsent());
    await step(t, w.coordinator.token, accepted, 'SCHEDULE', { sessionId: upcoming });
    expect(await outbox('case_on_agenda')).toEqual(ids(w.psychiatrist, w.housingOfficer, w.townOfficer));
    const [notice] = (await list(w.townOfficer)).items;
    expect(notice).toMatchObject({ kind: 'case_on_agenda', caseId: accepted.id, sessionId: upcoming, agendaSize: 1 });
    expect((await list(w.coordinator)).items.map((n) => n.kind)).not.toContain('case_on_agenda');
  });

  it('a plan adopted: each action’s owners (the vouched members of the owning organisation) are told; the session’s record closed: its attendees', async () => {
    held = await newSession(t, w, { open: true });
    planned = await caseIn(t, w, 'plan_active', held);
    // plan(w): one action for the CMP (the psychiatrist's organisation), one for the landlord.
    expect(await outbox('action_assigned')).toEqual(ids(w.psychiatrist, w.housingOfficer));
    const assigned = (await list(w.psychiatrist)).items.find((n) => n.kind === 'action_assigned');
    expect(assigned).toMatchObject({ caseId: planned.id, caseReference: planned.reference, actionId: expect.any(String), dueAt: expect.any(String) });

    await call(t, w.coordinator.token, 'put', `/sessions/${held}/attendance/${w.psychiatrist.id}`, { present: true }, 200);
    await call(t, w.coordinator.token, 'post', `/sessions/${held}/close`, undefined, 200);
    expect(await outbox('session_record_closed')).toEqual([]);
    await call(t, w.coordinator.token, 'post', `/sessions/${held}/record/close`, undefined, 200);
    // Present at the session: told; absent (the town, the landlord): not. The situation’s referrer: told (notifications-record.test.ts).
    expect(await outbox('session_record_closed')).toEqual(ids(w.psychiatrist, w.referrer));
  });

  it('the convocation goes when the dossier opens (7 days before), once, with the agenda’s size', async () => {
    expect(await due()).toBe(0);
    t.clock.advanceDays(4);
    expect(await due()).toBe(3);
    expect(await outbox('session_convocation')).toEqual(ids(w.psychiatrist, w.housingOfficer, w.townOfficer));
    const convocation = (await list(w.housingOfficer)).items.find((n) => n.kind === 'session_convocation');
    expect(convocation).toMatchObject({ sessionId: upcoming, agendaSize: 1, caseId: null });
    // A second run, or a second replica: nothing new.
    expect(await due()).toBe(0);
  });

  it('an action due within 7 days, then overdue: told to its owners once per due date', async () => {
    // The CMP's action is due 30 days after the plan (day 0), the landlord's 45.
    t.clock.advanceDays(24 - 4);
    expect(await due()).toBe(1);
    expect(await outbox('action_due_soon')).toEqual(ids(w.psychiatrist));
    expect(await due()).toBe(0);
    t.clock.advanceDays(31 - 24);
    expect(await due()).toBe(1);
    expect(await outbox('action_overdue')).toEqual(ids(w.psychiatrist));
    t.clock.advanceDays(39 - 31);
    expect(await due()).toBe(1);
    expect(await outbox('action_due_soon')).toEqual(ids(w.psychiatrist, w.housingOfficer));
    expect(await due()).toBe(0);
  });

  it('the follow-up date reached: the coordinator is told, in the transition of FOLLOW_UP_DUE', async () => {
    expect(await outbox('follow_up_due')).toEqual([]);
    // The plan's follow-up: 3 months after its adoption (lifecycle.yaml).
    t.clock.advanceDays(95 - 39);
    expect(await t.scheduler.runOnce('follow-up-due')).toBe(1);
    expect(await outbox('follow_up_due')).toEqual(ids(w.coordinator));
    expect(await t.scheduler.runOnce('follow-up-due')).toBe(0);
    expect(await outbox('follow_up_due')).toEqual(ids(w.coordinator));
  });

  it('an action entrusted to a named professional (added, or carried over to them): that professional only', async () => {
    const created = await call(t, w.admin.token, 'post', '/users', {
      email: `infirmiere.${Date.now()}@test.local`,
      password: 'correct-horse-battery',
      displayName: 'infirmière',
      organisationId: w.orgs.health,
      roles: ['member'],
      profession: 'nurse',
    });
    const nurse = { id: created.id as string } as Account;
    const view = await call(t, w.coordinator.token, 'get', `/cases/${planned.id}`);
    // The follow-up job moved it meanwhile.
    Object.assign(planned, { state: view.state, version: view.version });
    const actions = view.plan.actions as { id: string; ownerOrganisationId: string }[];
    const health = actions.find((a) => a.ownerOrganisationId === w.orgs.health)!;
    const housing = actions.find((a) => a.ownerOrganisationId === w.orgs.housing)!;
    const before = await outbox('action_assigned');
    await step(t, w.coordinator.token, planned, 'REVISE_PLAN', {
      add: [
        {
          title: 'Visite à domicile infirmière',
          ownerOrganisationId: w.orgs.health,
          dueAt: new Date(t.clock.now().getTime() + 20 * 86_400_000).toISOString(),
          assigneeUserId: nurse.id,
        },
      ],
      carryOver: [
        { actionId: health.id, reason: 'agency_did_not_act', assigneeUserId: nurse.id },
        { actionId: housing.id, reason: 'agency_did_not_act' },
      ],
    });
    expect(await outbox('action_assigned')).toEqual([...before, nurse.id, nurse.id].sort());
  });

  it('a consent expiring within 30 days, then expired: the referrer is told, once each', async () => {
    // Two granted consents, informed the day before day 0, valid 12 months.
    t.clock.advanceDays(330 - 95);
    await due();
    expect(await outbox('consent_expiring')).toEqual([]);
    t.clock.advanceDays(340 - 330);
    await due();
    expect(await outbox('consent_expiring')).toEqual(ids(w.referrer, w.referrer));
    expect(await outbox('consent_expired')).toEqual([]);
    t.clock.advanceDays(370 - 340);
    await due();
    expect(await outbox('consent_expired')).toEqual(ids(w.referrer, w.referrer));
    expect(await due()).toBe(0);
    expect(await outbox('consent_expiring')).toEqual(ids(w.referrer, w.referrer));
  });

  it('holds no protected value, summary or text: neither the outbox nor the answers', async () => {
    const rows = (await t.db.dataSource.query(`SELECT row_to_json(n)::text AS row FROM notifications n`)) as { row: string }[];
    expect(rows.length).toBeGreaterThan(15);
    const needles = [
      ...Object.values(IDENTITY),
      SOCIAL_TEXT,
      HEALTH_TEXT,
      NARRATIVE,
      SEND_BACK_REASON,
      REJECT_REASON,
      'Reprendre contact',
      'apurement',
      'CCAS',
    ];
    const text = rows.map((r) => r.row).join('\n') + JSON.stringify(await list(w.referrer)) + JSON.stringify(await list(w.psychiatrist));
    expect(needles.filter((needle) => text.toLowerCase().includes(needle.toLowerCase()))).toEqual([]);
  });

  it('lists unread first, then the newest, in bounded pages; marks one, or all, read', async () => {
    const all = await list(w.psychiatrist, '?limit=50');
    expect(all.total).toBe(all.items.length);
    expect(all.unread).toBe(all.total);
    const first = all.items[all.items.length - 1];
    // API.md: 204; the counts with Prefer: return=representation (RFC 7240).
    const marked = await t
      .http()
      .post(`/me/notifications/${first.id}/read`)
      .set('authorization', `Bearer ${w.psychiatrist.token}`)
      .set('prefer', 'return=representation');
    expect(marked.status).toBe(200);
    expect(marked.headers['preference-applied']).toBe('return=representation');
    expect(marked.body).toEqual({ marked: 1, unread: all.total - 1 });
    const again = await t.http().post(`/me/notifications/${first.id}/read`).set('authorization', `Bearer ${w.psychiatrist.token}`);
    expect(again.status).toBe(204);
    expect(again.text).toBe('');
    const after = await list(w.psychiatrist, '?limit=50');
    expect(after.items[after.items.length - 1]).toMatchObject({ id: first.id, readAt: expect.any(String) });
    const created = after.items.slice(0, -1).map((n) => (n as Item & { at: string }).at);
    expect([...created].sort().reverse()).toEqual(created);
    const page = await list(w.psychiatrist, '?limit=2&offset=1');
    expect(page.items.map((n) => n.id)).toEqual(after.items.slice(1, 3).map((n) => n.id));
    const tooMany = await t.http().get('/me/notifications?limit=51').set('authorization', `Bearer ${w.psychiatrist.token}`);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('limit');
    expect(await call(t, w.psychiatrist.token, 'post', '/me/notifications/read-all', undefined, 200)).toEqual({ marked: all.total - 1, unread: 0 });
    expect((await list(w.psychiatrist)).unread).toBe(0);
  });

  it('nobody reads or marks another account’s notifications', async () => {
    const theirs = (await list(w.referrer)).items[0];
    const other = await t.http().post(`/me/notifications/${theirs.id}/read`).set('authorization', `Bearer ${w.otherReferrer.token}`);
    expect(other.status).toBe(404);
    expect((await t.http().post(`/me/notifications/${theirs.id}/read`).set('authorization', `Bearer ${w.coordinator.token}`)).status).toBe(404);
    expect((await list(w.referrer)).items.find((n) => n.id === theirs.id)?.readAt).toBeNull();
    expect((await list(w.otherReferrer)).items.map((n) => n.id)).not.toContain(theirs.id);
    expect((await t.http().get('/me/notifications')).status).toBe(401);
  });

  it('keeps each user’s email preference, which only they read and set', async () => {
    // The digest's hour (NOTIFICATION_DIGEST_HOUR, 8 by default) and its time zone, for the account page to say when it goes.
    expect(await call(t, w.referrer.token, 'get', '/me/notification-preferences')).toEqual({
      email: 'immediate',
      mailEnabled: false,
      digestHour: 8,
      digestTimeZone: 'Europe/Paris',
    });
    expect(await call(t, w.referrer.token, 'put', '/me/notification-preferences', { email: 'daily_digest' }, 200)).toEqual({
      email: 'daily_digest',
      mailEnabled: false,
      digestHour: 8,
      digestTimeZone: 'Europe/Paris',
    });
    expect((await call(t, w.referrer.token, 'get', '/me/notification-preferences')).email).toBe('daily_digest');
    expect((await call(t, w.otherReferrer.token, 'get', '/me/notification-preferences')).email).toBe('immediate');
    const wrong = await t.http().put('/me/notification-preferences').set('authorization', `Bearer ${w.referrer.token}`).send({ email: 'hourly' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('email');
    // Mail off: nothing is delivered, and the admin sees no failure.
    expect(await t.scheduler.runOnce('notification-digest')).toBe(0);
    expect(await call(t, w.admin.token, 'get', '/notifications/deliveries')).toEqual({ mailEnabled: false, items: [] });
    expect((await t.http().get('/notifications/deliveries').set('authorization', `Bearer ${w.coordinator.token}`)).status).toBe(403);
  });

  it('keeps the outbox under row-level security by territory, as the server’s own role', async () => {
    const app = t.app.get(DataSource);
    const count = async (territories: string[] | null) =>
      (
        (await (territories
          ? withTerritories(territories, () => app.query(`SELECT count(*)::int AS n FROM notifications`))
          : app.query(`SELECT count(*)::int AS n FROM notifications`))) as { n: number }[]
      )[0].n;
    expect(await count([w.territoryId])).toBeGreaterThan(15);
    expect(await count([randomUUID()])).toBe(0);
    expect(await count(null)).toBe(0);
    await expect(
      withTerritories([randomUUID()], () =>
        app.query(`INSERT INTO notifications (territory_id, recipient_user_id, kind, occurrence, created_at) VALUES ($1, $2, 'follow_up_due', 'a1', now())`, [
          w.territoryId,
          w.referrer.id,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
