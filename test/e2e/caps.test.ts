/**
 * Issue 14, item 6: the domain caps (src/common/limits.ts CAPS) that bound the lists answers
 * carry. Each collection is filled to its cap directly in the database (as the superuser: rows a
 * real cellule would take years to write), then the write one past it is refused — 409 naming the
 * field and the cap — and nothing is written; the published maxItems is the cap (or derived from
 * it).
 */
import { CAPS, MAX_DUPLICATE_CANDIDATES, MAX_TEXT_REVIEWS, SHEET_PEOPLE } from '../../src/common/limits.js';
import { caseIn, inDays, newSession, plan, postEvent } from '../factories/lifecycle.js';
import { call, createWorldApp, PASSWORD, type World } from '../factories/world.js';
import type { TestApp } from '../support/app.js';

type Schema = { maxItems?: number; properties?: Record<string, Schema> };

describe('domain caps: refused past them, published as the bounds of the answers', () => {
  let t: TestApp;
  let w: World;
  let schemas: Record<string, Schema>;
  let fillerOrg: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    schemas = ((await t.http().get('/docs-json')).body as { components: { schemas: Record<string, Schema> } }).components.schemas;
    fillerOrg = w.orgs.health;
    // Accounts that only fill collections (no password: they never sign in).
    await sql(
      `INSERT INTO users (email, password_hash, display_name, organisation_id, roles)
       SELECT 'filler.' || g || '@test.local', 'none', 'Filler ' || g, $1, '{member}' FROM generate_series(1, $2) g`,
      [fillerOrg, CAPS.attendance],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  const sql = (text: string, params: unknown[] = []) => t.db.dataSource.query(text, params) as Promise<Record<string, unknown>[]>;
  const count = async (text: string, params: unknown[] = []) => Number((await sql(`SELECT count(*)::int AS n FROM (${text}) x`, params))[0].n);
  const fillers = (n: number) => `(SELECT id FROM users WHERE email LIKE 'filler.%' ORDER BY email LIMIT ${n})`;

  function published(schema: string, member: string): number | undefined {
    return schemas[schema]?.properties?.[member]?.maxItems;
  }

  function refusedAtCap(res: { status: number; body: unknown }, field: string, cap: number): void {
    expect(res.status).toBe(409);
    const body = res.body as { field?: string; max?: number; detail: string };
    expect(body.field).toBe(field);
    expect(body.max).toBe(cap);
    expect(body.detail).toContain(String(cap));
  }

  it('territories: a deployment holds at most CAPS.territories', async () => {
    const held = await count(`SELECT 1 FROM territories`);
    await sql(`INSERT INTO territories (name) SELECT 'Territoire de remplissage ' || g FROM generate_series(1, $1) g`, [CAPS.territories - held]);
    const res = await t.http().post('/territories').set('authorization', `Bearer ${w.admin.token}`).send({ name: 'Un de trop' });
    refusedAtCap(res, 'name', CAPS.territories);
    expect(await count(`SELECT 1 FROM territories`)).toBe(CAPS.territories);
  });

  it('commission members: at most CAPS.commissionMembers; changing a member already there is still taken', async () => {
    const held = await count(`SELECT 1 FROM commission_members WHERE commission_id = $1`, [w.commissionId]);
    await sql(`INSERT INTO commission_members (commission_id, user_id) SELECT $1, id FROM ${fillers(CAPS.commissionMembers - held)} f`, [w.commissionId]);
    const newcomer = await call(t, w.admin.token, 'post', '/users', {
      email: 'newcomer@test.local',
      password: PASSWORD,
      displayName: 'Newcomer',
      organisationId: w.orgs.housing,
      roles: ['member'],
      profession: 'none',
    });
    const res = await t
      .http()
      .post(`/commissions/${w.commissionId}/members`)
      .set('authorization', `Bearer ${w.coordinator.token}`)
      .send({ userId: newcomer.id });
    refusedAtCap(res, 'userId', CAPS.commissionMembers);
    expect(await count(`SELECT 1 FROM commission_members WHERE commission_id = $1`, [w.commissionId])).toBe(CAPS.commissionMembers);
    // A member already there may still be given a deputy (the collection does not grow).
    const deputy = await t
      .http()
      .post(`/commissions/${w.commissionId}/members`)
      .set('authorization', `Bearer ${w.coordinator.token}`)
      .send({ userId: w.psychiatrist.id, deputyUserId: newcomer.id });
    expect(deputy.status).toBe(201);
    await sql(`DELETE FROM commission_members WHERE commission_id = $1 AND user_id IN (SELECT id FROM users WHERE email LIKE 'filler.%')`, [w.commissionId]);
  });

  it("a session's agenda, invitations, guests, attendance and contributions", async () => {
    expect(published('AgendaDto', 'items')).toBe(CAPS.agendaItems);
    expect(published('DossierDto', 'items')).toBe(CAPS.agendaItems);
    expect(published('DossierDto', 'contributions')).toBe(CAPS.agendaItems * CAPS.contributions);
    expect(published('InvitationsDto', 'items')).toBe(CAPS.invitations);
    expect(published('AttendanceSheetDto', 'people')).toBe(SHEET_PEOPLE);
    expect(published('AttendanceSheetDto', 'guests')).toBe(CAPS.guests);
    expect(published('RecordItemDto', 'contributions')).toBe(CAPS.contributions);
    expect(published('SessionRecordDto', 'items')).toBe(CAPS.agendaItems);
    expect(published('SessionRecordDto', 'attendees')).toBe(SHEET_PEOPLE);
    expect(published('SessionRecordDto', 'guests')).toBe(CAPS.guests);

    const sessionId = await newSession(t, w, { startInDays: 2 });
    const scheduled = await caseIn(t, w, 'scheduled', sessionId);
    const waiting = await caseIn(t, w, 'ready_for_review');
    const coordinator = (url: string) => ({ post: (body: object) => t.http().post(url).set('authorization', `Bearer ${w.coordinator.token}`).send(body) });

    // The agenda: copies of the scheduled situation fill it (cases cloned with new ids and references).
    await sql(
      `INSERT INTO cases SELECT (jsonb_populate_record(NULL::cases, to_jsonb(c) || jsonb_build_object('id', gen_random_uuid(), 'reference', 'FIL-2026-' || g))).*
         FROM cases c, generate_series(1, $2) g WHERE c.id = $1`,
      [scheduled.id, CAPS.agendaItems - 1],
    );
    await sql(
      `INSERT INTO agenda_items (session_id, case_id, position, scheduled_at) SELECT $1, id, 100 + row_number() OVER (), now() FROM cases WHERE reference LIKE 'FIL-%'`,
      [sessionId],
    );
    expect(await count(`SELECT 1 FROM agenda_items WHERE session_id = $1`, [sessionId])).toBe(CAPS.agendaItems);
    const schedule = await postEvent(t, w.coordinator.token, waiting.id, { type: 'SCHEDULE', expectedVersion: waiting.version, sessionId });
    refusedAtCap(schedule, 'sessionId', CAPS.agendaItems);
    const after = (await t.http().get(`/cases/${waiting.id}`).set('authorization', `Bearer ${w.coordinator.token}`)).body as { state: string; version: number };
    expect(after).toMatchObject({ state: 'ready_for_review', version: waiting.version });
    expect(await count(`SELECT 1 FROM agenda_items WHERE session_id = $1`, [sessionId])).toBe(CAPS.agendaItems);

    // Invitations.
    await sql(`INSERT INTO session_invitations (session_id, case_id, user_id, invited_by) SELECT $1, $2, id, $3 FROM ${fillers(CAPS.invitations)} f`, [
      sessionId,
      scheduled.id,
      w.coordinator.id,
    ]);
    refusedAtCap(
      await coordinator(`/sessions/${sessionId}/invitations`).post({ caseId: scheduled.id, userId: w.otherReferrer.id }),
      'userId',
      CAPS.invitations,
    );
    expect(await count(`SELECT 1 FROM session_invitations WHERE session_id = $1`, [sessionId])).toBe(CAPS.invitations);

    // Guests.
    await sql(
      `INSERT INTO session_guests (session_id, territory_id, organisation_label, recorded_by) SELECT $1, $2, 'Association ' || g, $3 FROM generate_series(1, $4) g`,
      [sessionId, w.territoryId, w.coordinator.id, CAPS.guests],
    );
    refusedAtCap(await coordinator(`/sessions/${sessionId}/guests`).post({ organisationLabel: 'Association de trop' }), 'organisationId', CAPS.guests);
    expect(await count(`SELECT 1 FROM session_guests WHERE session_id = $1`, [sessionId])).toBe(CAPS.guests);

    // Contributions on one situation (the session is still planned: members write before it opens).
    await sql(
      `INSERT INTO session_contributions (session_id, case_id, territory_id, author_user_id, author_organisation_id, written_at)
       SELECT $1, $2, $3, id, $4, now() FROM ${fillers(CAPS.contributions)} f`,
      [sessionId, scheduled.id, w.territoryId, fillerOrg],
    );
    const contribution = await t
      .http()
      .put(`/sessions/${sessionId}/contributions/${scheduled.id}`)
      .set('authorization', `Bearer ${w.psychiatrist.token}`)
      .send({ text: 'Un avis de pratique sur le maintien dans le logement' });
    refusedAtCap(contribution, 'caseId', CAPS.contributions);
    expect(await count(`SELECT 1 FROM session_contributions WHERE session_id = $1 AND case_id = $2`, [sessionId, scheduled.id])).toBe(CAPS.contributions);

    // Attendance (the session opens: presence is recorded while it is held).
    await call(t, w.coordinator.token, 'post', `/sessions/${sessionId}/open`, undefined, 200);
    const charter = Number((await sql(`SELECT max(version)::int AS v FROM charter_versions WHERE commission_id = $1`, [w.commissionId]))[0].v);
    await sql(`INSERT INTO session_attendance (session_id, user_id, charter_version) SELECT $1, id, $2 FROM ${fillers(CAPS.attendance)} f`, [
      sessionId,
      charter,
    ]);
    const attend = await t.http().post(`/sessions/${sessionId}/attendance`).set('authorization', `Bearer ${w.psychiatrist.token}`).send();
    refusedAtCap(attend, 'userId', CAPS.attendance);
    expect(await count(`SELECT 1 FROM session_attendance WHERE session_id = $1`, [sessionId])).toBe(CAPS.attendance);
  });

  it("a situation's rectifications, reports made elsewhere, plan actions, notes and documents", async () => {
    expect(published('CaseViewDto', 'rectifications')).toBe(CAPS.rectifications);
    expect(published('CaseViewDto', 'externalReports')).toBe(CAPS.externalReports);
    expect(published('CaseViewDto', 'textReviews')).toBe(MAX_TEXT_REVIEWS);
    expect(published('CasePlanDto', 'actions')).toBe(CAPS.planActions);
    expect(published('PlanActionDto', 'notes')).toBe(CAPS.actionNotes);
    expect(published('DocumentListDto', 'items')).toBe(CAPS.documents);
    expect(published('DuplicatesDto', 'duplicates')).toBe(MAX_DUPLICATE_CANDIDATES);

    const openSession = await newSession(t, w, { startInDays: 0.001 });
    await call(t, w.coordinator.token, 'post', `/sessions/${openSession}/open`, undefined, 200);
    const viewOf = async (id: string) =>
      (await t.http().get(`/cases/${id}`).set('authorization', `Bearer ${w.coordinator.token}`)).body as { state: string; version: number };
    /** Past transitions of `event`, numbered far beyond the case's own versions. */
    const fillEvents = (caseId: string, event: string, n: number) =>
      sql(
        `INSERT INTO case_events (case_id, territory_id, event, from_state, to_state, version)
         SELECT $1, territory_id, $2, state, state, 100000 + g FROM cases, generate_series(1, $3) g WHERE id = $1`,
        [caseId, event, n],
      );

    // Rectifications.
    const submitted = await caseIn(t, w, 'submitted');
    await fillEvents(submitted.id, 'RECTIFY', CAPS.rectifications);
    const rectify = await postEvent(t, w.referrer.token, submitted.id, {
      type: 'RECTIFY',
      expectedVersion: submitted.version,
      summary: { district: 'Centre' },
    });
    refusedAtCap(rectify, 'type', CAPS.rectifications);
    expect((await viewOf(submitted.id)).version).toBe(submitted.version);

    // Reports made elsewhere, and notes of an action.
    const running = await caseIn(t, w, 'plan_active', openSession);
    await fillEvents(running.id, 'RECORD_EXTERNAL_REPORT', CAPS.externalReports);
    const report = await postEvent(t, w.referrer.token, running.id, {
      type: 'RECORD_EXTERNAL_REPORT',
      expectedVersion: running.version,
      kind: 'care_without_consent',
      madeAt: inDays(-2),
      madeBy: 'physician',
      legalBasis: 'csp_l3212_1_peril',
    });
    refusedAtCap(report, 'kind', CAPS.externalReports);
    expect((await viewOf(running.id)).version).toBe(running.version);

    const [action] = await sql(`SELECT id FROM actions WHERE case_id = $1 ORDER BY due_at LIMIT 1`, [running.id]);
    await sql(
      `UPDATE actions SET notes = (SELECT jsonb_agg(jsonb_build_object('n', g, 'authorUserId', NULL, 'authorOrganisationId', NULL, 'at', now())) FROM generate_series(1, $2) g)
        WHERE id = $1`,
      [action.id, CAPS.actionNotes],
    );
    const note = await t
      .http()
      .patch(`/cases/${running.id}/actions/${action.id as string}`)
      .set('authorization', `Bearer ${w.coordinator.token}`)
      .send({ status: 'in_progress', note: 'Rendez-vous pris au CMP' });
    refusedAtCap(note, 'note', CAPS.actionNotes);
    const [after] = await sql(`SELECT status, jsonb_array_length(notes) AS notes FROM actions WHERE id = $1`, [action.id]);
    expect(after).toEqual({ status: 'todo', notes: CAPS.actionNotes });

    // Plan actions: a plan adopted over a situation already holding the cap's worth.
    const inReview = await caseIn(t, w, 'in_review', openSession);
    await sql(
      `INSERT INTO actions (case_id, territory_id, title, owner_organisation_id, due_at, plan_version)
       SELECT $1, $2, 'Action de remplissage', $3, now() + interval '30 days', 1 FROM generate_series(1, $4) g`,
      [inReview.id, w.territoryId, w.orgs.health, CAPS.planActions - 1],
    );
    const adopt = await postEvent(t, w.coordinator.token, inReview.id, { type: 'ADOPT_PLAN', expectedVersion: inReview.version, ...plan(w) });
    refusedAtCap(adopt, 'actions', CAPS.planActions);
    expect(await viewOf(inReview.id)).toMatchObject({ state: 'in_review', version: inReview.version });
    expect(await count(`SELECT 1 FROM actions WHERE case_id = $1`, [inReview.id])).toBe(CAPS.planActions - 1);

    // Documents.
    await sql(
      `INSERT INTO case_documents (id, case_id, territory_id, class, media_type, size_bytes, chunk_count, key_version, name_sealed, stream_header, uploaded_by, uploaded_at)
       SELECT gen_random_uuid(), $1, $2, 'social', 'application/pdf', 1, 1, 1, decode('00', 'hex'), decode('00', 'hex'), $3, now() FROM generate_series(1, $4) g`,
      [submitted.id, w.territoryId, w.referrer.id, CAPS.documents],
    );
    const upload = await t
      .http()
      .post(`/cases/${submitted.id}/documents`)
      .set('authorization', `Bearer ${w.referrer.token}`)
      .field('class', 'social')
      .attach('file', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20)]), { filename: 'courrier.pdf', contentType: 'application/pdf' });
    refusedAtCap(upload, 'file', CAPS.documents);
    expect(await count(`SELECT 1 FROM case_documents WHERE case_id = $1`, [submitted.id])).toBe(CAPS.documents);
  });
});
