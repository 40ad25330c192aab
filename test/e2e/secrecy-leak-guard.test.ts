/**
 * Issue 3, "Leak guard", through the API: a pseudonymised text that carries the person's own
 * identifiers (names with accents, hyphens and case changed, birth date in French formats, phone
 * with dots or spaces, email, street address) or any phone/email/NIR is refused with 422 naming
 * the field — and the answer never repeats the value.
 */
import { caseBody, createWorldApp, IDENTITY, type World } from '../factories/world.js';
import { createCase, createSession, findNeedles, get, grantedConsent, planActions, post, step, type CaseHandle } from '../factories/secrecy.js';
import { type TestApp } from '../support/app.js';

const REFUSED: [string, string, string][] = [
  ['the last name as written', 'Mme Zéphyrin-Quatremare vit seule depuis 2019.', 'name'],
  ['the last name in capitals without accents', 'MME ZEPHYRIN-QUATREMARE VIT SEULE.', 'name'],
  ['the last name with a space for the hyphen', 'madame zephyrin quatremare vit seule.', 'name'],
  ['one part of the compound last name', 'M. Quatremare refuse les visites du bailleur.', 'name'],
  ['the first name', 'anatole refuse les visites du bailleur.', 'name'],
  ['the birth date as 14/03/1957', 'Personne née le 14/03/1957, vit seule.', 'birth_date'],
  ['the birth date as 14 mars 1957', 'Personne née le 14 mars 1957, vit seule.', 'birth_date'],
  ['the birth date as 14.03.57', 'Née le 14.03.57, vit seule.', 'birth_date'],
  ['the phone with dots', 'Joignable au 06.12.34.56.78 le matin.', 'phone'],
  ['the phone with spaces', 'Joignable au 06 12 34 56 78 le matin.', 'phone'],
  ['the phone in international form', 'Joignable au +33 6 12 34 56 78 le matin.', 'phone'],
  ['the email', 'Écrit parfois à Anatole.ZQ@exemple.fr pour ses rendez-vous.', 'email'],
  ['the street address', 'Vit au 17, rue des Capucines, au troisième.', 'address'],
  ['another phone number', 'La voisine appelle le 07 98 76 54 32 chaque semaine.', 'phone'],
  ['another email address', 'La voisine écrit à voisine.inquiete@mail.example.org.', 'email'],
  ['a NIR', 'Immatriculé 1 57 03 75 056 123 45 à la CPAM.', 'nir'],
];

const ACCEPTED: [string, string][] = [
  ['an age and a flat', 'Personne de 67 ans, vit seule dans un T2 au troisième étage.'],
  ['a day and month without a year', 'Le 14 mars, le bailleur a relancé par courrier.'],
  ['a year alone', 'Dette locative de 1957 euros au dernier décompte.'],
  ['words close to the names', 'Un vent de zéphyr, quatre mares au fond du jardin, retour d’Anatolie.'],
  ['a district without a street number', 'Suivi dans le quartier des Capucines par le CCAS.'],
  ['short service numbers', 'Orientation vers le 3919 et le 115 expliquée.'],
];

