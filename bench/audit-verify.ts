/**
 * Issue 14: the audit verification at scale — a full verification (every hash of the log
 * recomputed: the baseline) against an incremental one (from the last intact verification) after
 * new entries, measured in the same run on a log of `entries` (1M by default).
 *
 * The log is generated in bulk, already chained and checkpointed exactly as the sealer would
 * (src/audit/audit-chain.ts: hashes and signed checkpoints computed here, rows inserted with
 * `unnest` in batches, the append-only trigger off for that session only: a throw-away database),
 * so that a million entries take seconds rather than the sealer's catch-up. The first full
 * verification doubles as the check that the generated chain is exactly what the sealer writes.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { canonicalEntry, chainHash, checkpointMessage, GENESIS_HASH, type ChainRow, type Checkpoint } from '../src/audit/audit-chain.js';
import { AuditSealer } from '../src/audit/audit-sealer.js';
import { AuditSigner } from '../src/audit/audit-signer.js';
import { AuditService, type AuditEntry } from '../src/audit/audit.service.js';
import { createDataSource } from '../src/database/data-source.js';
import { ensureDatabase } from '../src/database/embedded-postgres.js';
import { median } from './load.js';

export interface AuditVerifyFigures {
  /** Entries in the generated log. */
  auditEntries: number;
  auditGenerateSeconds: number;
  /** A full verification of the whole log (the baseline). */
  auditFullVerifyMs: number;
  /** New entries sealed before each incremental verification. */
  auditIncrementalEntries: number;
  /** Median of the incremental verifications (each after `auditIncrementalEntries` new entries). */
  auditIncrementalVerifyMs: number;
  /** incremental ÷ full: the share of a full verification an incremental one costs. */
  auditIncrementalRatio: number;
}

const CHECKPOINT_EVERY = 1000;
const BATCH = 20_000;
const BASE_MS = Date.UTC(2026, 0, 1);

