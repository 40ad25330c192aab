/**
 * The database restarting under load (issue 14, faults): a steady load of case transitions and
 * reads runs against the app while its PostgreSQL stops and starts again. Requests meanwhile fail
 * fast with 503 and Retry-After (never a 500, never a hang), the server recovers by itself, and
 * every acknowledged transition is in the case's history exactly once, with nothing half-applied.
 *
 * Restarting the run's shared PostgreSQL would break every other test file running beside this
 * one: this file has a cluster of its own (test/support/cluster.js).
 */
import { rmSync } from 'node:fs';
import type { Response } from 'supertest';
import type { PersistedCase } from '../../src/cases/machine/context.js';
import { stateOf } from '../../src/cases/machine/decide.js';
import { columnsOf, PROJECTED_COLUMNS } from '../../src/cases/projection.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { embeddedCluster, prepareCluster } from '../support/cluster.js';
import { ADMIN, createWorld, type World } from '../factories/world.js';
import { caseIn, get, newSession, postEvent, type CaseRef } from '../factories/lifecycle.js';

type Phase = 'before' | 'down' | 'after';

interface Answer {
  what: string;
  /** The database's phase when the request was sent, and when its answer came back. */
  sent: Phase;
  answered: Phase;
  status: number;
  retryAfter: string | undefined;
  problemType: string | undefined;
}

interface Ack {
  caseId: string;
  version: number;
  event: string;
  state: string;
  sent: Phase;
}

const CASES = 6;
const READERS = 2;

