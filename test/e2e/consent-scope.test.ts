/**
 * The scope of a consent, by the one rule of src/consent/proposal.ts, on the embedded PostgreSQL
 * with policies narrowed as a deployment may narrow them (a copy of policies/): the justice sector
 * learns nothing (sectors.yaml `involvement: nothing`, as the coordination) and no relation
 * receives health under consent (visibility.yaml). RECORD_CONSENT naming what the policies could
 * never release is a 400 naming the field, with nothing written; the situation's answer gives
 * those who print the letter or record the consent exactly what may be proposed.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caseIn, get, grantedConsent, postEvent, type CaseRef } from '../factories/lifecycle.js';
import { createWorldApp, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

/** What the narrowed policies allow a proposal or a consent to name, in their order. */
const PROPOSABLE = {
  sectors: ['health', 'social', 'housing', 'municipal', 'association', 'education'],
  classes: ['identity', 'social'],
};

function narrowedPolicies(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-policies-'));
  cpSync('policies', dir, { recursive: true });
  const edit = (file: string, from: string, to: string) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file}: "${from}" not found`);
    writeFileSync(path.join(dir, file), text.replace(from, to));
  };
  edit(
    'sectors.yaml',
    'justice:      { regime: discretion,            basis: "charter",               involvement: social }',
    'justice:      { regime: discretion,            basis: "charter",               involvement: nothing }',
  );
  edit('visibility.yaml', '      social: { fields: all }\n      health: { fields: all }\n', '      social: { fields: all }\n');
  return dir;
}

describe('the scope of a consent: only what the policies could release under consent', () => {
  let t: TestApp;
  let w: World;
  let policiesDir: string;
  let awaiting: CaseRef;

  beforeAll(async () => {
    policiesDir = narrowedPolicies();
    ({ t, w } = await createWorldApp({ CELLULE_POLICIES_DIR: policiesDir }));
    awaiting = await caseIn(t, w, 'awaiting_consent');
  });
  afterAll(async () => {
    await t?.close();
    if (policiesDir) rmSync(policiesDir, { recursive: true, force: true });
  });

  /** What the database holds of the case's consent and transitions. */
  const written = async (id: string) => {
    const [cases] = await t.db.dataSource.query(`SELECT state, version FROM cases WHERE id = $1`, [id]);
    const [{ consents }] = await t.db.dataSource.query(`SELECT count(*)::int AS consents FROM consents WHERE case_id = $1`, [id]);
    const [{ transitions }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS transitions FROM case_events WHERE case_id = $1 AND event = 'RECORD_CONSENT'`,
      [id],
    );
    return { ...cases, consents, transitions };
  };

  it.each([
    ['the coordination', [{ sector: 'coordination', classes: ['identity'] }], 'scope.0.sector'],
    ['a sector the deployment releases nothing to', [{ sector: 'justice', classes: ['social'] }], 'scope.0.sector'],
    [
      'a class no relation receives under consent',
      [
        { sector: 'social', classes: ['social'] },
        { sector: 'health', classes: ['identity', 'health'] },
      ],
      'scope.1.classes.1',
    ],
  ])('RECORD_CONSENT naming %s is a 400 naming the field, and nothing is written', async (_what, scope, field) => {
    const before = await written(awaiting.id);
    expect(before).toEqual({ state: 'awaiting_consent', version: awaiting.version, consents: 0, transitions: 0 });
    const res = await postEvent(t, w.referrer.token, awaiting.id, { type: 'RECORD_CONSENT', expectedVersion: awaiting.version, ...grantedConsent(scope) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    expect(await written(awaiting.id)).toEqual(before);
  });

  it('the letter refuses the same sectors and classes (one rule)', async () => {
    const justice = await t
      .http()
      .post(`/cases/${awaiting.id}/consent/letter`)
      .set('authorization', `Bearer ${w.referrer.token}`)
      .send({
        scope: [{ sector: 'justice', classes: ['identity'] }],
      });
    expect(justice.status).toBe(400);
    expect(justice.body.errors).toEqual([expect.objectContaining({ field: 'scope.0.sector' })]);
    const health = await t
      .http()
      .post(`/cases/${awaiting.id}/consent/letter`)
      .set('authorization', `Bearer ${w.referrer.token}`)
      .send({
        scope: [{ sector: 'health', classes: ['health'] }],
      });
    expect(health.status).toBe(400);
    expect(health.body.errors).toEqual([expect.objectContaining({ field: 'scope.0.classes.0' })]);
  });

  it('the situation tells those who print the letter or record the consent what may be proposed; nobody else', async () => {
    // The referrer (letter and consent) and their service (the letter): exactly the narrowed lists.
    for (const who of [w.referrer, w.otherReferrer]) {
      const res = await get(t, who.token, `/cases/${awaiting.id}`);
      expect(res.status).toBe(200);
      expect(res.body.proposable).toEqual(PROPOSABLE);
    }
    // The coordinator reads the situation but neither prints the letter nor records a consent.
    const coordinator = await get(t, w.coordinator.token, `/cases/${awaiting.id}`);
    expect(coordinator.status).toBe(200);
    expect(coordinator.body.allowedEvents).not.toContain('RECORD_CONSENT');
    expect(coordinator.body).not.toHaveProperty('proposable');
    // Without a relation to the situation: as for an unknown one.
    for (const who of [w.psychiatrist, w.auditor]) expect((await get(t, who.token, `/cases/${awaiting.id}`)).status).toBe(404);
  });

  it('a consent within what may be proposed is recorded as sent', async () => {
    const scope = [
      { sector: 'housing', classes: ['identity'] },
      { sector: 'health', classes: ['social', 'identity'] },
    ];
    const res = await postEvent(t, w.referrer.token, awaiting.id, { type: 'RECORD_CONSENT', expectedVersion: awaiting.version, ...grantedConsent(scope) });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('ready_for_review');
    const [row] = await t.db.dataSource.query(`SELECT scope FROM consents WHERE case_id = $1`, [awaiting.id]);
    expect(row.scope).toEqual(scope);
  });
});
