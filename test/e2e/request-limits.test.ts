/**
 * Issue 14, item 6: every string and array of a request has a maximum, enforced by validation and
 * published in the OpenAPI document from the same declaration (src/common/limits.ts). Each case
 * reads the limit from the document the server serves, sends one character (or element) more,
 * and expects a 400 naming the field — and nothing written.
 */
import type { Response } from 'supertest';
import { get, newCase, plan, postEvent } from '../factories/lifecycle.js';
import { caseBody, createWorldApp, IDENTITY, type World } from '../factories/world.js';
import type { TestApp } from '../support/app.js';

type Schema = { maxLength?: number; maxItems?: number; properties?: Record<string, Schema>; items?: Schema };

describe('request limits: published, and enforced', () => {
  let t: TestApp;
  let w: World;
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    schemas = ((await t.http().get('/docs-json')).body as { components: { schemas: Record<string, Schema> } }).components.schemas;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The published limit of a member of a schema: it must exist. */
  function limit(schema: string, member: string, keyword: 'maxLength' | 'maxItems'): number {
    const value = schemas[schema]?.properties?.[member]?.[keyword];
    if (typeof value !== 'number') throw new Error(`${schema}.${member} publishes no ${keyword}`);
    return value;
  }

  function refusedNaming(res: Response, field: string): void {
    expect(res.status).toBe(400);
    const fields = (res.body as { errors?: { field: string }[] }).errors?.map((e) => e.field) ?? [];
    expect(fields).toContain(field);
  }

  it('a referral: a last name one character over the limit, and one holder of parental authority too many', async () => {
    const max = limit('IdentityDto', 'lastName', 'maxLength');
    expect(max).toBe(100);
    const before = (await get(t, w.referrer.token, '/cases')).body as { items: unknown[] };

    const longName = await t
      .http()
      .post('/cases')
      .set('authorization', `Bearer ${w.referrer.token}`)
      .send(caseBody(w.commissionId, { identity: { ...IDENTITY, lastName: 'N'.repeat(max + 1) } }));
    refusedNaming(longName, 'identity.lastName');
    // The answer names the field, never the value.
    expect(JSON.stringify(longName.body)).not.toContain('N'.repeat(max + 1));

    const parents = limit('CreateCaseDto', 'parentalAuthority', 'maxItems');
    const parent = { relation: 'guardian', lastName: 'Martin', firstName: 'Alix' };
    const tooMany = await t
      .http()
      .post('/cases')
      .set('authorization', `Bearer ${w.referrer.token}`)
      .send(caseBody(w.commissionId, { parentalAuthority: Array.from({ length: parents + 1 }, () => parent) }));
    refusedNaming(tooMany, 'parentalAuthority');

    // A text of the summary at its published limit is taken.
    const question = limit('SummaryDto', 'question', 'maxLength');
    const atLimit = await t
      .http()
      .post('/cases')
      .set('authorization', `Bearer ${w.referrer.token}`)
      .send(caseBody(w.commissionId, { summary: { ...caseBody(w.commissionId).summary, question: 'q'.repeat(question) } }));
    expect(atLimit.status).toBe(201);
    const after = (await get(t, w.referrer.token, '/cases')).body as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length + 1);
  });

  it('an event payload: a reason one character over, a plan one action over; the case is unchanged', async () => {
    const c = await newCase(t, w);
    const reason = limit('SendBackPayload', 'reason', 'maxLength');
    refusedNaming(await postEvent(t, w.coordinator.token, c.id, { type: 'SEND_BACK', expectedVersion: c.version, reason: 'r'.repeat(reason + 1) }), 'reason');

    const actions = limit('AdoptPlanPayload', 'actions', 'maxItems');
    const one = (plan(w).actions as unknown[])[0];
    refusedNaming(
      await postEvent(t, w.coordinator.token, c.id, {
        type: 'ADOPT_PLAN',
        expectedVersion: c.version,
        actions: Array.from({ length: actions + 1 }, () => one),
      }),
      'actions',
    );
    const title = limit('PlannedActionDto', 'title', 'maxLength');
    refusedNaming(
      await postEvent(t, w.coordinator.token, c.id, {
        type: 'ADOPT_PLAN',
        expectedVersion: c.version,
        actions: [{ ...(one as object), title: 't'.repeat(title + 1) }],
      }),
      'actions.0.title',
    );

    const view = (await get(t, w.referrer.token, `/cases/${c.id}`)).body as { version: number; state: string };
    expect({ version: view.version, state: view.state }).toEqual({ version: c.version, state: c.state });
  });

  it('a user: a display name one character over, more roles than there are', async () => {
    const displayName = limit('CreateUserDto', 'displayName', 'maxLength');
    const user = {
      email: 'limits@test.local',
      password: 'a-long-enough-temporary-pass',
      displayName: 'D'.repeat(displayName + 1),
      organisationId: w.orgs.social,
      roles: ['referrer'],
      profession: 'none',
    };
    refusedNaming(await t.http().post('/users').set('authorization', `Bearer ${w.admin.token}`).send(user), 'displayName');

    const roles = limit('CreateUserDto', 'roles', 'maxItems');
    refusedNaming(
      await t
        .http()
        .post('/users')
        .set('authorization', `Bearer ${w.admin.token}`)
        .send({ ...user, displayName: 'Limits', roles: Array.from({ length: roles + 1 }, () => 'referrer') }),
      'roles',
    );
    const users = (await get(t, w.admin.token, '/users')).body as { email: string }[];
    expect(users.map((u) => u.email)).not.toContain(user.email);
  });
});
