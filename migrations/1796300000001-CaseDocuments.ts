import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, item 2 — documents of a situation (a signed consent form, letters).
 * - `case_documents`: one row per document, filed under a protected class (identity, social,
 *   health) and released like it. In clear: the class, the media type recognised from the bytes,
 *   the size, who filed it and when — never the file name, sealed in `name_sealed` with the
 *   situation's data key (src/vault). `stream_header` opens the content's secretstream.
 * - `case_document_chunks`: the content, encrypted with the situation's data key in chunks of
 *   64 KiB (libsodium secretstream, the last chunk tagged final: a truncated or reordered
 *   document does not open). Written in the upload's transaction: the chunks' reference to their
 *   document is checked at commit, the document row being written last (no partial write).
 * Crypto-shredding the situation (PURGE, DELETE_DRAFT, the operator's erasure) deletes the chunks
 * and the sealed name and marks the row erased: the row says a document existed, nothing else.
 * Both tables carry their territory and get the row-level security of TerritoryRowSecurity.
 */
export class CaseDocuments1796300000001 implements MigrationInterface {
  name = 'CaseDocuments1796300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_documents (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        class text NOT NULL CHECK (class IN ('identity', 'social', 'health')),
        media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        chunk_count integer NOT NULL CHECK (chunk_count > 0),
        key_version smallint NOT NULL,
        name_sealed bytea,
        stream_header bytea,
        uploaded_by uuid NOT NULL REFERENCES users(id),
        uploaded_at timestamptz NOT NULL,
        erased_at timestamptz,
        CHECK ((name_sealed IS NULL) = (erased_at IS NOT NULL)),
        CHECK ((stream_header IS NULL) = (erased_at IS NOT NULL))
      );
      CREATE INDEX case_documents_case ON case_documents (case_id, uploaded_at);
      CREATE TABLE case_document_chunks (
        document_id uuid NOT NULL REFERENCES case_documents(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        n integer NOT NULL CHECK (n >= 0),
        territory_id uuid NOT NULL REFERENCES territories(id),
        sealed bytea NOT NULL,
        PRIMARY KEY (document_id, n)
      );
    `);
    // The row-level security of migration TerritoryRowSecurity, for the two new tables.
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    for (const table of ['case_documents', 'case_document_chunks']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY territory_scope ON ${table} FOR ALL TO PUBLIC USING ${visible} WITH CHECK ${visible}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_document_chunks, case_documents`);
  }
}