/** The time as PostgreSQL prints it for the chain (microseconds, UTC). */
const atText = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}000Z`;

async function generateLog(client: pg.Client, entries: number, signer: AuditSigner, log: (line: string) => void): Promise<void> {
  await client.query(`SET session_replication_role = replica`); // this session only: the rows arrive sealed
  let hash = GENESIS_HASH;
  let prevId: string | null = null;
  let checkpointId = 0;
  for (let start = 1; start <= entries; start += BATCH) {
    const end = Math.min(entries, start + BATCH - 1);
    const ids: string[] = [];
    const ats: string[] = [];
    const classes: string[] = [];
    const requests: string[] = [];
    const prevIds: (string | null)[] = [];
    const hashes: Buffer[] = [];
    const checkpoints: Checkpoint[] = [];
    for (let n = start; n <= end; n++) {
      const id = String(n);
      const row: Omit<ChainRow, 'hash' | 'seq' | 'prevId'> = {
        id,
        at: atText(BASE_MS + n * 10),
        actorId: null,
        organisationId: null,
        territoryId: null,
        action: 'bench.read',
        caseId: null,
        classes: n % 3 ? ['summary'] : [],
        decision: 'allow',
        purpose: 'bench',
        requestId: `bench-${n}`,
        detail: '{}',
      };
      hash = chainHash(hash, canonicalEntry(row, id, prevId));
      ids.push(id);
      ats.push(row.at);
      classes.push(n % 3 ? '{summary}' : '{}');
      requests.push(row.requestId!);
      prevIds.push(prevId);
      hashes.push(hash);
      prevId = id;
      if (n % CHECKPOINT_EVERY === 0 || n === entries) {
        const body: Omit<Checkpoint, 'signature'> = {
          id: String(++checkpointId),
          kind: 'seal',
          seq: id,
          eventId: id,
          hash,
          entries: String(n % CHECKPOINT_EVERY || CHECKPOINT_EVERY),
          createdAt: new Date(BASE_MS + n * 10).toISOString(),
          keyId: signer.keyId,
        };
        checkpoints.push({ ...body, signature: signer.sign(checkpointMessage(body)) });
      }
    }
    await client.query(
      `INSERT INTO audit_events (id, at, action, classes, decision, purpose, request_id, detail, seq, prev_id, hash) OVERRIDING SYSTEM VALUE
       SELECT u.id, u.at, 'bench.read', u.classes::text[], 'allow', 'bench', u.request_id, '{}'::jsonb, u.id, u.prev_id, u.hash
         FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::bigint[], $6::bytea[]) AS u(id, at, classes, request_id, prev_id, hash)`,
      [ids, ats, classes, requests, prevIds, hashes],
    );
    await client.query(
      `INSERT INTO audit_checkpoints (id, kind, seq, event_id, hash, entries, created_at, key_id, signature)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bytea[], $6::bigint[], $7::timestamptz[], $8::text[], $9::bytea[])`,
      [
        checkpoints.map((c) => c.id),
        checkpoints.map((c) => c.kind),
        checkpoints.map((c) => c.seq),
        checkpoints.map((c) => c.eventId),
        checkpoints.map((c) => c.hash),
        checkpoints.map((c) => c.entries),
        checkpoints.map((c) => c.createdAt),
        checkpoints.map((c) => c.keyId),
        checkpoints.map((c) => c.signature),
      ],
    );
    if (end % 200_000 === 0 || end === entries) log(`  audit log: ${end} entries generated`);
  }
  await client.query(`SET session_replication_role = origin`);
  await client.query(`SELECT setval(pg_get_serial_sequence('audit_events', 'id'), $1)`, [entries]);
  await client.query(`VACUUM (ANALYZE) audit_events`);
}

/**
 * Generates the log in a database of its own on the server of `serverUrl` (a superuser's URL),
 * then measures one full verification and `rounds` incremental ones, each after
 * `incrementalEntries` new entries sealed by the real sealer. Drops the database at the end.
 */
export async function benchAuditVerification(
  serverUrl: string,
  options: { entries: number; incrementalEntries?: number; rounds?: number; log?: (line: string) => void },
): Promise<AuditVerifyFigures> {
  const log = options.log ?? (() => undefined);
  const incrementalEntries = options.incrementalEntries ?? 1000;
  const rounds = options.rounds ?? 3;
  const name = `cellule_bench_audit_${randomBytes(4).toString('hex')}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  await ensureDatabase(admin.toString(), name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const ds = createDataSource(url.toString(), { poolSize: 2, applicationName: 'cellule-bench-audit' });
  const client = new pg.Client({ connectionString: url.toString(), application_name: 'cellule-bench-audit-generate' });
  try {
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await client.connect();
    const signer = await AuditSigner.fromSeed(randomBytes(32));
    log(`audit verification: generating a log of ${options.entries} entries…`);
    const t0 = performance.now();
    await generateLog(client, options.entries, signer, log);
    const generateSeconds = (performance.now() - t0) / 1000;
    const audit = new AuditService(ds);
    const sealer = new AuditSealer(ds, signer, audit, { checkpointEvery: CHECKPOINT_EVERY, retentionDays: () => 365 });

    const t1 = performance.now();
    const full = await sealer.verify({ full: true });
    const fullMs = performance.now() - t1;
    if (!full.ok || full.checked !== options.entries) {
      throw new Error(`bench: the generated audit log does not verify as the sealer's would (${full.reason ?? `${full.checked} entries checked`})`);
    }
    const incremental: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const batch: AuditEntry[] = Array.from({ length: incrementalEntries }, (_, i) => ({
        actorId: null,
        organisationId: null,
        action: 'bench.read',
        decision: 'allow',
        purpose: 'bench',
        requestId: `bench-new-${r}-${i}`,
        classes: ['summary'],
      }));
      await audit.recordMany(batch);
      await sealer.seal();
      const t = performance.now();
      const report = await sealer.verify();
      incremental.push(performance.now() - t);
      if (!report.ok || report.mode !== 'incremental' || report.checked !== incrementalEntries) {
        throw new Error(`bench: the incremental verification did not verify the ${incrementalEntries} new entries alone (${report.mode}, ${report.checked})`);
      }
    }
    const incrementalMs = median(incremental);
    log(
      `  verification of ${options.entries} entries: full ${(fullMs / 1000).toFixed(2)} s · incremental after ${incrementalEntries} new ${incrementalMs.toFixed(1)} ms (generated in ${generateSeconds.toFixed(1)} s)`,
    );
    const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
    return {
      auditEntries: options.entries,
      auditGenerateSeconds: round(generateSeconds, 1),
      auditFullVerifyMs: round(fullMs, 0),
      auditIncrementalEntries: incrementalEntries,
      auditIncrementalVerifyMs: round(incrementalMs, 1),
      auditIncrementalRatio: round(fullMs ? incrementalMs / fullMs : 0, 4),
    };
  } finally {
    await client.end().catch(() => undefined);
    if (ds.isInitialized) await ds.destroy();
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
  }
}
