/**
 * Issue 3, "No plaintext anywhere": cases with distinctive identity, health, social and free-text
 * values go through the whole workflow (and through refused attempts), then every column of every
 * table of the database is read back and searched for those values, as written and accent-folded;
 * so are the server's logs and every answer the API gave.
 */
import { caseBody, createWorldApp, type World } from '../factories/world.js';
import {
  createCase,
  createSession,
  findNeedles,
  get,
  grantedConsent,
  patch,
  planActions,
  post,
  refusedConsent,
  scanDatabase,
  seenAnswers,
  step,
} from '../factories/secrecy.js';
import { type TestApp } from '../support/app.js';

const PERSON = {
  lastName: 'Wojciechowska-Ébrard',
  firstName: 'Ysaline',
  birthDate: '1948-11-27',
  address: '9 impasse des Grillons Bleus',
  phone: '07 61 52 43 34',
  email: 'ysaline.webrard@courriel.example',
};

/** Texts stored only as ciphertext: protected classes, the summary's free text, evidence, notes. */
const SECRET_TEXTS = {
  social: 'Surendettement auprès de la banque Pivoine, commission saisie en octobre',
  health: 'Schizophrénie paranoïde, palipéridone injectable mensuelle',
  question: 'Quelle coordination pour préserver le maintien à domicile malgré les refus répétés ?',
  narrative: 'Repli marqué depuis le décès du conjoint, réfrigérateur vide lors de la visite',
  alreadyTried: 'Trois visites conjointes avec la conseillère Myosotis du bailleur',
  expectations: 'Un accompagnement partagé avec le secteur de psychiatrie Glycine',
  evidence: 'Formulaire signé remis en main propre, copie au classeur violet',
  rejectReason: 'Relève du dispositif départemental de gérontologie Hortensia',
  orientation: 'Plateforme territoriale Capucine',
  justification: 'Hospitalisation au long cours, personne injoignable, avis de pratique sollicité',
  note: 'Rendez-vous fixé avec la conseillère Pervenche du bailleur',
};

const NEEDLES: Record<string, string> = { ...PERSON, ...SECRET_TEXTS };

