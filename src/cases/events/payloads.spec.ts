// The payloads of POST /cases/:id/events, validated before the machine runs (the machine's
// guards keep the domain rules: src/cases/machine/case.machine.spec.ts). Every refusal is a 400
// problem that names the field and never echoes the value.
import { AppError } from '../../common/errors.js';
import { CaseEventPipe } from './payload.pipe.js';

const SECRET = 'Jeanne Dupont 0612345678';
const UUID = '6f1c2a4e-8b0d-4c6e-9a3f-2d1b0c9e8f7a';
const FUTURE = '2030-01-05T09:00:00.000Z';
const pipe = new CaseEventPipe();

async function refusal(body: unknown): Promise<{ status: number; fields: string[]; text: string }> {
  try {
    await pipe.transform(body);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const errors = (error.extensions.errors ?? []) as { field: string; message: string }[];
    return { status: error.status, fields: errors.map((e) => e.field), text: JSON.stringify({ detail: error.detail, errors }) };
  }
  throw new Error('the payload was accepted');
}

describe('event payloads', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown event type', { type: 'FLY', expectedVersion: 1 }, 'type'],
    ['PURGE, which only the scheduler sends', { type: 'PURGE', expectedVersion: 1 }, 'type'],
    ['a version that is not an integer', { type: 'SUBMIT', expectedVersion: '1' }, 'expectedVersion'],
    ['a member of another event', { type: 'SUBMIT', expectedVersion: 1, outcome: SECRET }, 'outcome'],
    ['an unknown member', { type: 'SUBMIT', expectedVersion: 1, colour: SECRET }, 'colour'],
    ['REJECT without its reason', { type: 'REJECT', expectedVersion: 1 }, 'reason'],
    ['a blank rejection reason', { type: 'REJECT', expectedVersion: 1, reason: ' \n' }, 'reason'],
    ['a blank justification', { type: 'REVIEW_WITHOUT_CONSENT', expectedVersion: 1, justification: '\n\t ' }, 'justification'],
    ['an empty justification', { type: 'REVIEW_WITHOUT_CONSENT', expectedVersion: 1, justification: '' }, 'justification'],
    ['SCHEDULE without a session', { type: 'SCHEDULE', expectedVersion: 1 }, 'sessionId'],
    ['a session id that is not a UUID', { type: 'SCHEDULE', expectedVersion: 1, sessionId: SECRET }, 'sessionId'],
    ['a plan without actions', { type: 'ADOPT_PLAN', expectedVersion: 1, actions: [] }, 'actions'],
    ['a plan with no actions member', { type: 'ADOPT_PLAN', expectedVersion: 1 }, 'actions'],
    [
      'a blank action title',
      {
        type: 'ADOPT_PLAN',
        expectedVersion: 1,
        actions: [
          { title: SECRET, ownerOrganisationId: UUID, dueAt: FUTURE },
          { title: ' ', ownerOrganisationId: UUID, dueAt: FUTURE },
        ],
      },
      'actions.1.title',
    ],
    [
      'an action without owner',
      { type: 'ADOPT_PLAN', expectedVersion: 1, actions: [{ title: SECRET, ownerOrganisationId: '', dueAt: FUTURE }] },
      'actions.0.ownerOrganisationId',
    ],
    ['an action without due date', { type: 'ADOPT_PLAN', expectedVersion: 1, actions: [{ title: SECRET, ownerOrganisationId: UUID }] }, 'actions.0.dueAt'],
    [
      'a plan with an unreadable follow-up date',
      { type: 'ADOPT_PLAN', expectedVersion: 1, actions: [{ title: 'Visite', ownerOrganisationId: UUID, dueAt: FUTURE }], followUpAt: SECRET },
      'followUpAt',
    ],
    ['CONTINUE with an unreadable follow-up date', { type: 'CONTINUE', expectedVersion: 1, followUpAt: SECRET }, 'followUpAt'],
    ['an impossible calendar date', { type: 'CONTINUE', expectedVersion: 1, followUpAt: '2030-02-30T10:00:00Z' }, 'followUpAt'],
    ['a blank outcome', { type: 'CLOSE', expectedVersion: 1, outcome: '  ' }, 'outcome'],
    ['an empty outcome', { type: 'CLOSE', expectedVersion: 1, outcome: '' }, 'outcome'],
    ['a consent without its decision', { type: 'RECORD_CONSENT', expectedVersion: 1, informedAt: FUTURE, method: 'oral' }, 'decision'],
    ['an unreadable information date', { type: 'RECORD_CONSENT', expectedVersion: 1, decision: 'granted', informedAt: SECRET, method: 'oral' }, 'informedAt'],
    [
      'a scope naming an unknown class',
      {
        type: 'RECORD_CONSENT',
        expectedVersion: 1,
        decision: 'granted',
        informedAt: FUTURE,
        method: 'oral',
        scope: [{ sector: 'housing', classes: ['secrets'] }],
      },
      'scope.0.classes',
    ],
  ])('refuses %s, naming the field and never the value', async (_name, body, field) => {
    const answer = await refusal(body);
    expect(answer.status).toBe(400);
    expect(answer.fields).toEqual([field]);
    expect(answer.text).not.toContain('Dupont');
    expect(answer.text).not.toContain('0612');
  });

  it('says which member belongs to another event, and which one is required', async () => {
    expect((await refusal({ type: 'SUBMIT', expectedVersion: 1, outcome: 'x' })).text).toContain('is not a member of SUBMIT');
    expect((await refusal({ type: 'REJECT', expectedVersion: 1 })).text).toContain('reason: is required for REJECT');
  });

  it('refuses a body that is not an object', async () => {
    for (const body of [null, [], 'SUBMIT', 3]) expect((await refusal(body)).fields).toEqual(['body']);
  });

  it('gives the payload class of the type, with its members', async () => {
    const body = {
      type: 'ADOPT_PLAN',
      expectedVersion: 4,
      actions: [{ title: 'Visite conjointe', ownerOrganisationId: UUID, dueAt: FUTURE }],
      followUpAt: FUTURE,
    };
    const payload = await pipe.transform(body);
    expect(payload.constructor.name).toBe('AdoptPlanPayload');
    expect(payload).toMatchObject(body);
  });
});
