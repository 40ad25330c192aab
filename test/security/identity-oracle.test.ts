/**
 * Issue 10, point 1: the leak guard as a guessing oracle. Someone who may not see the person's
 * identity — the coordinator, an action owner whose sector the consent leaves out — puts candidate
 * surnames, birth dates and streets into an action note, a plan title or a closing outcome and
 * watches for a 422. Each attack is run as that insider would: every answer must be the same for
 * the right guess as for the wrong ones (status, body, what they read back afterwards). What
 * protects the person then: the text naming them is held (sealed as identity, withheld from
 * partners, listed for the referrer), never written in clear.
 */
import { caseBody, createWorldApp, IDENTITY, type World } from '../factories/world.js';
import { findNeedles, get, patch, planActions, post, type CaseHandle } from '../factories/secrecy.js';
import { actionOf, attend, caseInReview, caseWithPlan, openSession } from '../factories/security.js';
import { type TestApp } from '../support/app.js';

const WRONG_NAMES = ['Martin', 'Bernard', 'Dubois', 'Lefebvre', 'Moreau'];
const RIGHT_NAME = 'Quatremare';
const WRONG_BIRTH_DATES = ['12/03/1957', '14/04/1957', '14/03/1958'];
const RIGHT_BIRTH_DATE = '14/03/1957';
const WRONG_STREETS = ['17 rue des Lilas', '18 rue des Capucines', '17 avenue Foch'];
const RIGHT_STREET = '17 rue des Capucines';

/** What an answer tells its caller, without what differs anyway from one request to the next. */
function shape(res: { status: number; body: Record<string, unknown> }) {
  const { version: _v, updatedAt: _u, id: _i, ...rest } = res.body ?? {};
  return { status: res.status, body: rest };
}