describe('secrecy: no plaintext in the database, the logs or the answers', () => {
  let t: TestApp;
  let w: World;

  function body(overrides: Record<string, unknown> = {}) {
    const base = caseBody(w.commissionId);
    return {
      ...base,
      identity: PERSON,
      summary: {
        ...base.summary,
        question: SECRET_TEXTS.question,
        narrative: SECRET_TEXTS.narrative,
        alreadyTried: SECRET_TEXTS.alreadyTried,
        expectations: SECRET_TEXTS.expectations,
      },
      social: { narrative: SECRET_TEXTS.social },
      health: { narrative: SECRET_TEXTS.health },
      ...overrides,
    };
  }

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    const ref = w.referrer.token;
    const coord = w.coordinator.token;
    const session = await createSession(t, w, true);
    for (const member of [w.psychiatrist, w.housingOfficer]) await post(t, member.token, `/sessions/${session}/attendance`);

    // A: the whole life of a consented case, read by everyone involved.
    const a = await createCase(t, ref, body());
    await step(t, ref, a, 'SUBMIT');
    await step(t, coord, a, 'ACCEPT');
    const scope = [
      { sector: 'health' as const, classes: ['health' as const, 'social' as const] },
      { sector: 'housing' as const, classes: ['identity' as const] },
    ];
    await step(t, ref, a, 'RECORD_CONSENT', grantedConsent(scope, { evidence: SECRET_TEXTS.evidence }));
    await step(t, coord, a, 'SCHEDULE', { sessionId: session });
    await step(t, coord, a, 'START_REVIEW');
    await get(t, w.psychiatrist.token, `/sessions/${session}/dossier`);
    await step(t, coord, a, 'ADOPT_PLAN', { actions: planActions([w.orgs.housing, w.orgs.health]) });
    const view = await get(t, w.housingOfficer.token, `/cases/${a.id}`);
    const housingAction = view.body.plan.actions.find((x: { ownerOrganisationId: string }) => x.ownerOrganisationId === w.orgs.housing);
    await patch(t, w.housingOfficer.token, `/cases/${a.id}/actions/${housingAction.id}`, { status: 'in_progress', note: SECRET_TEXTS.note });
    await step(t, coord, a, 'FOLLOW_UP_DUE');
    await step(t, coord, a, 'CONTINUE');
    await step(t, coord, a, 'FOLLOW_UP_DUE');
    await step(t, coord, a, 'CLOSE', { outcome: 'Maintien à domicile consolidé' });
    await step(t, coord, a, 'REOPEN');
    for (const token of [ref, coord, w.psychiatrist.token, w.housingOfficer.token, w.auditor.token, w.admin.token, w.townOfficer.token]) {
      await get(t, token, `/cases/${a.id}`);
      await get(t, token, `/cases/${a.id}/history`);
    }

    // B: the same person written differently, rejected with a sealed reason; duplicates checked.
    const b = await createCase(t, ref, body({ identity: { ...PERSON, lastName: 'WOJCIECHOWSKA ebrard', firstName: 'ysaline' } }));
    await step(t, ref, b, 'SUBMIT');
    await get(t, coord, `/cases/${a.id}/duplicates`);
    await step(t, coord, b, 'REJECT', { reason: SECRET_TEXTS.rejectReason, suggestedOrientation: SECRET_TEXTS.orientation });

    // C: refused, reviewed anonymously with a sealed justification, then withdrawn.
    const c = await createCase(t, ref, body());
    await step(t, ref, c, 'SUBMIT');
    await step(t, coord, c, 'ACCEPT');
    await step(t, ref, c, 'RECORD_CONSENT', refusedConsent());
    await step(t, ref, c, 'REVIEW_WITHOUT_CONSENT', { justification: SECRET_TEXTS.justification });
    await step(t, ref, c, 'WITHDRAW_CONSENT');

    // Refused attempts whose bodies carry the values: none may come back, be logged or stored.
    await post(t, ref, '/cases', body({ summary: { ...body().summary, narrative: `Mme ${PERSON.lastName}, ${PERSON.phone}` } }));
    await post(t, ref, '/cases', { ...body(), nir: '2 48 11 75 056 123 45', extra: PERSON.email });
    await post(t, ref, '/cases', body({ identity: { ...PERSON, birthDate: '27/11/1948', phone: `tel ${PERSON.phone}` } }));
    // (An urgent referral is no longer refused but stored with the emergency pointer: issue 12.)
    await post(t, coord, '/cases', body());
    await post(t, coord, `/cases/${a.id}/events`, {
      type: 'CLOSE',
      expectedVersion: a.version,
      outcome: `Relogement de ${PERSON.firstName} ${PERSON.lastName}`,
    });
    await post(t, ref, `/cases/${c.id}/events`, { type: 'REOPEN', expectedVersion: c.version, justification: SECRET_TEXTS.justification });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the scan finds values that are stored in clear (text and bytea), so its silence means something', async () => {
    await t.db.dataSource.query(`CREATE TABLE scan_probe (b bytea)`);
    await t.db.dataSource.query(`INSERT INTO scan_probe VALUES (convert_to($1, 'LATIN1')), (convert_to($2, 'UTF8'))`, [PERSON.lastName, PERSON.firstName]);
    try {
      const { hits } = await scanDatabase(t.db.dataSource, { ...PERSON, district: 'Quartier des Tilleuls', title: 'Action partagée numéro 1' });
      expect(hits).toEqual(
        expect.arrayContaining([
          { table: 'cases', column: 'district', needle: 'district' },
          { table: 'actions', column: 'title', needle: 'title' },
          { table: 'scan_probe', column: 'b', needle: 'lastName' },
          { table: 'scan_probe', column: 'b', needle: 'firstName' },
        ]),
      );
    } finally {
      await t.db.dataSource.query(`DROP TABLE scan_probe`);
    }
  });

  it('no column of any table holds an identity, health, social or free-text value in clear', async () => {
    const { hits, tables, columns } = await scanDatabase(t.db.dataSource, NEEDLES);
    expect(tables).toBeGreaterThanOrEqual(20);
    expect(columns).toBeGreaterThan(150);
    expect(hits).toEqual([]);
    // And the ciphertexts are there: the values were stored, encrypted.
    const rows: { class: string; n: number }[] = await t.db.dataSource.query(`SELECT class, count(*)::int AS n FROM case_fields GROUP BY class ORDER BY class`);
    const sealed = Object.fromEntries(rows.map((r) => [r.class, r.n]));
    // 3 cases × (6 identity fields, 1 health, 1 social, 4 summary texts) + reject reason/orientation,
    // consent evidence + anonymous justification, the action note.
    expect(sealed).toEqual({ identity: 18, health: 3, social: 3, summary: 14, consent: 2, plan: 1 });
  });

  it('the server logs hold none of them', () => {
    expect(t.logs.length).toBeGreaterThan(50);
    expect(findNeedles(t.logs.join('\n'), NEEDLES)).toEqual([]);
    expect(findNeedles(t.printed.join('\n'), NEEDLES)).toEqual([]);
  });

  it('no error answer repeats them, nor does any answer to a viewer not entitled to them', async () => {
    const errors = seenAnswers.filter((a) => a.status >= 400);
    expect(errors.length).toBeGreaterThanOrEqual(7);
    expect(errors.map((a) => a.status).sort()).toEqual(expect.arrayContaining([400, 403, 404, 409, 422]));
    for (const answer of errors)
      expect({ url: answer.url, status: answer.status, found: findNeedles(answer.text, NEEDLES) }).toEqual({
        url: answer.url,
        status: answer.status,
        found: [],
      });
    const coordinatorOnly = await get(t, w.coordinator.token, `/cases?limit=200`);
    expect(findNeedles(coordinatorOnly.text, NEEDLES)).toEqual([]);
  });
});
