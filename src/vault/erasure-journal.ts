import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The erasure journal (issue 14, item 4): one JSON line per erasure — a situation's data key
 * destroyed (crypto-shredding: the PURGE event, at the end of retention or on an erasure request)
 * or audit entries purged at the end of their retention. It lives with the keyring, outside the
 * database, so that a database restored from a backup made before an erasure can be brought back
 * to it: `npm run restore`, and every server start, re-apply each listed erasure the database
 * does not show (src/jobs/erasures.ts) before a request is served.
 *
 * Lines are appended and flushed to disk (fsync) one at a time, never rewritten. They name ids
 * and sequence numbers only — nothing of a person.
 */
export type ErasureEntry =
  | { format: typeof FORMAT; at: string; kind: 'case.shred'; caseId: string }
  | { format: typeof FORMAT; at: string; kind: 'audit.purge'; throughSeq: string; cutoff: string };

export type NewErasure = { kind: 'case.shred'; caseId: string } | { kind: 'audit.purge'; throughSeq: string; cutoff: string };

const FORMAT = 'cellule-erasure-v1';

/** The default place: beside the keyring file. */
export const ERASURE_JOURNAL_FILE_NAME = 'erasure-journal.jsonl';

export function defaultErasureJournalPath(keyringPath: string): string {
  return path.join(path.dirname(keyringPath), ERASURE_JOURNAL_FILE_NAME);
}

export class ErasureJournal {
  constructor(readonly file: string) {}

  /** Fails at start, naming the file, when the journal cannot be appended to (a read-only mount). */
  checkWritable(): void {
    try {
      closeSync(openSync(this.file, 'a', 0o600));
    } catch (error) {
      throw new Error(
        `The erasure journal ${this.file} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}): set CELLULE_ERASURE_JOURNAL to a writable file kept with the keyring`,
      );
    }
  }

  append(erasures: NewErasure[], at = new Date()): void {
    if (!erasures.length) return;
    const text = erasures.map((e) => `${JSON.stringify({ format: FORMAT, at: at.toISOString(), ...e })}\n`).join('');
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Every entry, oldest first (a line cut by a crash mid-write is skipped). */
  entries(): ErasureEntry[] {
    if (!existsSync(this.file)) return [];
    const out: ErasureEntry[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let entry: Partial<ErasureEntry>;
      try {
        entry = JSON.parse(line) as Partial<ErasureEntry>;
      } catch {
        continue;
      }
      if (entry.format !== FORMAT) throw new Error(`The erasure journal ${this.file} holds a line that is not a Cellule erasure`);
      out.push(entry as ErasureEntry);
    }
    return out;
  }

  /** The ids of the situations whose erasure is journalled. */
  shreddedCases(): Set<string> {
    return new Set(this.entries().flatMap((e) => (e.kind === 'case.shred' ? [e.caseId] : [])));
  }
}
