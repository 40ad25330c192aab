import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { KEYRING_FILE_NAME, parseKeyring } from '../vault/keyring.js';
import { AuditSigner, publicKeySet, type PublicKeySet } from './audit-signer.js';
import { lastAnchor } from './audit-anchor.js';
import { readAuditKeyFile } from './audit-key.js';
import { verifyAuditOffline, type VerifiedMark, type VerifyReport } from './audit-verify.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = `Usage: node dist/src/cli/audit-verify.js [--public-key <base64>]... [--anchor <file>] [--state <file> [--full]]

Verifies the audit log of a Cellule database offline: recomputes the hash chain, checks every
signed checkpoint, prints the report (JSON) and exits 0 when intact, 1 when broken, 2 on error.

  DATABASE_URL               the database (absent: the embedded PostgreSQL of CELLULE_DATA_DIR, default ./var)
  --public-key <base64>      a trusted Ed25519 public key (repeatable); otherwise
  CELLULE_AUDIT_PUBLIC_KEYS  comma-separated trusted public keys; otherwise the key derived from
  CELLULE_AUDIT_KEY          the audit signing key file; otherwise
  CELLULE_KEYRING            the keyring (default: CELLULE_DATA_DIR/keyring.json)
  --anchor <file>            also verify against the last anchor of this file (npm run audit:anchor):
                             entries deleted since that head (the tail cut) are reported missing
  --state <file>             incremental: start where the last intact verification recorded in this
                             file ended (recompute only what was sealed since), then record the new
                             end there. Keep the file on the auditor's side, out of the database
                             holder's reach: whoever can write it decides what is skipped
  --full                     with --state: recompute the whole chain anyway (do it regularly: an
                             entry edited in place before the recorded end is only seen by a full run)
`;

const STATE_FORMAT = 'cellule-audit-verified-state-v1';

/** The mark of a --state file (absent: none yet). */
export function readStateFile(file: string): VerifiedMark | undefined {
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<string, string | null>>;
  if (state.format !== STATE_FORMAT || typeof state.seq !== 'string' || typeof state.hash !== 'string' || typeof state.checkpointId !== 'string') {
    throw new Error(`${file} is not a Cellule audit verification state file`);
  }
  return { seq: state.seq, eventId: state.eventId ?? null, hash: Buffer.from(state.hash, 'base64'), checkpointId: state.checkpointId };
}

function writeStateFile(file: string, mark: VerifiedMark, at: Date): void {
  const text = JSON.stringify({ format: STATE_FORMAT, ...mark, hash: mark.hash.toString('base64'), verifiedAt: at.toISOString() }, null, 2);
  writeFileSync(`${file}.tmp`, `${text}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** The trusted keys: given on the command line, in the environment, or derived from the keyring. */
async function trustedKeys(args: string[], env: NodeJS.ProcessEnv, dataDir: string): Promise<{ keys: PublicKeySet; source: string }> {
  const given: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--public-key' && args[i + 1]) given.push(args[++i]);
    else if ((args[i] === '--anchor' || args[i] === '--state') && args[i + 1]) i++;
    else if (args[i] === '--full') continue;
    else if (args[i].startsWith('--public-key=')) given.push(args[i].slice('--public-key='.length));
    else throw new Error(`Unknown argument number ${i + 1}\n${USAGE}`);
  }
  if (given.length) return { keys: publicKeySet(given), source: 'command line' };
  if (env.CELLULE_AUDIT_PUBLIC_KEYS) {
    return { keys: publicKeySet(env.CELLULE_AUDIT_PUBLIC_KEYS.split(',').filter((k) => k.trim())), source: 'CELLULE_AUDIT_PUBLIC_KEYS' };
  }
  if (env.CELLULE_AUDIT_KEY) {
    const signer = await AuditSigner.fromSeed(readAuditKeyFile(path.resolve(env.CELLULE_AUDIT_KEY)).seed);
    return { keys: signer.publicKeys, source: `audit key ${env.CELLULE_AUDIT_KEY}` };
  }
  const file = path.resolve(env.CELLULE_KEYRING || path.join(dataDir, KEYRING_FILE_NAME));
  if (!existsSync(file)) throw new Error(`No trusted public key: pass --public-key, set CELLULE_AUDIT_PUBLIC_KEYS, or point CELLULE_KEYRING to the keyring`);
  const keyring = parseKeyring(readFileSync(file, 'utf8'), file);
  if (!keyring.auditSigningSeed) throw new Error(`Keyring ${file} has no audit signing seed: pass the trusted public key with --public-key`);
  const signer = await AuditSigner.fromSeed(keyring.auditSigningSeed);
  return { keys: signer.publicKeys, source: `keyring ${file}` };
}

