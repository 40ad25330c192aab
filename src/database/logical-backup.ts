import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type pg from 'pg';

/**
 * A logical export of the schema's tables (the embedded PostgreSQL package ships no pg_dump):
 * one gzip'd file of JSON lines per table (`to_jsonb(row)`: every type round-trips through its
 * text form), read in one REPEATABLE READ snapshot, and loaded back with
 * `jsonb_populate_recordset` into a migrated database of the same schema version.
 *
 * Rows leave as they are stored: protected values stay encrypted (the data keys wrapped by the
 * keyring's KEKs), the audit log keeps its chain and signatures.
 */

const FETCH = 2000;
const LOAD_BATCH = 1000;

/** The schema's tables, by name (quoted where needed by the caller through quote_ident). */
export async function listTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

/**
 * Whether the connected role sees every row of every table (row-level security applies to anyone
 * else): a superuser, a BYPASSRLS role, or the tables' owner. Answers the tables it would not.
 */
export async function tablesHiddenByRowSecurity(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, pg_roles r
      WHERE r.rolname = current_user AND n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relrowsecurity
        AND NOT (r.rolsuper OR r.rolbypassrls OR (pg_has_role(r.oid, c.relowner, 'USAGE') AND NOT c.relforcerowsecurity))
      ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

/** Writes `table` as `<dir>/<table>.jsonl.gz`, inside the caller's transaction; answers the row count. */
export async function dumpTable(client: pg.Client, table: string, dir: string): Promise<number> {
  const [{ ident }] = (await client.query<{ ident: string }>(`SELECT quote_ident($1) AS ident`, [table])).rows;
  await client.query(`DECLARE cellule_dump NO SCROLL CURSOR FOR SELECT to_jsonb(t)::text AS j FROM ${ident} t`);
  let count = 0;
  async function* lines(): AsyncGenerator<string> {
    for (;;) {
      const { rows } = await client.query<{ j: string }>(`FETCH ${FETCH} FROM cellule_dump`);
      if (!rows.length) return;
      count += rows.length;
      yield rows.map((r) => `${r.j}\n`).join('');
    }
  }
  try {
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(path.join(dir, `${table}.jsonl.gz`), { mode: 0o600 }));
  } finally {
    await client.query(`CLOSE cellule_dump`);
  }
  return count;
}

/**
 * Loads `<dir>/<table>.jsonl.gz` into `table` (emptied first), inside the caller's transaction,
 * with `session_replication_role = replica` set by the caller (triggers — the audit log's
 * append-only guard, the foreign keys — are the ones of the source database, already satisfied).
 */
export async function loadTable(client: pg.Client, table: string, dir: string): Promise<number> {
  const [{ ident }] = (await client.query<{ ident: string }>(`SELECT quote_ident($1) AS ident`, [table])).rows;
  await client.query(`DELETE FROM ${ident}`);
  const input = createReadStream(path.join(dir, `${table}.jsonl.gz`)).pipe(createGunzip());
  let batch: string[] = [];
  let count = 0;
  const flush = async () => {
    if (!batch.length) return;
    await client.query(`INSERT INTO ${ident} OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_recordset(NULL::${ident}, $1::jsonb)`, [
      `[${batch.join(',')}]`,
    ]);
    count += batch.length;
    batch = [];
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(line);
    if (batch.length >= LOAD_BATCH) await flush();
  }
  await flush();
  // Identity and serial columns continue after the loaded rows.
  const { rows } = await client.query<{ seq: string; col: string }>(
    `SELECT pg_get_serial_sequence(quote_ident($1), a.attname) AS seq, quote_ident(a.attname) AS col
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence(quote_ident($1), a.attname) IS NOT NULL`,
    [table],
  );
  for (const { seq, col } of rows) {
    await client.query(`SELECT setval($1, coalesce((SELECT max(${col}) FROM ${ident}), 0) + 1, false)`, [seq]);
  }
  return count;
}

/** The rows of `<dir>/<table>.jsonl.gz` as the export wrote them (`to_jsonb`: a bytea is "\\x…" hex), for checks before a load. */
export async function readTableRows(dir: string, table: string): Promise<Record<string, unknown>[]> {
  const input = createReadStream(path.join(dir, `${table}.jsonl.gz`)).pipe(createGunzip());
  const rows: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line) rows.push(JSON.parse(line) as Record<string, unknown>);
  return rows;
}
