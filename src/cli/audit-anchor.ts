import { appendFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { anchorOf, latestCheckpoint } from '../audit/audit-anchor.js';
import { withDatabase } from '../audit/audit-verify-cli.js';

/**
 * `npm run audit:anchor [-- <file>]`: copies the latest signed checkpoint head out of the database
 * — appended as one JSON line to <file>, or written to standard output for a witness. Run it on a
 * schedule from another host (cron, CI) and keep the file there: `npm run audit:verify -- --anchor
 * <file>` then reports the entries deleted since (a cut tail). Reads only (the auditor role is enough).
 */
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h') || args.length > 1) {
  process.stdout.write('Usage: node dist/src/cli/audit-anchor.js [<anchor file>]   (DATABASE_URL, or the embedded database of CELLULE_DATA_DIR)\n');
  process.exit(args.length > 1 ? 2 : 0);
}
try {
  const dataDir = path.resolve(process.env.CELLULE_DATA_DIR || './var');
  const io = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };
  const checkpoint = await withDatabase(process.env, dataDir, io, async (url) => {
    const client = new pg.Client({ connectionString: url, application_name: 'cellule-audit-anchor' });
    await client.connect();
    try {
      return await latestCheckpoint(async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[]);
    } finally {
      await client.end();
    }
  });
  if (!checkpoint) throw new Error('No signed checkpoint yet: nothing to anchor');
  const line = JSON.stringify(anchorOf(checkpoint, new Date()));
  if (args[0]) {
    appendFileSync(path.resolve(args[0]), `${line}\n`, { mode: 0o644 });
    io.err(`Anchored checkpoint ${checkpoint.id} (sequence ${checkpoint.seq}) in ${args[0]}`);
  } else {
    io.out(line);
  }
  process.exit(0);
} catch (error) {
  process.stderr.write(`audit-anchor: ${(error as Error).message}\n`);
  process.exit(1);
}
