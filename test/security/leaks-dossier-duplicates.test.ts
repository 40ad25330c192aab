/**
 * Issue 10, point 5 (part B's share): the dossier of another territory's session answers 404 like
 * every other unknown resource (it does not confirm that the id is real), and the server's own
 * decryption of a duplicate candidate shows in that candidate's access report — the report a
 * person's access request gets.
 */
import { randomUUID } from 'node:crypto';
import { IDENTITY, caseBody, createWorld, createWorldApp, type World } from '../factories/world.js';
import { createCase, get } from '../factories/secrecy.js';
import { attend, openSession } from '../factories/security.js';
import { type TestApp } from '../support/app.js';

describe('security: small leaks', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });

  afterAll(async () => {
    await t?.close();
  });

  it("the dossier of another territory's session is a 404, the same as an unknown session, for every caller of that territory", async () => {
    const session = (await openSession(t, w)).id;
    await attend(t, session, [w.psychiatrist.token]);
    expect((await get(t, w.psychiatrist.token, `/sessions/${session}/dossier`)).status).toBe(200);
    const o = await createWorld(t);
    for (const caller of [o.coordinator, o.psychiatrist, o.referrer]) {
      const real = await get(t, caller.token, `/sessions/${session}/dossier`);
      const unknown = await get(t, caller.token, `/sessions/${randomUUID()}/dossier`);
      expect([real.status, unknown.status]).toEqual([404, 404]);
      expect(real.body.detail).toBe(unknown.body.detail);
    }
  });

  it("the duplicate check's decryption of a candidate is in the candidate's own access report", async () => {
    const original = await createCase(t, w.referrer.token, caseBody(w.commissionId));
    const again = await createCase(t, w.otherReferrer.token, caseBody(w.commissionId, { identity: { ...IDENTITY, lastName: 'ZEPHYRIN QUATREMARE' } }));
    const res = await get(t, w.coordinator.token, `/cases/${again.id}/duplicates`);
    expect(res.body.duplicates).toEqual([expect.objectContaining({ caseId: original.id })]);
    const report = await get(t, w.auditor.token, `/audit/access-report?caseId=${original.id}`);
    expect(report.status).toBe(200);
    const identityReads = (report.body.organisations as { classes: { class: string; actions: string[] }[] }[]).flatMap((o) =>
      o.classes.filter((c) => c.class === 'identity').flatMap((c) => c.actions),
    );
    expect(identityReads).toContain('system.duplicates.compare');
  });
});
