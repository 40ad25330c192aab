/**
 * Issue 12, item 8 — the leak guard helps, through the HTTP API: a surname or first name that is an
 * ordinary French word is refused only where it is used as a name ("un petit studio" passes for
 * Mme Claire Petit); a writer who may see the identity gets, with the refusal, the text reworded
 * with the offending words replaced; a writer who may not (the coordinator) still gets no oracle —
 * the answer differs only for generic patterns, and its proposal replaces only those.
 */
import { call, caseBody, createWorldApp, type World } from '../factories/world.js';
import { postEvent, step, type CaseRef } from '../factories/lifecycle.js';
import { type TestApp } from '../support/app.js';

const PERSON = { lastName: 'Petit', firstName: 'Claire', birthDate: '1961-05-09', address: '8 rue des Glycines', phone: '06 44 55 66 77' };

describe('the leak guard helps (issue 12)', () => {
  let t: TestApp;
  let w: World;
  let c: CaseRef;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    const body = caseBody(w.commissionId, { identity: PERSON });
    const created = await call(t, w.referrer.token, 'post', '/cases', {
      ...body,
      summary: {
        ...body.summary,
        narrative: 'Elle vit seule dans un petit studio ; la demande est claire : garder le logement. Le lien se renoue petit à petit.',
      },
    });
    c = { id: created.id, reference: created.reference, state: created.state, version: created.version };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('accepted the summary where "petit" and "claire" are words, not the name', async () => {
    const v = await call(t, w.referrer.token, 'get', `/cases/${c.id}`);
    expect(v.summary.narrative).toContain('petit studio');
  });

  it('refuses the name used as a name, and proposes the text with it replaced', async () => {
    const res = await postEvent(t, w.referrer.token, c.id, {
      type: 'EDIT_DRAFT',
      expectedVersion: c.version,
      summary: { narrative: 'Mme Petit vit dans un petit studio ; Claire Petit refuse, joignable au 06 44 55 66 77, au 8 rue des Glycines.' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'summary.narrative', message: 'contains a phone number' }]);
    expect(res.body.proposal).toEqual({
      field: 'summary.narrative',
      text: 'Mme X vit dans un petit studio ; X refuse, joignable au [téléphone], au [adresse].',
    });
    // The proposal, sent back, is accepted.
    await step(t, w.referrer.token, c, 'EDIT_DRAFT', { summary: { narrative: res.body.proposal.text } });
    expect((await call(t, w.referrer.token, 'get', `/cases/${c.id}`)).summary.narrative).toBe(res.body.proposal.text);
  });

  it('names every refused field at once, each with its kind and its proposal, and writes nothing', async () => {
    const before = await call(t, w.referrer.token, 'get', `/cases/${c.id}`);
    const res = await postEvent(t, w.referrer.token, c.id, {
      type: 'EDIT_DRAFT',
      expectedVersion: c.version,
      summary: { narrative: 'Joignable au 06 44 55 66 77.', alreadyTried: 'Courriel à claire.petit@example.org resté sans réponse.' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'summary.narrative', message: 'contains a phone number' },
      { field: 'summary.alreadyTried', message: 'contains an email address' },
    ]);
    expect(res.body.proposals).toEqual([
      { field: 'summary.narrative', text: 'Joignable au [téléphone].' },
      { field: 'summary.alreadyTried', text: expect.not.stringContaining('@') },
    ]);
    // The first refusal, as the answer gave it before.
    expect(res.body.kind).toBe('phone');
    expect(res.body.proposal).toEqual(res.body.proposals[0]);
    expect(await call(t, w.referrer.token, 'get', `/cases/${c.id}`)).toEqual(before);
  });

  it('gives a writer who may not see the identity the same answer whether the name is right or not (no oracle)', async () => {
    await step(t, w.referrer.token, c, 'SUBMIT');
    const answers = [];
    for (const name of ['Petit', 'Durand']) {
      const res = await postEvent(t, w.coordinator.token, c.id, {
        type: 'SEND_BACK',
        expectedVersion: c.version,
        reason: `Mme ${name} : rappeler au 06 44 55 66 77`,
      });
      answers.push(res);
    }
    for (const res of answers) {
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'reason', message: 'contains a phone number' }]);
    }
    // Only the generic pattern is replaced: the name stays as the coordinator wrote it, right or wrong.
    expect(answers.map((r) => r.body.proposal.text)).toEqual(['Mme Petit : rappeler au [téléphone]', 'Mme Durand : rappeler au [téléphone]']);
    // Without a generic pattern, both are accepted: the right name is held for the referrer, not refused.
    const right = await postEvent(t, w.coordinator.token, c.id, { type: 'SEND_BACK', expectedVersion: c.version, reason: 'Mme Petit : préciser le suivi CMP' });
    expect(right.status).toBe(200);
    const asReferrer = await call(t, w.referrer.token, 'get', `/cases/${c.id}`);
    expect(asReferrer.textReviews.map((r: { field: string }) => r.field)).toEqual(['reason']);
  });
});