/**
 * The database to verify: DATABASE_URL, or the embedded cluster of the data folder — the running
 * one when a server already uses it, else started for the verification and stopped afterwards.
 */
export async function withDatabase<T>(env: NodeJS.ProcessEnv, dataDir: string, io: CliIo, fn: (url: string) => Promise<T>): Promise<T> {
  if (env.DATABASE_URL) return fn(env.DATABASE_URL);
  const dir = path.join(dataDir, 'postgres');
  const pidFile = path.join(dir, 'cluster', 'postmaster.pid');
  const secretFile = path.join(dir, 'superuser.secret');
  if (!existsSync(path.join(dir, 'cluster', 'PG_VERSION'))) throw new Error(`No DATABASE_URL and no embedded database in ${dir}`);
  if (existsSync(pidFile) && existsSync(secretFile)) {
    const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
    if (Number.isInteger(port) && port > 0) {
      const password = readFileSync(secretFile, 'utf8').trim();
      io.err(`Using the running embedded PostgreSQL of ${dir} (port ${port})`);
      return fn(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/cellule`);
    }
  }
  io.err(`Starting the embedded PostgreSQL of ${dir}`);
  const server = await startEmbeddedPostgres({ dir, preferredPort: Number(env.CELLULE_EMBEDDED_PG_PORT) || 54329, persistent: true });
  try {
    return await fn(server.urlFor('cellule'));
  } finally {
    await server.stop();
  }
}

/** The CLI, minus the process: answers the exit code. */
export async function runAuditVerify(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  try {
    const dataDir = path.resolve(env.CELLULE_DATA_DIR || './var');
    const { keys, source } = await trustedKeys(args, env, dataDir);
    io.err(`Trusted audit keys (${source}): ${[...keys.keys()].join(', ')}`);
    const anchorAt = args.indexOf('--anchor');
    const anchor = anchorAt >= 0 ? lastAnchor(readFileSync(path.resolve(args[anchorAt + 1]), 'utf8')) : undefined;
    const stateAt = args.indexOf('--state');
    const stateFile = stateAt >= 0 ? path.resolve(args[stateAt + 1]) : undefined;
    const from = stateFile && !args.includes('--full') ? readStateFile(stateFile) : undefined;
    const report: VerifyReport = await withDatabase(env, dataDir, io, (url) => verifyAuditOffline(url, keys, { anchor, from }));
    if (stateFile && report.ok && report.verified) writeStateFile(stateFile, report.verified, new Date());
    io.out(JSON.stringify({ ...report, verified: report.verified && { ...report.verified, hash: report.verified.hash.toString('base64') } }, null, 2));
    io.err(
      report.ok
        ? `Audit log intact: ${report.checked} entries, ${report.checkpoints} signed checkpoints verified${report.mode === 'incremental' ? ` since sequence ${report.fromSeq} (the last verification recorded in ${stateFile})` : ''}${report.unsealed ? ` (${report.unsealed} not sealed yet)` : ''}`
        : report.reason === 'truncated'
          ? `Audit log TRUNCATED: ${report.anchor?.missingEntries} entries missing after sequence ${BigInt(report.brokenSeq ?? '1') - 1n} (anchored head: checkpoint ${report.anchor?.id} at sequence ${report.anchor?.seq})`
          : `Audit log BROKEN at entry ${report.firstBrokenId} (sequence ${report.brokenSeq}): ${report.reason}`,
    );
    return report.ok ? 0 : 1;
  } catch (error) {
    // Messages name files and problems, never a key or a password.
    io.err(`audit-verify: ${(error as Error).message}`);
    return 2;
  }
}
