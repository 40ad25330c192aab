/**
 * Issue 10, point 6 — enumeration: nothing tells an unknown email from an account with a wrong
 * password — neither the answer (status, body, headers that matter), nor the slowing down after
 * repeated failures, nor the time taken (median within 10 %, over a few hundred tries, on the
 * tests' cheap argon2id setting: the same statements and the same hashing work run either way).
 */
import { call, createWorldApp, PASSWORD, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

const ACCOUNTS = 25;
const TRIES_PER_EMAIL = 6;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

describe('security: enumeration by answer and by timing', () => {
  let t: TestApp;
  let w: World;
  const known: string[] = [];

  beforeAll(async () => {
    // Failures per email stay under the free ones here (the slowing down is checked apart below),
    // and the address limit is out of the way: this measures the work of one failed login.
    ({ t, w } = await createWorldApp({ CELLULE_LOGIN_FREE_FAILURES: String(TRIES_PER_EMAIL + 1), CELLULE_LOGIN_ADDRESS_MAX_FAILURES: '100000' }));
    for (let i = 0; i < ACCOUNTS; i++) {
      const email = `timing.${i}.${Date.now()}@test.local`;
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
    await t?.close();
  });

  it('answers an unknown email and a wrong password alike, in the same time (median within 10 %)', async () => {
    const unknown = known.map((_, i) => `absent.${i}.${Date.now()}@test.local`);
    const timeOf = async (email: string, password: string) => {
      const started = process.hrtime.bigint();
      const res = await t.http().post('/auth/login').send({ email, password });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return { ms, res };
    };
    // Warm up both paths (prepared statements, JIT).
    for (let i = 0; i < 3; i++) {
      await timeOf(`warm.${i}@test.local`, 'warm-up-password-1');
      await timeOf(w.townOfficer.email, 'warm-up-password-1');
    }
    const times = { unknown: [] as number[], wrong: [] as number[] };
    let reference: string | undefined;
    for (let round = 0; round < TRIES_PER_EMAIL; round++) {
      for (let i = 0; i < ACCOUNTS; i++) {
        // Interleaved, and in alternating order, so that load on the machine falls on both alike.
        const pair = [
          ['unknown', unknown[i]],
          ['wrong', known[i]],
        ] as const;
        for (const [kind, email] of (round + i) % 2 ? [...pair].reverse() : pair) {
          const { ms, res } = await timeOf(email, `wrong-password-${round}-${i}`);
          expect(res.status).toBe(401);
          const shape = JSON.stringify({ body: res.body, type: res.headers['content-type'], retry: res.headers['retry-after'] ?? null });
          reference ??= shape;
          expect(shape).toBe(reference);
          times[kind].push(ms);
        }
      }
    }
    const u = median(times.unknown);
    const k = median(times.wrong);
    const gap = Math.abs(u - k) / Math.max(u, k);
    process.stdout.write(
      `enumeration timing: ${times.unknown.length} + ${times.wrong.length} tries, median unknown ${u.toFixed(2)} ms, wrong password ${k.toFixed(2)} ms, gap ${(gap * 100).toFixed(1)} %\n`,
    );
    expect(gap).toBeLessThan(0.1);
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
