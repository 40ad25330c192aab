import { execute, select, type SqlRunner } from '../../database/sql.js';
import type { DocumentClass } from '../../access/access.js';

/** The media types a document may have: recognised from its first bytes (documents.ts, mediaTypeOf). */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** A document row: what is in clear (class, type, size, who and when), and its sealed parts. */
export interface DocumentRow {
  id: string;
  caseId: string;
  territoryId: string;
  cls: DocumentClass;
  mediaType: DocumentMediaType;
  size: number;
  chunkCount: number;
  keyVersion: number;
  nameSealed: Buffer | null;
  header: Buffer | null;
  uploadedBy: string;
  uploadedAt: Date;
  erasedAt: Date | null;
}

const COLUMNS = `id, case_id AS "caseId", territory_id AS "territoryId", class AS cls, media_type AS "mediaType", size_bytes AS size,
  chunk_count AS "chunkCount", key_version AS "keyVersion", name_sealed AS "nameSealed", stream_header AS header,
  uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt", erased_at AS "erasedAt"`;

/** The documents of a case, oldest first (erased ones included: their rows say they existed). */
export function caseDocuments(db: SqlRunner, caseId: string): Promise<DocumentRow[]> {
  return select<DocumentRow>(db, `SELECT ${COLUMNS} FROM case_documents WHERE case_id = $1 ORDER BY uploaded_at, id`, [caseId]);
}

export async function caseDocument(db: SqlRunner, caseId: string, documentId: string): Promise<DocumentRow | undefined> {
  const [row] = await select<DocumentRow>(db, `SELECT ${COLUMNS} FROM case_documents WHERE case_id = $1 AND id = $2`, [caseId, documentId]);
  return row;
}

/** One encrypted chunk; the document row comes last (the chunks' reference is checked at commit). */
export async function insertChunk(db: SqlRunner, chunk: { documentId: string; n: number; territoryId: string; sealed: Buffer }): Promise<void> {
  await execute(db, 'INSERT INTO case_document_chunks (document_id, n, territory_id, sealed) VALUES ($1, $2, $3, $4)', [
    chunk.documentId,
    chunk.n,
    chunk.territoryId,
    chunk.sealed,
  ]);
}

export async function insertDocument(
  db: SqlRunner,
  doc: Omit<DocumentRow, 'erasedAt' | 'nameSealed' | 'header'> & { nameSealed: Buffer; header: Buffer },
): Promise<void> {
  await execute(
    db,
    `INSERT INTO case_documents (id, case_id, territory_id, class, media_type, size_bytes, chunk_count, key_version, name_sealed, stream_header, uploaded_by, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      doc.id,
      doc.caseId,
      doc.territoryId,
      doc.cls,
      doc.mediaType,
      doc.size,
      doc.chunkCount,
      doc.keyVersion,
      doc.nameSealed,
      doc.header,
      doc.uploadedBy,
      doc.uploadedAt,
    ],
  );
}

/** The encrypted chunks of a document, in order. */
export async function documentChunks(db: SqlRunner, documentId: string): Promise<Buffer[]> {
  const rows = await select<{ sealed: Buffer }>(db, 'SELECT sealed FROM case_document_chunks WHERE document_id = $1 ORDER BY n', [documentId]);
  return rows.map((r) => r.sealed);
}