describe('security: the leak guard is no identity oracle', () => {
  let t: TestApp;
  let w: World;
  let session: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    session = (await openSession(t, w)).id;
    await attend(t, session, [w.housingOfficer.token]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('by action note: the landlord, whose sector the consent leaves out, gets the same 200 for every guessed surname, birth date and street', async () => {
    // The consent names health only: the landlord, owner of an action, may not see the identity.
    const c = await caseWithPlan(t, w, session, [{ sector: 'health', classes: ['identity', 'health'] }], [w.orgs.housing]);
    const url = `/cases/${c.id}/actions/${await actionOf(t, w, c.id, w.orgs.housing)}`;
    const answers: ReturnType<typeof shape>[] = [];
    for (const guess of [...WRONG_NAMES, RIGHT_NAME])
      answers.push(shape(await patch(t, w.housingOfficer.token, url, { status: 'in_progress', note: `Rencontré M. ${guess} ce matin` })));
    for (const guess of [...WRONG_BIRTH_DATES, RIGHT_BIRTH_DATE])
      answers.push(shape(await patch(t, w.housingOfficer.token, url, { status: 'in_progress', note: `Né le ${guess}` })));
    for (const guess of [...WRONG_STREETS, RIGHT_STREET])
      answers.push(shape(await patch(t, w.housingOfficer.token, url, { status: 'in_progress', note: `Visite au ${guess}` })));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].status).toBe(200);
    // The coordinator's notes alike.
    const fromCoordinator = await patch(t, w.coordinator.token, url, { status: 'in_progress', note: `Appel de M. ${RIGHT_NAME}` });
    expect(fromCoordinator.status).toBe(200);
    // What protects the person: a note naming them is held for the referrer, not stored as a plan
    // note. Since issue 12 each note of the thread has its own field: every held one is listed.
    const referrer = await get(t, w.referrer.token, `/cases/${c.id}`);
    const reviews = referrer.body.textReviews as { field: string; text: string }[];
    expect(reviews.map((r) => r.text)).toContain(`Appel de M. ${RIGHT_NAME}`);
    const prefix = url.replace(/^\/cases\/[^/]+\/actions\/(.+)$/, 'actions.$1.notes.');
    for (const review of reviews) expect(review.field.startsWith(prefix)).toBe(true);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM case_fields WHERE case_id = $1 AND class = 'plan' AND field LIKE 'note_%'`, [
      c.id,
    ]);
    expect(n).toBe(answers.length + 1 - reviews.length);
  });

  it('by plan title: the coordinator adopting a plan whose title names the person gets the same answer as for a wrong name, and reads the same plan', async () => {
    const scope = [{ sector: 'housing' as const, classes: ['identity' as const] }];
    const wrong = await caseInReview(t, w, session, scope);
    const right = await caseInReview(t, w, session, scope);
    const adopt = async (c: CaseHandle, name: string) => {
      const actions = planActions([w.orgs.housing]);
      actions[0].title = `Visite à domicile chez M. ${name}`;
      return post(t, w.coordinator.token, `/cases/${c.id}/events`, { type: 'ADOPT_PLAN', expectedVersion: c.version, actions });
    };
    const answers = [shape(await adopt(wrong, WRONG_NAMES[0])), shape(await adopt(right, RIGHT_NAME))];
    expect(answers[0].status).toBe(200);
    expect(answers[1]).toEqual(answers[0]);
    // Read back by its author, each plan shows the title as written: nothing tells them apart.
    const titles = async (c: CaseHandle) =>
      ((await get(t, w.coordinator.token, `/cases/${c.id}`)).body.plan.actions as { title: string }[]).map((a) => a.title);
    expect(await titles(wrong)).toEqual([`Visite à domicile chez M. ${WRONG_NAMES[0]}`]);
    expect(await titles(right)).toEqual([`Visite à domicile chez M. ${RIGHT_NAME}`]);
    // The landlord, who may see the name, owns the action: the held title is not released to
    // them as plan content (only its author and the referrer read it).
    const owner = await get(t, w.housingOfficer.token, `/cases/${right.id}`);
    expect(findNeedles(JSON.stringify(owner.body.plan), { name: RIGHT_NAME })).toEqual([]);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM actions WHERE case_id = $1 AND title ILIKE '%quatremare%'`, [right.id]);
    expect(n).toBe(0);
  });

  it('by closing outcome: the coordinator gets the same answer whether the outcome names the person or not', async () => {
    const wrong = await caseInReview(t, w, session, null);
    const right = await caseInReview(t, w, session, null);
    const close = (c: CaseHandle, guess: string) =>
      post(t, w.coordinator.token, `/cases/${c.id}/events`, {
        type: 'CLOSE',
        expectedVersion: c.version,
        outcome: `Orientation de la personne née le ${guess}`,
      });
    const answers = [shape(await close(wrong, WRONG_BIRTH_DATES[0])), shape(await close(right, RIGHT_BIRTH_DATE))];
    expect(answers[0].status).toBe(200);
    expect(answers[1]).toEqual(answers[0]);
    // And still refuses, for anyone, what refuses whatever the identity: a phone number.
    const third = await caseInReview(t, w, session, null);
    const phone = await post(t, w.coordinator.token, `/cases/${third.id}/events`, {
      type: 'CLOSE',
      expectedVersion: third.version,
      outcome: 'Joindre le 06 11 22 33 44',
    });
    expect(phone.status).toBe(422);
    expect(phone.body).toMatchObject({ errors: [{ field: 'outcome' }], kind: 'phone' });
  });

  it('the referrer, who may see the identity, is still told precisely (no oracle to close there)', async () => {
    const res = await post(t, w.referrer.token, '/cases', {
      ...caseBody(w.commissionId),
      summary: { ...caseBody(w.commissionId).summary, narrative: `M. ${IDENTITY.lastName} vit seul` },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ errors: [{ field: 'summary.narrative' }], kind: 'name' });
  });

  it('a closing outcome in free text is released like health, not as the summary every coordinator and attendee reads', async () => {
    const c = await caseInReview(t, w, session, [{ sector: 'health', classes: ['health'] }]);
    const outcome = 'Hospitalisation au CHS, traitement repris';
    expect((await post(t, w.coordinator.token, `/cases/${c.id}/events`, { type: 'CLOSE', expectedVersion: c.version, outcome })).status).toBe(200);
    const asCoordinator = await get(t, w.coordinator.token, `/cases/${c.id}`);
    expect(findNeedles(asCoordinator.text, { outcome })).toEqual([]);
    const asReferrer = await get(t, w.referrer.token, `/cases/${c.id}`);
    expect(asReferrer.body.health.outcomeText).toBe(outcome);
    expect(asReferrer.body.summary.outcomeText).toBeUndefined();
  });
});
