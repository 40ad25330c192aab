/**
 * Issue 15, items 1 to 4, through the HTTP API on the embedded PostgreSQL: the register names the
 * controller, the DPO, the host and the legal bases of each flow (and the situation's documents);
 * the information letter (while consent is awaited) and the consent receipt (after it is
 * recorded) are PDFs in plain French that hold the scope and none of the person's values; each
 * receipt mints a new transparency code (only its keyed digest is stored) and the previous one
 * stops working; the consent record follows the ISO/IEC TS 27560 fields with no protected value;
 * the transparency page (no account) shows organisations, kinds of information and dates only;
 * wrong codes get one uniform answer, are audited and throttled per reference and per client.
 */
import { findNeedles, scanDatabase } from '../factories/secrecy.js';
import { caseIn, grantedConsent, step, type CaseRef } from '../factories/lifecycle.js';
import { createWorldApp, IDENTITY, HEALTH_TEXT, SOCIAL_TEXT, type Account, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';
import { binary, pdfText } from '../support/pdf.js';
import { loadPolicy } from '../../src/access/policy.loader.js';

/** policies/transparency.yaml, as the server reads it. */
const LIMITS = loadPolicy('policies').transparency;

const CODE = /\b([2-9A-HJ-NP-Z]{4}(?:-[2-9A-HJ-NP-Z]{4}){4})\b/;
const NEEDLES = { ...IDENTITY, social: SOCIAL_TEXT, health: HEALTH_TEXT };

describe('the person informed: register, information letter, consent receipt and transparency code, consent record, transparency page', () => {
  let t: TestApp;
  let w: World;
  let awaiting: CaseRef;
  let consented: CaseRef;

  const as = (who: Account, method: 'get' | 'post', url: string, body?: object) => {
    const req = t.http()[method](url).set('authorization', `Bearer ${who.token}`);
    return body ? req.send(body) : req;
  };
  const pdf = async (who: Account, method: 'get' | 'post', url: string) => {
    const res = await as(who, method, url).buffer(true).parse(binary);
    return res;
  };
  /** The page without an account; `from`: the client's address, as the reverse proxy forwards it. */
  const transparency = (reference: string, code: string, from?: string) => {
    const req = t.http().post('/transparency');
    return (from ? req.set('x-forwarded-for', from) : req).send({ reference, code });
  };

  beforeAll(async () => {
    // Behind a reverse proxy: the client's address is the one it forwards (distinct clients of the throttle).
    ({ t, w } = await createWorldApp({ CELLULE_TRUST_PROXY: 'on' }));
    awaiting = await caseIn(t, w, 'awaiting_consent');
    consented = await caseIn(t, w, 'awaiting_consent');
    await step(
      t,
      w.referrer.token,
      consented,
      'RECORD_CONSENT',
      grantedConsent([
        { sector: 'health', classes: ['identity', 'health'] },
        { sector: 'housing', classes: ['identity'] },
      ]),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the register shows the controller, the DPO, the host, the legal bases of each flow and the situation documents', async () => {
    const json = await as(w.auditor, 'get', '/register');
    expect(json.status).toBe(200);
    expect(json.body.controller.name).toMatch(/\S/);
    expect(json.body.dpo.contact).toMatch(/\S/);
    expect(json.body.host.certification).toContain('HDS');
    expect(json.body.legalBases.map((b: { flow: string }) => b.flow)).toEqual([
      'referral',
      'consent_sharing',
      'session_review',
      'action_plan',
      'statistics',
      'audit',
    ]);
    const consent = json.body.legalBases.find((b: { flow: string }) => b.flow === 'consent_sharing');
    expect(consent.article6).toContain('6(1)(a)');
    expect(consent.article9).toContain('9(2)(a)');
    expect(consent.french).toContain('L1110-4');
    expect(json.body.documents.classes).toEqual(['identity', 'social', 'health']);
    const markdown = await as(w.auditor, 'get', '/register?format=markdown');
    expect(markdown.text).toContain('## Who is responsible');
    expect(markdown.text).toContain('**Data protection officer**');
    expect(markdown.text).toContain('| consent_sharing |');
    expect(markdown.text).toContain('**Documents**');
  });

  const letter = (who: Account, id: string, body: object = {}) => as(who, 'post', `/cases/${id}/consent/letter`, body).buffer(true).parse(binary);
  /** The letter's list of partners: one line per proposed sector, as extracted from the PDF. */
  const bullets = (flat: string) =>
    flat
      .split('•')
      .slice(1)
      .map((b) => b.slice(0, b.indexOf('.') + 1).trim());

  it('the information letter prints the scope the referrer proposes, and nothing outside it, with no value of the person', async () => {
    const res = await letter(w.referrer, awaiting.id, {
      scope: [
        { sector: 'housing', classes: ['identity'] },
        { sector: 'health', classes: ['health', 'identity'] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(res.body as Buffer);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`Référence de votre situation : ${awaiting.reference}`);
    expect(flat).toContain('Qui verra quoi ?');
    // Exactly the proposal, in the policies' order (sectors, then classes).
    expect(bullets(flat)).toEqual([
      'Les soignants (par exemple le centre médico-psychologique, le médecin) : votre identité (nom, prénom, adresse, téléphone) ; votre santé (soins, traitements).',
      'Le bailleur (l’organisme qui loue le logement) : votre identité (nom, prénom, adresse, téléphone).',
    ]);
    expect(flat).toContain('Personne d’autre ne reçoit ces informations.');
    expect(flat).toContain('Ce qui concerne votre santé est lu seulement par des soignants.');
    expect(flat).toContain('Un de ces partenaires qui fait une action pour vous peut recevoir vos coordonnées.');
    for (const outside of [
      'votre situation sociale',
      'travailleurs sociaux (par exemple',
      'services de la mairie',
      'associations qui accompagnent',
      'justice',
      'éducation',
    ]) {
      expect({ outside, found: flat.includes(outside) }).toEqual({ outside, found: false });
    }
    expect(flat).toContain('Votre accord dure au plus 12 mois.');
    expect(flat).toContain('effacées 2 ans après');
    expect(flat).toContain('Vous pouvez retirer votre accord à tout moment.');
    expect(flat).toContain('Nous vous répondons dans un délai d’un mois.');
    expect(flat).toContain('dpo@structure-porteuse.invalid');
    expect(findNeedles(text, NEEDLES)).toEqual([]);

    // A narrower proposal without health or identity: no word of health care, no coordinates.
    const social = await letter(w.otherReferrer, awaiting.id, { scope: [{ sector: 'social', classes: ['social'] }] });
    expect(social.status).toBe(200);
    const socialFlat = (await pdfText(social.body as Buffer)).replace(/\s+/g, ' ');
    expect(bullets(socialFlat)).toEqual([
      'Les travailleurs sociaux (par exemple le service social du département) : votre situation sociale (logement, ressources, famille).',
    ]);
    expect(socialFlat).not.toContain('votre santé (soins');
    expect(socialFlat).not.toContain('Ce qui concerne votre santé est lu seulement');
    expect(socialFlat).not.toContain('vos coordonnées');
    expect(socialFlat).not.toContain('votre identité');
  });

  it('the information letter without a proposal prints everything the policies allow: every sector but the coordination, every class', async () => {
    const res = await letter(w.referrer, awaiting.id);
    expect(res.status).toBe(200);
    const lines = bullets((await pdfText(res.body as Buffer)).replace(/\s+/g, ' '));
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      expect(line).toMatch(/: votre identité \(nom, prénom, adresse, téléphone\) ; votre santé \(soins, traitements\) ; votre situation sociale/);
    }
    expect(lines.join(' ')).not.toContain('coordination');
  });

  it('a proposal the policies do not allow is refused, naming the field; nothing is logged as given', async () => {
    const coordination = await as(w.referrer, 'post', `/cases/${awaiting.id}/consent/letter`, {
      scope: [{ sector: 'coordination', classes: ['identity'] }],
    });
    expect(coordination.status).toBe(400);
    expect(coordination.body.errors).toEqual([expect.objectContaining({ field: 'scope.0.sector' })]);
    const twice = await as(w.referrer, 'post', `/cases/${awaiting.id}/consent/letter`, {
      scope: [
        { sector: 'health', classes: ['health'] },
        { sector: 'health', classes: ['identity'] },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([expect.objectContaining({ field: 'scope.1.sector' })]);
    const notProtected = await as(w.referrer, 'post', `/cases/${awaiting.id}/consent/letter`, { scope: [{ sector: 'health', classes: ['plan'] }] });
    expect(notProtected.status).toBe(400);
    expect(JSON.stringify(notProtected.body.errors)).toContain('scope.0.classes');
    const empty = await as(w.referrer, 'post', `/cases/${awaiting.id}/consent/letter`, { scope: [] });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body.errors)).toContain('scope');
  });

  it('the information letter: for the referrer and their service, while consent is awaited; the proposal is logged', async () => {
    // Those none of whose roles can be the referrer or their service: as for an unknown situation.
    expect((await as(w.coordinator, 'post', `/cases/${awaiting.id}/consent/letter`, {})).status).toBe(404);
    expect((await as(w.psychiatrist, 'post', `/cases/${awaiting.id}/consent/letter`, {})).status).toBe(404);
    const later = await as(w.referrer, 'post', `/cases/${consented.id}/consent/letter`, {});
    expect(later.status).toBe(409);
    expect(later.body.allowedStates).toEqual(['awaiting_consent']);
    const audited = await t.db.dataSource.query(
      `SELECT case_id, decision, classes, purpose, detail->'proposed' AS proposed FROM audit_events
        WHERE action = 'case.information-letter' AND case_id = ANY($1) ORDER BY id`,
      [[awaiting.id, consented.id]],
    );
    expect(audited).toEqual([
      {
        case_id: awaiting.id,
        decision: 'allow',
        classes: ['meta'],
        purpose: 'referrer',
        proposed: [
          { sector: 'health', classes: ['identity', 'health'] },
          { sector: 'housing', classes: ['identity'] },
        ],
      },
      { case_id: awaiting.id, decision: 'allow', classes: ['meta'], purpose: 'referring_service', proposed: [{ sector: 'social', classes: ['social'] }] },
      { case_id: awaiting.id, decision: 'allow', classes: ['meta'], purpose: 'referrer', proposed: expect.arrayContaining([]) },
      { case_id: consented.id, decision: 'deny', classes: [], purpose: 'state', proposed: null },
    ]);
    expect(audited[2].proposed).toHaveLength(7);
  });

  let firstCode: string;

  it('the receipt lists the sectors × classes agreed, the expiry, how to withdraw, and a code stored only as a digest', async () => {
    expect((await as(w.referrer, 'post', `/cases/${awaiting.id}/consent/receipt`)).status).toBe(409);
    const res = await pdf(w.referrer, 'post', `/cases/${consented.id}/consent/receipt`);
    expect(res.status).toBe(200);
    const text = await pdfText(res.body as Buffer);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(consented.reference);
    expect(flat).toContain('Soin : votre identité (nom, prénom, adresse, téléphone) ; votre santé (soins, traitements).');
    expect(flat).toContain('Logement (bailleur) : votre identité');
    expect(flat).toMatch(/Votre accord s’arrête le \d{1,2} \S+ \d{4}\./);
    expect(flat).toContain('Vous pouvez retirer votre accord à tout moment.');
    expect(flat).toContain('l’ancien code ne marche plus');
    expect(findNeedles(text, NEEDLES)).toEqual([]);
    firstCode = CODE.exec(flat)![1];
    expect(firstCode.replace(/-/g, '')).toHaveLength(20); // 20 symbols of 32: 100 bits

    // Neither the code nor its symbols are in any table, the audit log included.
    const { hits } = await scanDatabase(t.db.dataSource, { code: firstCode, symbols: firstCode.replace(/-/g, '') });
    expect(hits).toEqual([]);
    const [stored] = await t.db.dataSource.query(`SELECT octet_length(digest) AS bytes FROM transparency_codes WHERE case_id = $1`, [consented.id]);
    expect(stored.bytes).toBe(32);
    const [entry] = await t.db.dataSource.query(
      `SELECT detail::text AS detail, classes FROM audit_events WHERE action = 'case.consent-receipt' AND case_id = $1 AND decision = 'allow'`,
      [consented.id],
    );
    expect(entry.classes).toEqual(['consent']);
    expect(entry.detail).not.toContain(firstCode.slice(0, 4));
  });

  it('the transparency page answers the right code with organisations, kinds of information and dates, nothing else', async () => {
    // Reads that the page must report: the referrer's, the coordinator's.
    await as(w.referrer, 'get', `/cases/${consented.id}`).expect(200);
    await as(w.coordinator, 'get', `/cases/${consented.id}`).expect(200);
    const res = await transparency(consented.reference.toLowerCase(), firstCode.toLowerCase().replace(/-/g, ' '));
    expect(res.status).toBe(200);
    expect(res.body.reference).toBe(consented.reference);
    expect(res.body.consent).toMatchObject({
      state: 'given',
      scope: [
        { sector: 'health', classes: ['identity', 'health'] },
        { sector: 'housing', classes: ['identity'] },
      ],
    });
    expect(res.body.consent.expiresAt).toEqual(expect.any(String));
    expect(res.body.withdrawal).toContain('retirer votre accord');
    const names = res.body.accesses.map((a: { organisation: string }) => a.organisation);
    expect(names).toEqual(expect.arrayContaining([expect.stringContaining('Service social départemental'), expect.stringContaining('Coordination CLSM')]));
    for (const access of res.body.accesses) {
      expect(Object.keys(access).sort()).toEqual(['at', 'classes', 'first', 'last', 'organisation', 'sector']);
      for (const c of access.classes) expect(Object.keys(c).sort()).toEqual(['class', 'count', 'first', 'last']);
    }
    // Never a professional's name or email, never content, never the person.
    const body = JSON.stringify(res.body);
    for (const who of [w.referrer, w.coordinator]) expect(body).not.toContain(who.email);
    expect(body).not.toMatch(/displayName|userId|actorId/);
    expect(findNeedles(body, NEEDLES)).toEqual([]);
    const [audited] = await t.db.dataSource.query(
      `SELECT actor_id, organisation_id, classes, purpose FROM audit_events WHERE action = 'transparency.read' AND decision = 'allow' AND case_id = $1`,
      [consented.id],
    );
    expect(audited).toEqual({ actor_id: null, organisation_id: null, classes: [], purpose: 'holds_transparency_code' });
  });

  it('a new receipt mints a new code: the previous one stops working', async () => {
    const again = await pdf(w.otherReferrer, 'post', `/cases/${consented.id}/consent/receipt`);
    expect(again.status).toBe(200);
    const secondCode = CODE.exec((await pdfText(again.body as Buffer)).replace(/\s+/g, ' '))![1];
    expect(secondCode).not.toBe(firstCode);
    expect((await transparency(consented.reference, secondCode)).status).toBe(200);
    const old = await transparency(consented.reference, firstCode);
    expect(old.status).toBe(404);
  });

  it('the consent record follows the ISO/IEC TS 27560 fields (as the W3C DPV guide quotes them), with classes and sectors and no protected value', async () => {
    const res = await as(w.coordinator, 'get', `/cases/${consented.id}/consent/record`);
    expect(res.status).toBe(200);
    const record = res.body;
    // Header, processing, parties, events: nothing else at the top.
    expect(Object.keys(record).sort()).toEqual(['events', 'parties', 'pii_principal_id', 'processing', 'record_id', 'schema_version']);
    expect(record).toMatchObject({ schema_version: 'ISO/IEC TS 27560:2023', record_id: expect.any(String), pii_principal_id: consented.reference });
    // One processing per sector agreed, with the classes released to it.
    expect(record.processing.map((p: { recipient_third_parties: string[] }) => p.recipient_third_parties)).toEqual([['sector:health'], ['sector:housing']]);
    const [health, housing] = record.processing;
    expect(Object.keys(health).sort()).toEqual(
      [
        'authority_party',
        'collection_method',
        'jurisdiction',
        'language',
        'lawful_basis',
        'pii_controllers',
        'pii_information',
        'privacy_notice',
        'privacy_rights',
        'purposes',
        'recipient_third_parties',
        'retention_period',
        'storage_locations',
        'withdrawal_method',
      ].sort(),
    );
    expect(health).toMatchObject({
      privacy_notice: 'cellule-information-letter',
      language: 'fr',
      purposes: [{ purpose: expect.stringContaining('Releasing'), purpose_type: 'consent_sharing' }],
      lawful_basis: expect.arrayContaining([expect.stringContaining('6(1)(a)'), expect.stringContaining('9(2)(a)')]),
      pii_information: [
        { pii_type: 'identity', special_pii_category: false },
        { pii_type: 'health', special_pii_category: true },
      ],
      pii_controllers: ['controller'],
      collection_method: 'written',
      retention_period: 'P730D after the situation is closed',
      jurisdiction: ['FR', 'EU'],
      withdrawal_method: expect.stringContaining('WITHDRAW_CONSENT'),
    });
    expect(housing.pii_information).toEqual([{ pii_type: 'identity', special_pii_category: false }]);
    // Every reference to a party names one of the parties.
    const ids = record.parties.map((p: { party_id: string }) => p.party_id);
    expect(ids).toEqual([consented.reference, 'controller', 'sector:health', 'sector:housing']);
    for (const p of record.processing) for (const id of [...p.pii_controllers, ...p.recipient_third_parties]) expect(ids).toContain(id);
    expect(record.parties[1]).toMatchObject({
      party_role: 'pii_controller',
      party_contact: expect.stringContaining('dpo@'),
      party_address: expect.any(String),
    });
    expect(record.events).toEqual([
      {
        event_time: expect.any(String),
        validity_duration: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z\/\d{4}-\d\d-\d\dT[\d:.]+Z$/),
        entity_id: consented.reference,
        event_type: 'explicit',
        event_state: 'given',
      },
    ]);
    expect(findNeedles(JSON.stringify(record), NEEDLES)).toEqual([]);
    expect((await as(w.referrer, 'get', `/cases/${awaiting.id}/consent/record`)).status).toBe(409);
    expect((await as(w.housingOfficer, 'get', `/cases/${consented.id}/consent/record`)).status).toBe(404);
  });

  it('wrong codes: one answer whether the reference exists or not, audited; one client failing on purpose cannot close the page, many clients can', async () => {
    const unknown = await transparency('CAS-1999-9999', 'AAAA-BBBB-CCCC-DDDD-EEEE');
    const wrong = await transparency(awaiting.reference, 'AAAA-BBBB-CCCC-DDDD-EEEE'); // a situation without any receipt
    expect(unknown.status).toBe(404);
    expect(wrong.status).toBe(404);
    expect(wrong.body.detail).toBe(unknown.body.detail);

    // The right code of `consented` was issued by the second receipt: get a fresh one to hold.
    const fresh = await pdf(w.referrer, 'post', `/cases/${consented.id}/consent/receipt`);
    const code = CODE.exec((await pdfText(fresh.body as Buffer)).replace(/\s+/g, ' '))![1];
    // This client (the test's own address) failed on the reference already (the old code): more of
    // its failures count once there, so neither the person nor this client is locked out.
    const again = LIMITS.referenceMaxClients + 2;
    for (let i = 0; i < again; i++) {
      expect((await transparency(consented.reference, `ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZ${(i % 8) + 2}`)).status).toBe(404);
    }
    expect((await transparency(consented.reference, code, '198.51.100.7')).status).toBe(200);
    expect((await transparency(consented.reference, code)).status).toBe(200);

    // Failures from distinct clients add up: at the limit the reference answers 429 to everyone, the right code too.
    for (let i = 1; i < LIMITS.referenceMaxClients; i++) {
      expect((await transparency(consented.reference, 'AAAA-BBBB-CCCC-DDDD-EEEE', `203.0.113.${i}`)).status).toBe(404);
    }
    const limited = await transparency(consented.reference, code, '198.51.100.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await transparency(consented.reference, code)).status).toBe(429);
    const denials = await t.db.dataSource.query(
      `SELECT detail FROM audit_events WHERE action = 'transparency.read' AND decision = 'deny' AND case_id = $1 ORDER BY id`,
      [consented.id],
    );
    // The old code's refusal, this client's repeats, the distinct clients; the last says the limit is reached.
    expect(denials).toHaveLength(1 + again + LIMITS.referenceMaxClients - 1);
    expect(denials.map((d: { detail: { clientsFailedOnReference: number } }) => d.detail.clientsFailedOnReference)).toEqual([
      ...Array.from({ length: 1 + again }, () => 1),
      ...Array.from({ length: LIMITS.referenceMaxClients - 1 }, (_, i) => i + 2),
    ]);
    expect(denials[denials.length - 1].detail).toMatchObject({ limitReached: true, clientsFailedOnReference: LIMITS.referenceMaxClients });
    expect(JSON.stringify(denials)).not.toContain('ZZZZ');
    const [unknownEntry] = await t.db.dataSource.query(
      `SELECT case_id, detail FROM audit_events WHERE action = 'transparency.read' AND detail->>'reference' = 'CAS-1999-9999'`,
    );
    expect(unknownEntry.case_id).toBeNull();

    // Per client: failures on other references add up until this address is refused everywhere.
    // This client failed so far: the old code, the unknown reference, the receipt-less one, and its repeats above.
    const spent = 3 + again;
    for (let i = spent; i < LIMITS.clientMaxFailures; i++) {
      expect((await transparency(`CAS-1998-${String(i).padStart(4, '0')}`, 'AAAA-BBBB-CCCC-DDDD-EEEE')).status).toBe(404);
    }
    expect((await transparency(awaiting.reference, 'AAAA-BBBB-CCCC-DDDD-EEEE')).status).toBe(429);
    // Another client is not.
    expect((await transparency(awaiting.reference, 'AAAA-BBBB-CCCC-DDDD-EEEE', '198.51.100.8')).status).toBe(404);
  });
});