describe('secrecy: the leak guard through the API', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });

  afterAll(async () => {
    await t?.close();
  });

  function withSummary(field: string, text: string) {
    const body = caseBody(w.commissionId) as ReturnType<typeof caseBody> & { summary: Record<string, unknown> };
    return { ...body, summary: { ...body.summary, [field]: text } };
  }

  /** The answer must not carry the refused text, any identity value, nor their folded forms. */
  function echoes(text: string, snippet: string): string[] {
    const needles: Record<string, string> = { ...IDENTITY, snippet };
    // The distinctive parts of each refused text: digit groups and email addresses.
    for (const m of snippet.match(/\d[\d .+-]{5,}\d|[\p{L}\p{N}._-]+@[\p{L}\p{N}.-]+/gu) ?? []) needles[`part:${m}`] = m;
    return findNeedles(text, needles);
  }

  it.each(REFUSED)('POST /cases refuses a summary narrative with %s: 422 naming summary.narrative, never the value', async (_label, text, kind) => {
    const res = await post(t, w.referrer.token, '/cases', withSummary('narrative', text));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/identifying_text$/), status: 422, kind, errors: [{ field: 'summary.narrative' }] });
    expect(res.body.detail).toContain('summary.narrative');
    expect(echoes(res.text, text)).toEqual([]);
  });

  it('names the field that leaks: question, alreadyTried, expectations', async () => {
    for (const field of ['question', 'alreadyTried', 'expectations']) {
      const res = await post(t, w.referrer.token, '/cases', withSummary(field, 'Que faire pour M. Zephyrin-Quatremare ?'));
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: `summary.${field}`, message: expect.any(String) }]);
      expect(echoes(res.text, 'Zephyrin-Quatremare')).toEqual([]);
    }
  });

  it.each(ACCEPTED)('accepts a narrative with %s', async (_label, text) => {
    const res = await post(t, w.referrer.token, '/cases', withSummary('narrative', text));
    expect(res.status).toBe(201);
  });

  it('nothing of a refused case was stored', async () => {
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM cases`);
    expect(n).toBe(ACCEPTED.length);
  });

  describe('ADOPT_PLAN', () => {
    let c: CaseHandle;
    beforeAll(async () => {
      const session = await createSession(t, w, true);
      c = await createCase(t, w.referrer.token, caseBody(w.commissionId));
      await step(t, w.referrer.token, c, 'SUBMIT');
      await step(t, w.coordinator.token, c, 'ACCEPT');
      await step(t, w.referrer.token, c, 'RECORD_CONSENT', grantedConsent([{ sector: 'housing', classes: ['identity'] }]));
      await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId: session });
      await step(t, w.coordinator.token, c, 'START_REVIEW');
    });

    // Issue 10: the coordinator may not see the identity, so a title is checked only against the
    // generic patterns (the same answer whatever the identity): a phone number is refused, naming
    // the field in full and the kind. A title naming the person is held instead (below).
    it('refuses an action title with a phone number: 422 naming actions.1.title, and nothing is applied', async () => {
      const actions = planActions([w.orgs.housing, w.orgs.health]);
      const title = 'Rappeler la personne au 06.12.34.56.78';
      actions[1].title = title;
      const res = await post(t, w.coordinator.token, `/cases/${c.id}/events`, { type: 'ADOPT_PLAN', expectedVersion: c.version, actions });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ errors: [{ field: 'actions.1.title', message: expect.any(String) }], kind: 'phone' });
      expect(echoes(res.text, title)).toEqual([]);
      const after = await get(t, w.coordinator.token, `/cases/${c.id}`);
      expect(after.body).toMatchObject({ state: 'in_review', version: c.version });
      expect(after.body.plan.actions).toEqual([]);
    });

    it('accepts pseudonymised titles, and holds one that names the person: its author reads it, the referrer reviews it, nobody else sees it', async () => {
      const actions = planActions([w.orgs.housing, w.orgs.health]);
      actions[0].title = 'Accompagner Mme ZEPHYRIN vers le CMP';
      await step(t, w.coordinator.token, c, 'ADOPT_PLAN', { actions });
      expect(c.state).toBe('plan_active');
      const asAuthor = await get(t, w.coordinator.token, `/cases/${c.id}`);
      expect(asAuthor.body.plan.actions.map((a: { title: string }) => a.title).sort()).toEqual([actions[0].title, actions[1].title].sort());
      expect(asAuthor.body.textReviews).toBeUndefined();
      const asReferrer = await get(t, w.referrer.token, `/cases/${c.id}`);
      expect(asReferrer.body.textReviews).toEqual([
        { field: expect.stringMatching(/^actions\.[0-9a-f-]{36}\.title$/), heldAt: expect.any(String), text: actions[0].title },
      ]);
      // The clear column never holds it.
      const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM actions WHERE case_id = $1 AND title ILIKE '%zephyrin%'`, [c.id]);
      expect(n).toBe(0);
    });
  });
});
