/**
 * Issue 3, "Duplicate detection without names": the keyed, truncated blind index of folded names
 * and birth date finds the same person written differently; the coordinator gets references only.
 */
import { call, caseBody, createWorldApp, IDENTITY, login, PASSWORD, type World } from '../factories/world.js';
import { createCase, findNeedles, get, type CaseHandle } from '../factories/secrecy.js';
import { type TestApp } from '../support/app.js';

describe('secrecy: duplicates by blind index', () => {
  let t: TestApp;
  let w: World;
  let original: CaseHandle;
  let sameAgain: CaseHandle;
  let otherBirthDate: CaseHandle;
  let otherPerson: CaseHandle;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    original = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    // The same person, written by another referrer: capitals, no accents, a space for the hyphen.
    sameAgain = await createCase(
      t,
      w.otherReferrer.token,
      caseBody(w.commissionId, { identity: { ...IDENTITY, lastName: 'ZEPHYRIN QUATREMARE', firstName: 'anatole ', address: undefined, phone: undefined } }),
    );
    otherBirthDate = await createCase(t, w.referrer.token, caseBody(w.commissionId, { identity: { ...IDENTITY, birthDate: '1957-03-15' } }));
    otherPerson = await createCase(t, w.referrer.token, caseBody(w.commissionId, { identity: { ...IDENTITY, firstName: 'Anatolie' } }));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists the same person written with other accents, case and separators — by reference, without identity', async () => {
    const res = await get(t, w.coordinator.token, `/cases/${original.id}/duplicates`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      caseId: original.id,
      reference: original.reference,
      duplicates: [{ caseId: sameAgain.id, reference: sameAgain.reference, state: 'draft' }],
    });
    expect(findNeedles(res.text, IDENTITY)).toEqual([]);
    const back = await get(t, w.coordinator.token, `/cases/${sameAgain.id}/duplicates`);
    expect(back.body.duplicates.map((d: { caseId: string }) => d.caseId)).toEqual([original.id]);
  });

  it('does not list another birth date or another first name', async () => {
    for (const c of [otherBirthDate, otherPerson]) {
      const res = await get(t, w.coordinator.token, `/cases/${c.id}/duplicates`);
      expect(res.status).toBe(200);
      expect(res.body.duplicates).toEqual([]);
    }
  });

  it('stores only a short keyed index in clear', async () => {
    const rows: { identity_index: string }[] = await t.db.dataSource.query(`SELECT identity_index FROM cases WHERE id = ANY($1::uuid[]) ORDER BY created_at`, [
      [original.id, sameAgain.id, otherBirthDate.id],
    ]);
    expect(rows[0].identity_index).toMatch(/^[0-9a-f]{5}$/);
    expect(rows[1].identity_index).toBe(rows[0].identity_index);
  });

  it('is refused to everyone but the coordinator (403), and to a coordinator of another territory (404)', async () => {
    for (const account of [w.referrer, w.psychiatrist, w.housingOfficer, w.auditor, w.admin]) {
      const res = await get(t, account.token, `/cases/${original.id}/duplicates`);
      expect(res.status).toBe(403);
      expect(findNeedles(res.text, IDENTITY)).toEqual([]);
    }
    const territory = await call(t, w.admin.token, 'post', '/territories', { name: `CLSM voisin ${Date.now()}` });
    const org = await call(t, w.admin.token, 'post', '/organisations', { name: 'Coordination voisine', sector: 'coordination', territoryId: territory.id });
    const email = `coord-voisin.${Date.now()}@test.local`;
    await call(t, w.admin.token, 'post', '/users', {
      email,
      password: PASSWORD,
      displayName: 'coord voisin',
      organisationId: org.id,
      roles: ['coordinator'],
      profession: 'none',
    });
    const res = await get(t, await login(t, email), `/cases/${original.id}/duplicates`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(sameAgain.reference);
  });
});
