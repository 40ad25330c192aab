/**
 * Issue 10, point 6 — enumeration: nothing tells an unknown email from an account with a wrong
 * password — neither the answer (status, body, headers that matter), nor the slowing down after
 * repeated failures, nor the work done, which is what the time taken depends on: the same SQL
 * statements in the same order and one argon2id verification of the same cost (a dummy hash for
 * an unknown email). The work is compared, not the clock: a timed assertion would fail under a
 * loaded machine and pass by luck on a quiet one (the standards keep timing out of the suite).
 */
import { jest } from '@jest/globals';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { PasswordHasher } from '../../src/auth/password-hasher.js';
import { call, createWorldApp, PASSWORD, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

const ACCOUNTS = 4;

/** The cost part of an argon2id hash string ($argon2id$v=19$m=…,t=…,p=…), never the salt or the hash. */
const costOf = (hash: string) => hash.split('$').slice(0, 4).join('$');

describe('security: enumeration by answer and by work done', () => {
  let t: TestApp;
  let w: World;
  const known: string[] = [];

  beforeAll(async () => {
    // The slowing down is checked apart below; here every try is a plain failure.
    ({ t, w } = await createWorldApp({ CELLULE_LOGIN_FREE_FAILURES: '10', CELLULE_LOGIN_ADDRESS_MAX_FAILURES: '100000' }));
    for (let i = 0; i < ACCOUNTS; i++) {
      const email = `work.${i}.${Date.now()}@test.local`;
      await call(t, w.admin.token, 'post', '/users', {
        email,
        password: PASSWORD,
        displayName: `T${i}`,
        organisationId: w.orgs.social,
        roles: ['referrer'],
        profession: 'none',
      });
      known.push(email);
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  /** One failed login, with the statements it sent to PostgreSQL and the argon2id work it did. */
  const attempt = async (email: string, password: string) => {
    const statements: string[] = [];
    const verified: string[] = [];
    // A spy calls through to the real method: the statements reach the real PostgreSQL.
    const query = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    const hasher = t.app.get(PasswordHasher);
    const verify = jest.spyOn(hasher, 'verify');
    try {
      const res = await t.http().post('/auth/login').send({ email, password });
      for (const [text] of query.mock.calls) statements.push(typeof text === 'string' ? text : (text as unknown as { text: string }).text);
      for (const [hash] of verify.mock.calls) verified.push(costOf(hash));
      return { res, statements, verified };
    } finally {
      query.mockRestore();
      verify.mockRestore();
    }
  };

  it('answers an unknown email and a wrong password alike, after the same statements and the same argon2id work', async () => {
    const tries = known.flatMap((email, i) => [
      { kind: 'wrong', email },
      { kind: 'unknown', email: `absent.${i}.${Date.now()}@test.local` },
    ]);
    const seen: { kind: string; shape: string; statements: string[]; verified: string[] }[] = [];
    for (const [i, { kind, email }] of tries.entries()) {
      const { res, statements, verified } = await attempt(email, `wrong-password-${i}`);
      expect(res.status).toBe(401);
      seen.push({
        kind,
        shape: JSON.stringify({ body: res.body, type: res.headers['content-type'], retry: res.headers['retry-after'] ?? null }),
        statements,
        verified,
      });
    }
    const [first] = seen;
    // Real work was captured: the account's row looked up, the failure counted and audited.
    expect(first.statements.length).toBeGreaterThanOrEqual(3);
    expect(first.verified).toHaveLength(1);
    expect(first.verified[0]).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
    for (const s of seen) {
      expect({ kind: s.kind, shape: s.shape }).toEqual({ kind: s.kind, shape: first.shape });
      expect({ kind: s.kind, statements: s.statements }).toEqual({ kind: s.kind, statements: first.statements });
      expect({ kind: s.kind, verified: s.verified }).toEqual({ kind: s.kind, verified: first.verified });
    }
    expect(seen.map((s) => s.kind).sort()).toEqual([...Array(ACCOUNTS).fill('unknown'), ...Array(ACCOUNTS).fill('wrong')]);
  });

  it("the dummy hash of an unknown email costs what a real account's hash costs", async () => {
    const { verified } = await attempt(`never.${Date.now()}@test.local`, 'another-wrong-password');
    const stored = await t.db.dataSource.query<{ password_hash: string }[]>(`SELECT password_hash FROM users WHERE email = $1`, [known[0]]);
    expect(verified).toEqual([costOf(stored[0].password_hash)]);
  });
});

describe('security: enumeration by the slowing down', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp({ CELLULE_LOGIN_FREE_FAILURES: '3', CELLULE_LOGIN_ADDRESS_MAX_FAILURES: '100000' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('slows an unknown email down exactly as an account: the same answers in the same order', async () => {
    const answers = async (email: string) => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t
          .http()
          .post('/auth/login')
          .send({ email, password: `a-wrong-password-${i}` });
        out.push(`${res.status}:${res.headers['retry-after'] ? 'retry' : '-'}:${res.body.detail}`);
      }
      return out;
    };
    const account = await answers(w.housingOfficer.email);
    expect(await answers('never-registered@test.local')).toEqual(account);
    expect(account.map((a) => a.split(':')[0])).toEqual(['401', '401', '401', '429', '429']);
  });
});
