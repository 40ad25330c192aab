/**
 * Issue 13, items 4 and 5: the annual activity report and the "blocages" table, on a year seeded
 * straight into the database (2025, with a referral of 2024 examined again in it and one of 2026
 * outside it), checked against counts made by hand: exact for the territory's coordinator,
 * suppressed under the threshold in the publication export, another territory's figures never.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createWorld, createWorldApp, type World } from '../factories/world.js';
import { get } from '../factories/lifecycle.js';
import type { TestApp } from '../support/app.js';

const at = (day: string) => `${day}T11:00:00Z`;
let seeded = 8;

async function seedYear(db: DataSource, w: World): Promise<string[]> {
  // A second territory may be seeded (the regional report): its references another series.
  const series = ++seeded;
  const [{ territory_id: territoryId }] = await db.query(`SELECT territory_id FROM commissions WHERE id = $1`, [w.commissionId]);
  const references: string[] = [];
  const session = async (startsOn: string, opened: boolean) => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO sessions (id, commission_id, territory_id, starts_at, ends_at, status, opened_at) VALUES ($1, $2, $3, $4, $4::timestamptz + interval '2 hours', $5, $6)`,
      [id, w.commissionId, territoryId, at(startsOn), opened ? 'closed' : 'planned', opened ? at(startsOn) : null],
    );
    return id;
  };
  let n = 0;
  const kase = async (c: {
    created: string;
    ageBand: string;
    state: string;
    closure?: string;
    outcome?: string;
    closed?: string;
    referrerOrganisationId?: string;
    events: [string, string][];
  }) => {
    const id = randomUUID();
    const reference = `CAS-${c.created.slice(0, 4)}-${series}${String(++n).padStart(3, '0')}`;
    references.push(reference);
    await db.query(
      `INSERT INTO cases (id, territory_id, commission_id, reference, referrer_user_id, referrer_organisation_id, state, snapshot, age_band, problems, closure, outcome, closed_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', $8, '{housing,isolation}', $9, $10, $11, $12)`,
      [
        id,
        territoryId,
        w.commissionId,
        reference,
        w.referrer.id,
        c.referrerOrganisationId ?? w.orgs.social,
        c.state,
        c.ageBand,
        c.closure ?? null,
        c.outcome ?? null,
        c.closed ? at(c.closed) : null,
        at(c.created),
      ],
    );
    let version = 1;
    for (const [event, day] of c.events) {
      await db.query(`INSERT INTO case_events (case_id, territory_id, event, to_state, version, at) VALUES ($1, $2, $3, 'x', $4, $5)`, [
        id,
        territoryId,
        event,
        version++,
        at(day),
      ]);
    }
    return id;
  };
  const s0 = await session('2024-12-01', true);
  const s1 = await session('2025-02-10', true);
  const s2 = await session('2025-06-15', true);
  await session('2025-11-20', false); // planned, never held

  // c1: referred in 2024, first examined in 2024, examined again in 2025, closed in 2025 (improved).
  const c1 = await kase({
    created: '2024-11-05',
    ageBand: '40-49',
    state: 'closed',
    closure: 'outcome',
    outcome: 'improved',
    closed: '2025-06-15',
    events: [
      ['SUBMIT', '2024-11-05'],
      ['START_REVIEW', '2024-12-01'],
      ['START_REVIEW', '2025-02-10'],
      ['CLOSE', '2025-06-15'],
    ],
  });
  // c2: referred in January, examined in February and in June, closed in June (resolved).
  const c2 = await kase({
    created: '2025-01-10',
    ageBand: '60-69',
    state: 'closed',
    closure: 'outcome',
    outcome: 'resolved',
    closed: '2025-06-15',
    referrerOrganisationId: w.orgs.health,
    events: [
      ['SUBMIT', '2025-01-10'],
      ['START_REVIEW', '2025-02-10'],
      ['START_REVIEW', '2025-06-15'],
      ['CLOSE', '2025-06-15'],
    ],
  });
  // c3: referred in January, examined in June, its plan runs.
  const c3 = await kase({
    created: '2025-01-20',
    ageBand: '60-69',
    state: 'plan_active',
    events: [
      ['SUBMIT', '2025-01-20'],
      ['START_REVIEW', '2025-06-15'],
      ['ADOPT_PLAN', '2025-06-15'],
    ],
  });
  // c4: consent refused, closed by the commission's choice "the person declined" without an examination.
  const c4 = await kase({
    created: '2025-03-01',
    ageBand: '18-24',
    state: 'closed',
    closure: 'refused',
    outcome: 'person_declined',
    closed: '2025-04-01',
    events: [
      ['SUBMIT', '2025-03-01'],
      ['CLOSE', '2025-04-01'],
    ],
  });
  // c5: rejected at screening (no outcome); c6: a draft of December; c7: a deleted draft; c8: next year.
  await kase({ created: '2025-04-01', ageBand: '18-24', state: 'closed', closure: 'rejected', closed: '2025-04-05', events: [['SUBMIT', '2025-04-01']] });
  await kase({ created: '2025-12-20', ageBand: '40-49', state: 'draft', events: [] });
  await kase({ created: '2025-05-01', ageBand: '40-49', state: 'purged', closure: 'deleted', events: [] });
  await kase({ created: '2026-01-05', ageBand: '40-49', state: 'submitted', events: [['SUBMIT', '2026-01-05']] });

  const consent = async (caseId: string, decision: string, recorded: string, withdrawn: string | null) =>
    db.query(
      `INSERT INTO consents (case_id, decision, method, informed_at, informed_by_user_id, recorded_at, withdrawn_at) VALUES ($1, $2, 'oral', $3, $4, $3, $5)`,
      [caseId, decision, at(recorded), w.referrer.id, withdrawn ? at(withdrawn) : null],
    );
  await consent(c1, 'refused', '2024-11-10', null); // a refusal of 2024
  await consent(c4, 'refused', '2025-03-10', null);
  await consent(c3, 'granted', '2025-02-01', '2025-09-01');

  const attend = (sessionId: string, userId: string) =>
    db.query(`INSERT INTO session_attendance (session_id, user_id, charter_version) VALUES ($1, $2, 1)`, [sessionId, userId]);
  await attend(s0, w.psychiatrist.id); // 2024
  await attend(s1, w.psychiatrist.id);
  await attend(s1, w.housingOfficer.id);
  await attend(s1, w.coordinator.id);
  await attend(s2, w.psychiatrist.id);
  await attend(s2, w.townOfficer.id);
  await db.query(`INSERT INTO session_guests (session_id, territory_id, organisation_label, recorded_by) VALUES ($1, $2, 'Association Le Fil', $3)`, [
    s2,
    territoryId,
    w.coordinator.id,
  ]);
  await db.query(`INSERT INTO session_guests (session_id, territory_id, organisation_id, recorded_by) VALUES ($1, $2, $3, $4)`, [
    s2,
    territoryId,
    w.orgs.health,
    w.coordinator.id,
  ]);

  // An action and, when it is done, blocked or cancelled, the change of status that made it so
  // (on `changed`, by default the day of its last update).
  const action = async (
    caseId: string,
    owner: string,
    status: string,
    updated: string,
    more: { carry?: string; cancel?: string; block?: string; changed?: string } = {},
  ) => {
    const [{ id }] = await db.query(
      `INSERT INTO actions (case_id, territory_id, title, owner_organisation_id, due_at, status, plan_version, updated_at, created_at, carry_reason, carried_at, cancel_reason, block_reason)
       VALUES ($1, $2, 'Action', $3, $4, $5, 1, $4, $4, $6, $7, $8, $9) RETURNING id`,
      [caseId, territoryId, owner, at(updated), status, more.carry ?? null, more.carry ? at(updated) : null, more.cancel ?? null, more.block ?? null],
    );
    if (['done', 'blocked', 'cancelled'].includes(status)) {
      await db.query(`INSERT INTO action_status_changes (action_id, territory_id, status, block_reason, at) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        territoryId,
        status,
        more.block ?? null,
        at(more.changed ?? updated),
      ]);
    }
  };
  await action(c3, w.orgs.health, 'done', '2025-07-01');
  await action(c3, w.orgs.housing, 'done', '2025-08-01');
  // Done in December, a note added in January: done in 2025 all the same.
  await action(c3, w.orgs.municipal, 'done', '2026-01-15', { changed: '2025-12-01' });
  await action(c2, w.orgs.health, 'done', '2024-12-20');
  await action(c3, w.orgs.health, 'todo', '2025-09-01', { carry: 'agency_did_not_act' });
  await action(c3, w.orgs.housing, 'todo', '2025-09-01', { carry: 'agency_did_not_act' });
  await action(c3, w.orgs.housing, 'in_progress', '2025-10-01', { carry: 'person_declined' });
  await action(c3, w.orgs.municipal, 'blocked', '2025-10-15', { block: 'awaiting_other_body' });
  await action(c3, w.orgs.housing, 'blocked', '2025-11-01'); // blocked before reasons were asked
  await action(c2, w.orgs.municipal, 'cancelled', '2025-05-01', { cancel: 'no_longer_needed' });
  return references;
}

describe('the annual activity report (GET /stats)', () => {
  let t: TestApp;
  let w: World;
  let references: string[];
  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    references = await seedYear(t.db.dataSource, w);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives the coordinator the exact figures of the year, as counted by hand', async () => {
    const res = await get(t, w.coordinator.token, '/stats?year=2025');
    expect(res.status).toBe(200);
    const s = res.body;
    // Over the referrals of 2025 (c2–c6; the deleted draft counts nowhere): the existing contract.
    expect(s.total).toBe(5);
    expect(s.byState).toEqual({ closed: 3, draft: 1, plan_active: 1 });
    expect(s.byClosure).toEqual({ open: 2, outcome: 1, refused: 1, rejected: 1 });
    expect(s.byMonth).toEqual({ '1': 2, '3': 1, '4': 1, '12': 1 });
    expect(s.byReferrerSector).toEqual({ health: 1, social: 4 });
    expect(s.byProblem).toEqual({ housing: 5, isolation: 5 });
    expect(s.byAgeBand).toEqual({ '18-24': 2, '40-49': 1, '60-69': 2 });
    // What happened in 2025, whenever the situation was referred.
    expect(s.sessionsHeld).toBe(2);
    expect(s.examined).toEqual({ new: 2, again: 1, examinations: 4 });
    expect(s.byOutcome).toEqual({ improved: 1, person_declined: 1, resolved: 1 });
    expect(s.consents).toEqual({ refused: 1, withdrawn: 1 });
    expect(s.attendanceBySector).toEqual({ coordination: 1, health: 3, housing: 1, municipal: 1, other: 1 });
    expect(s.sessionsBySector).toEqual({ coordination: 1, health: 2, housing: 1, municipal: 1, other: 1 });
    expect(s.actions).toEqual({ done: 3, blocked: 2, carriedOver: { agency_did_not_act: 2, person_declined: 1 }, cancelled: { no_longer_needed: 1 } });
    // Referral → first examination: 31 and 146 days; first examination → closure: 196 and 125 days.
    expect(s.delays).toEqual({ referralToFirstReview: 88.5, reviewToClosure: 160.5 });
    expect(s.blocages).toEqual([
      { kind: 'blocked', reason: 'awaiting_other_body', sector: 'municipal', count: 1 },
      { kind: 'blocked', reason: 'not_given', sector: 'housing', count: 1 },
      { kind: 'carried_over', reason: 'agency_did_not_act', sector: 'health', count: 1 },
      { kind: 'carried_over', reason: 'agency_did_not_act', sector: 'housing', count: 1 },
      { kind: 'carried_over', reason: 'person_declined', sector: 'housing', count: 1 },
    ]);
    expect(s.smallCountThreshold).toBe(5);
    // No situation is named anywhere in the report.
    expect(references.filter((r) => JSON.stringify(s).includes(r))).toEqual([]);
  });

  it('suppresses every count of situations, consents and actions under the threshold in the publication export', async () => {
    const res = await get(t, w.coordinator.token, '/stats?year=2025&audience=public');
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.total).toBe(5);
    expect(s.byProblem).toEqual({ housing: 5, isolation: 5 });
    expect(s.byAgeBand).toEqual({ '18-24': 'suppressed', '40-49': 'suppressed', '60-69': 'suppressed' });
    expect(s.examined).toEqual({ new: 'suppressed', again: 'suppressed', examinations: 'suppressed' });
    expect(s.byOutcome).toEqual({ improved: 'suppressed', person_declined: 'suppressed', resolved: 'suppressed' });
    expect(s.consents).toEqual({ refused: 'suppressed', withdrawn: 'suppressed' });
    expect(s.actions.carriedOver).toEqual({ agency_did_not_act: 'suppressed', person_declined: 'suppressed' });
    expect(s.delays).toEqual({ referralToFirstReview: 'suppressed', reviewToClosure: 'suppressed' });
    expect(s.blocages.map((b: { count: unknown }) => b.count)).toEqual(Array(5).fill('suppressed'));
    // Sessions and the professionals' attendance point to no person: they stay exact.
    expect(s.sessionsHeld).toBe(2);
    expect(s.attendanceBySector.health).toBe(3);
  });

  it('publishes a zero as 0, not « moins de 5 »: the same in the API, the CSV, for one territory and across several (policies/statistics.yaml)', async () => {
    // 2019: nothing happened in the territory.
    for (const url of ['/stats?year=2019&audience=public', `/stats/regional?year=2019&territoryIds=${w.territoryId}`]) {
      const who = url.startsWith('/stats/regional') ? w.admin : w.coordinator;
      const res = await get(t, who.token, url);
      expect(res.status).toBe(200);
      const s = res.body;
      expect({ url, total: s.total, examined: s.examined, consents: s.consents, done: s.actions.done, blocked: s.actions.blocked, delays: s.delays }).toEqual({
        url,
        total: 0,
        examined: { new: 0, again: 0, examinations: 0 },
        consents: { refused: 0, withdrawn: 0 },
        done: 0,
        blocked: 0,
        delays: { referralToFirstReview: null, reviewToClosure: null },
      });
      const csv = await get(t, who.token, `${url}&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('Examinées pour la première fois;0\r\n');
      expect(csv.text).toContain('Retraits de consentement;0\r\n');
      expect(csv.text).not.toContain('moins de');
    }
    // 2025, published: a zero among the fixed figures stays 0 while the small ones are suppressed.
    const exact = (await get(t, w.coordinator.token, '/stats?year=2025')).body;
    const published = (await get(t, w.coordinator.token, '/stats?year=2025&audience=public')).body;
    const rule = (n: number) => (n === 0 || n >= 5 ? n : 'suppressed');
    const fixed = (r: typeof exact) => [
      r.total,
      r.examined.new,
      r.examined.again,
      r.examined.examinations,
      r.consents.refused,
      r.consents.withdrawn,
      r.actions.done,
      r.actions.blocked,
    ];
    expect(fixed(published)).toEqual(fixed(exact).map(rule));
  });

  it('downloads the report as a CSV for a spreadsheet and as a printable PDF, for either audience', async () => {
    const csv = await get(t, w.coordinator.token, '/stats?year=2025&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('rapport-activite-2025.csv');
    const text = csv.text;
    expect(text.startsWith('\uFEFFRubrique;Catégorie;Nombre\r\n')).toBe(true);
    expect(text).toContain('Séances tenues;Séances ouvertes dans l’année;2\r\n');
    expect(text).toContain('Examinées pour la première fois;2\r\n');
    expect(text).toContain('La situation s’est améliorée;1\r\n');
    expect(text).toContain('Du premier examen à la clôture;160,5\r\n');
    expect(text).toContain('Bloquée — Raison non précisée — Logement (bailleur);1\r\n');
    expect(text).toContain('Bloquée — En attente d’un autre organisme — Services de la ville;1\r\n');
    expect(references.filter((r) => text.includes(r))).toEqual([]);

    const published = await get(t, w.coordinator.token, '/stats?year=2025&format=csv&audience=public');
    expect(published.status).toBe(200);
    expect(published.headers['content-disposition']).toContain('rapport-activite-2025-publication.csv');
    expect(published.text).toContain('Examinées pour la première fois;moins de 5\r\n');
    expect(published.text).toContain('Saisines reçues dans l’année;2025;5\r\n');

    const pdf = await t
      .http()
      .get('/stats?year=2025&format=pdf')
      .set('authorization', `Bearer ${w.coordinator.token}`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    expect((await get(t, w.coordinator.token, '/stats?year=2025&format=xlsx')).status).toBe(400);
  });

  it("gives nobody another territory's figures", async () => {
    const other = await createWorld(t);
    const own = await get(t, other.coordinator.token, '/stats?year=2025');
    expect(own.status).toBe(200);
    expect(own.body.total).toBe(0);
    expect(own.body.sessionsHeld).toBe(0);
    expect(own.body.examined).toEqual({ new: 0, again: 0, examinations: 0 });
    expect(own.body.blocages).toEqual([]);
    expect(own.body.attendanceBySector).toEqual({});
    for (const format of ['json', 'csv', 'pdf']) {
      const res = await get(t, other.coordinator.token, `/stats?year=2025&territoryId=${w.territoryId}&format=${format}`);
      expect(res.status).toBe(403);
    }
    for (const who of [w.referrer, w.psychiatrist, w.auditor, w.admin]) {
      expect((await get(t, who.token, '/stats?year=2025&format=csv')).status).toBe(403);
    }
  });

  it('aggregates several territories for the administrator, always as published: small counts suppressed, even the sums', async () => {
    // A second territory with the same year: each figure doubles, some then reach the threshold.
    const other = await createWorld(t);
    references.push(...(await seedYear(t.db.dataSource, other)));
    const both = `${w.territoryId},${other.territoryId}`;
    const res = await get(t, w.admin.token, `/stats/regional?year=2025&territoryIds=${both}`);
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.territories.map((x: { id: string }) => x.id).sort()).toEqual([w.territoryId, other.territoryId].sort());
    expect(s.audience).toBe('public');
    expect(s.total).toBe(10);
    expect(s.byProblem).toEqual({ housing: 10, isolation: 10 });
    // 2 + 2 is still under 5; 4 + 4 is not.
    expect(s.byAgeBand).toEqual({ '18-24': 'suppressed', '40-49': 'suppressed', '60-69': 'suppressed' });
    expect(s.examined).toEqual({ new: 'suppressed', again: 'suppressed', examinations: 8 });
    expect(s.actions).toEqual({
      done: 6,
      blocked: 'suppressed',
      carriedOver: { agency_did_not_act: 'suppressed', person_declined: 'suppressed' },
      cancelled: { no_longer_needed: 'suppressed' },
    });
    expect(s.blocages.map((b: { count: unknown }) => b.count)).toEqual(Array(5).fill('suppressed'));
    expect(s.sessionsHeld).toBe(4);
    expect(references.filter((r) => JSON.stringify(s).includes(r))).toEqual([]);

    // One territory alone, through the regional door, is suppressed too.
    const one = await get(t, w.admin.token, `/stats/regional?year=2025&territoryIds=${w.territoryId}`);
    expect(one.body.examined).toEqual({ new: 'suppressed', again: 'suppressed', examinations: 'suppressed' });
    expect(one.body.actions.done).toBe('suppressed');

    const csv = await get(t, w.admin.token, `/stats/regional?year=2025&territoryIds=${both}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('rapport-activite-2025-regional.csv');
    expect(csv.text).toContain('Territoires réunis dans ce rapport;');
    expect(csv.text).toContain('Examinées pour la première fois;moins de 5\r\n');
    expect(csv.text).toContain('Saisines reçues dans l’année;2025;10\r\n');
    expect(references.filter((r) => csv.text.includes(r))).toEqual([]);

    // An unknown territory is refused on the field; a coordinator has no regional view.
    const unknown = await get(t, w.admin.token, `/stats/regional?year=2025&territoryIds=${w.territoryId},00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'territoryIds' })]);
    expect((await get(t, w.admin.token, '/stats/regional?territoryIds=not-a-uuid')).status).toBe(400);
    for (const who of [w.coordinator, w.referrer, w.auditor]) {
      expect((await get(t, who.token, `/stats/regional?year=2025&territoryIds=${w.territoryId}`)).status).toBe(403);
    }
  });
});
