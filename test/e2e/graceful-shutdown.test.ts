/**
 * Graceful shutdown (issue 14, faults): what SIGTERM runs (src/app.ts BuiltApp.close) lets the
 * requests in flight finish, while the server takes no new connection and readiness answers 503.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { EntityManager } from 'typeorm';
import { Lifecycle } from '../../src/lifecycle.js';
import { TransitionHooks } from '../../src/cases/workflow.service.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ADMIN, createWorld, type World } from '../factories/world.js';
import { caseIn, type CaseRef } from '../factories/lifecycle.js';

/** Holds the transition of one case just before it commits, until the test lets it go on: a slow request. */
class GateHooks extends TransitionHooks {
  private armed: { caseId: string; reached: () => void; gate: Promise<void> } | undefined;

  arm(caseId: string): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.armed = { caseId, reached, gate };
    return { reached: reachedPromise, release };
  }

  async beforeCommit(caseId: string, _manager: EntityManager): Promise<void> {
    const armed = this.armed;
    if (!armed || armed.caseId !== caseId) return;
    this.armed = undefined;
    armed.reached();
    await armed.gate;
  }
}

/** Whether a new TCP connection to the port is accepted now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('graceful shutdown', () => {
  let t: TestApp;
  let w: World;
  let c: CaseRef;
  const hooks = new GateHooks();

  beforeAll(async () => {
    t = await createTestApp(
      { BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, CELLULE_SHUTDOWN_TIMEOUT_SECONDS: '3600' },
      { overrideProviders: [{ provide: TransitionHooks, useValue: hooks }] },
    );
    w = await createWorld(t);
    c = await caseIn(t, w, 'submitted');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finishes the request in flight, refuses new connections meanwhile, then stops', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    expect(await accepts(port)).toBe(true);

    // A slow request: the coordinator's ACCEPT, held before its commit.
    const { reached, release } = hooks.arm(c.id);
    const slow = fetch(`${base}/cases/${c.id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.coordinator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'ACCEPT', expectedVersion: c.version }),
    });
    await reached;

    let stopped = false;
    const stopping = t.shutdown().then(() => (stopped = true));
    // Draining: readiness says so at once, and the listener closes (polled until it has).
    expect(t.app.get(Lifecycle).draining).toBe(true);
    while (await accepts(port)) await new Promise((resolve) => setTimeout(resolve, 10));
    // The request is still held, and the server waits for it.
    expect(stopped).toBe(false);

    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: 'awaiting_consent', version: c.version + 1 });
    // Its connection ends with it, so nothing else holds the stop (the shutdown timeout is an
    // hour here: a connection kept alive would hold it until the test's timeout).
    expect(res.headers.get('connection')).toBe('close');
    await stopping;
    expect(stopped).toBe(true);
    expect(await accepts(port)).toBe(false);

    // What it answered was committed.
    const [row] = (await t.db.dataSource.query(
      `SELECT state, version, (SELECT count(*)::int FROM case_events WHERE case_id = $1 AND event = 'ACCEPT') AS accepted FROM cases WHERE id = $1`,
      [c.id],
    )) as { state: string; version: number; accepted: number }[];
    expect(row).toEqual({ state: 'awaiting_consent', version: c.version + 1, accepted: 1 });
  });
});