/** Waits (between tries of a loop) without holding the event loop: pacing, never an assertion. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds; a condition that never holds ends in the test's timeout. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await pause(20);
}

describe('the database restarting under load', () => {
  let cluster: Awaited<ReturnType<typeof embeddedCluster>>;
  let t: TestApp;
  let w: World;
  let sessionId: string;
  let cases: CaseRef[];

  beforeAll(async () => {
    cluster = await embeddedCluster({ persistent: true });
    await cluster.server.initialise();
    await cluster.server.start();
    await prepareCluster(cluster.adminUrl);
    t = await createTestApp({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password }, { server: cluster.adminUrl });
    w = await createWorld(t);
    sessionId = await newSession(t, w);
    cases = [];
    for (let i = 0; i < CASES; i++) cases.push(await caseIn(t, w, 'ready_for_review'));
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await cluster?.server.stop();
    if (cluster) rmSync(cluster.dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while it is down, recovers by itself, and loses or half-applies no acknowledged transition', async () => {
    let phase: Phase = 'before';
    let running = true;
    const answers: Answer[] = [];
    const acks: Ack[] = [];

    /** While set, no new request leaves (the requests in flight end first). */
    let hold: Promise<void> | null = null;
    let inFlight = 0;

    /** Sends one request, noting the phase at both ends and what a refusal said. */
    async function send(what: string, request: () => Promise<Response>): Promise<Response & { sent: Phase }> {
      while (hold) await hold;
      const sent = phase;
      inFlight++;
      let res: Response;
      try {
        res = await request();
      } finally {
        inFlight--;
      }
      answers.push({
        what,
        sent,
        answered: phase,
        status: res.status,
        retryAfter: res.headers['retry-after'] as string | undefined,
        problemType: (res.body as { type?: string } | undefined)?.type,
      });
      return Object.assign(res, { sent });
    }

    /** The case as the server has it now (an unacknowledged transition may have committed). */
    async function resync(c: CaseRef): Promise<void> {
      const res = await send('read', () => get(t, w.coordinator.token, `/cases/${c.id}`));
      if (res.status === 200) {
        c.state = res.body.state;
        c.version = res.body.version;
      }
    }

    /** The coordinator puts the case on the session's agenda and takes it off again, over and over. */
    async function transitions(c: CaseRef): Promise<void> {
      while (running) {
        const type = c.state === 'ready_for_review' ? 'SCHEDULE' : 'UNSCHEDULE';
        const res = await send('transition', () =>
          postEvent(t, w.coordinator.token, c.id, { type, expectedVersion: c.version, ...(type === 'SCHEDULE' ? { sessionId } : {}) }),
        );
        if (res.status === 200) {
          acks.push({ caseId: c.id, version: res.body.version, event: type, state: res.body.state, sent: res.sent });
          c.state = res.body.state;
          c.version = res.body.version;
        } else {
          // Refused: try again (after reading the case, if the database answers).
          await pause(25);
          await resync(c);
        }
      }
    }

    async function reads(n: number): Promise<void> {
      for (let i = 0; running; i++) {
        const c = cases[(n + i) % cases.length];
        await send('read', () => get(t, w.coordinator.token, i % 2 ? `/cases/${c.id}/history` : `/cases/${c.id}`));
        await pause(5);
      }
    }

    const acksOf = (c: CaseRef, sent: Phase) => acks.filter((a) => a.caseId === c.id && a.sent === sent).length;
    const load = [...cases.map((c) => transitions(c)), ...Array.from({ length: READERS }, (_, n) => reads(n))];
    try {
      await until(() => cases.every((c) => acksOf(c, 'before') >= 3));

      // A fast shutdown, as a restart or failover does it: PostgreSQL ends every session.
      await cluster.server.stop();
      phase = 'down';
      // While it is down, the load goes on; and each kind of request, sent now, is answered now.
      const c = cases[0];
      const probes = await Promise.all([
        send('transition', () => postEvent(t, w.coordinator.token, c.id, { type: 'SCHEDULE', expectedVersion: c.version, sessionId })),
        send('read', () => get(t, w.coordinator.token, `/cases/${c.id}`)),
        send('read', () => get(t, w.coordinator.token, '/cases')),
        send('login', () => t.http().post('/auth/login').send({ email: w.coordinator.email, password: 'not-the-password-at-all' })),
        send('readiness', () => t.http().get('/health/ready')),
        send('liveness', () => t.http().get('/health/live')),
      ]);
      expect(probes.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 200]);
      await until(() => answers.filter((a) => a.sent === 'down' && a.what === 'transition').length >= 2 * CASES);
      expect(answers.filter((a) => a.sent === 'down' && a.answered === 'down').length).toBeGreaterThan(2 * CASES);

      // Every request sent while it was down is answered while it is still down: none waits for it
      // to come back (a hang would end in the test's timeout here).
      let resume!: () => void;
      hold = new Promise((resolve) => (resume = resolve));
      await until(() => inFlight === 0);
      phase = 'after';
      await cluster.server.start();
      hold = null;
      resume();
      // Nothing restarts the server: the same process serves again once its pool reconnects.
      await until(() => cases.every((c) => acksOf(c, 'after') >= 3));
    } finally {
      running = false;
      await Promise.all(load);
    }

    // Every answer was a success, a conflict after an unacknowledged attempt, or a fast 503 that
    // says when to try again — never a 500. Every request sent while the database was down got
    // its 503 while it was still down (none hung until it came back).
    const unexpected = answers.filter((a) => ![200, 409, 503].includes(a.status) && a.what !== 'login' && a.what !== 'liveness');
    expect(unexpected).toEqual([]);
    const refusals = answers.filter((a) => a.status === 503 && a.what !== 'readiness');
    expect(refusals.length).toBeGreaterThan(0);
    for (const r of refusals) {
      expect(r.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(r.problemType).toMatch(/\/unavailable$/);
    }
    const sentDown = answers.filter((a) => a.sent === 'down' && a.what !== 'liveness');
    expect(sentDown.filter((a) => a.status !== 503 || a.answered !== 'down')).toEqual([]);
    expect(acks.filter((a) => a.sent === 'down')).toEqual([]);

    // Every acknowledged transition is in its case's history, once, as answered.
    const ids = cases.map((c) => c.id);
    const history = (await t.db.dataSource.query(
      `SELECT case_id AS "caseId", version, event, to_state AS state FROM case_events WHERE case_id = ANY($1) ORDER BY case_id, version`,
      [ids],
    )) as { caseId: string; version: number; event: string; state: string }[];
    for (const ack of acks) {
      expect(history.filter((h) => h.caseId === ack.caseId && h.version === ack.version)).toEqual([
        { caseId: ack.caseId, version: ack.version, event: ack.event, state: ack.state },
      ]);
    }

    // Nothing half-applied: each case's history runs 1…version without a gap, and its row, its
    // snapshot, its projected columns, its agenda and its audit entries say the same.
    const rows = (await t.db.dataSource.query(`SELECT id, version, snapshot, ${PROJECTED_COLUMNS.join(', ')} FROM cases WHERE id = ANY($1)`, [ids])) as ({
      id: string;
      version: number;
      snapshot: PersistedCase;
    } & Record<string, unknown>)[];
    expect(rows).toHaveLength(CASES);
    for (const row of rows) {
      const own = history.filter((h) => h.caseId === row.id);
      expect(own.map((h) => h.version)).toEqual(Array.from({ length: row.version }, (_, i) => i + 1));
      expect(own.at(-1)!.state).toBe(row.state);
      expect(stateOf(row.snapshot)).toBe(row.state);
      const projected = columnsOf(row.snapshot);
      expect({ state: row.state, session_id: row.session_id }).toEqual({ state: projected.state, session_id: projected.session_id });
      expect(row.session_id).toBe(row.state === 'scheduled' ? sessionId : null);
      const [{ onAgenda }] = (await t.db.dataSource.query(
        `SELECT count(*)::int AS "onAgenda" FROM agenda_items WHERE case_id = $1 AND removed_at IS NULL AND concluded_at IS NULL`,
        [row.id],
      )) as { onAgenda: number }[];
      expect(onAgenda).toBe(row.state === 'scheduled' ? 1 : 0);
      const audited = (await t.db.dataSource.query(
        `SELECT (detail->>'version')::int AS version, count(*)::int AS n FROM audit_events
          WHERE case_id = $1 AND decision = 'allow' AND action IN ('case.event.SCHEDULE', 'case.event.UNSCHEDULE')
          GROUP BY 1 ORDER BY 1`,
        [row.id],
      )) as { version: number; n: number }[];
      const moves = own.filter((h) => h.event === 'SCHEDULE' || h.event === 'UNSCHEDULE');
      expect(audited).toEqual(moves.map((h) => ({ version: h.version, n: 1 })));
    }
  }, 180_000);
});
