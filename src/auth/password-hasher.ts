import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * argon2id (libsodium `crypto_pwhash_str`, sumo build) in worker threads: one hash costs ~20 ms of
 * CPU at the OWASP settings and would otherwise stall every request on the event loop. The worker
 * is plain JavaScript evaluated from a string so it runs the same from dist/ and under ts-jest.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
// Below the request threads: on Linux setPriority(0) renices this thread only, so a burst of
// logins yields the cores to transitions and reads instead of competing with them as equals.
try { require('node:os').setPriority(0, 10); } catch {}
const sodiumReady = import('libsodium-wrappers-sumo').then(async (m) => { const s = m.default ?? m; await s.ready; return s; });
parentPort.on('message', async ({ id, op, password, hash, opslimit, memlimit }) => {
  try {
    const sodium = await sodiumReady;
    if (op === 'hash') {
      parentPort.postMessage({ id, result: sodium.crypto_pwhash_str(password, opslimit, memlimit) });
    } else {
      let ok = false;
      try { ok = sodium.crypto_pwhash_str_verify(hash, password); } catch { ok = false; }
      parentPort.postMessage({ id, result: ok });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

export interface HashCost {
  /** argon2id iterations (OWASP: 2). */
  opslimit: number;
  /** argon2id memory in bytes (OWASP: 19 MiB). */
  memlimit: number;
}

export const OWASP_ARGON2ID: HashCost = { opslimit: 2, memlimit: 19 * 1024 * 1024 };

/**
 * The queue of the argon2id workers is full: the login is answered 503 with Retry-After rather
 * than left waiting behind an unbounded queue (a burst of logins, or someone flooding them).
 */
export class PasswordQueueFull extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('The password hashing queue is full');
    this.name = 'PasswordQueueFull';
  }
}

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

export class PasswordHasher {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Jobs sent to each worker and not answered yet. */
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;
  private turn = 0;

  constructor(
    private readonly cost: HashCost = OWASP_ARGON2ID,
    /** Hashes waiting or running at most; one more is refused (PasswordQueueFull). */
    private readonly maxQueue = 32,
    // One worker on a two-core machine: a second one would only take the other core from the
    // requests (and load a second copy of libsodium); more cores, more workers.
    size = Math.max(1, Math.min(4, cpus().length - 1)),
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (msg: { id: number; result?: string | boolean; error?: string }) => {
        const entry = this.pending.get(msg.id);
        if (!entry) return;
        this.pending.delete(msg.id);
        this.settled(worker);
        if (msg.error !== undefined) entry.reject(new Error(`password hashing failed: ${msg.error}`));
        else entry.resolve(msg.result!);
      });
      worker.on('error', (error) => {
        for (const entry of this.pending.values()) entry.reject(error);
        this.pending.clear();
        for (const w of this.workers) {
          this.busy.set(w, 0);
          w.unref();
        }
      });
      // An idle worker never keeps the process alive; one with a hash to answer does (see run()).
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Hashes waiting or running now. */
  get queued(): number {
    return this.pending.size;
  }

  private run(message: Record<string, unknown>): Promise<string | boolean> {
    if (this.pending.size >= this.maxQueue) {
      // About 50 ms of CPU per hash at the OWASP settings: the time for the queue to drain.
      return Promise.reject(new PasswordQueueFull((this.pending.size * 0.05) / this.workers.length));
    }
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length];
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Referenced while it works: a process whose only work left is this hash (a command line
      // between two connections) waits for it instead of exiting with the promise unsettled.
      const jobs = this.busy.get(worker) ?? 0;
      if (jobs === 0) worker.ref();
      this.busy.set(worker, jobs + 1);
      worker.postMessage({ id, ...message });
    });
  }

  private settled(worker: Worker): void {
    const jobs = (this.busy.get(worker) ?? 1) - 1;
    this.busy.set(worker, jobs);
    if (jobs === 0) worker.unref();
  }

  async hash(password: string): Promise<string> {
    return (await this.run({ op: 'hash', password, ...this.cost })) as string;
  }

  async verify(hash: string, password: string): Promise<boolean> {
    return (await this.run({ op: 'verify', hash, password })) as boolean;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
