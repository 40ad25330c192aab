import { randomUUID } from 'node:crypto';
import { CAPS } from '../../common/limits.js';
import { ensureRoom } from '../../database/caps.js';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DOCUMENT_CLASSES, documentReleased, documentsWithheld, type DocumentClass, type WithheldReason } from '../../access/access.js';
import { AccessService } from '../../access/access.service.js';
import type { Action } from '../../access/policy.types.js';
import { AuditService } from '../../audit/audit.service.js';
import type { RequestViewer } from '../../auth/viewer.js';
import { Clock } from '../../common/clock.js';
import { AppError } from '../../common/errors.js';
import { VaultError } from '../../vault/vault-error.js';
import { DOCUMENT_CHUNK_BYTES, VaultService } from '../../vault/vault.service.js';
import { factsOf, loadCase, touchCaseState, type CaseRecord } from '../case.repository.js';
import { refuseCase } from '../case-denial.js';
import { OPEN_STATES } from '../machine/context.js';
import {
  caseDocument,
  caseDocuments,
  documentChunks,
  DOCUMENT_MEDIA_TYPES,
  insertChunk,
  insertDocument,
  type DocumentMediaType,
  type DocumentRow,
} from './documents.repository.js';

/** The largest document accepted (issue 12: 10 MB each). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** The longest file name kept (sealed); a longer one is refused, naming the field. */
export const MAX_DOCUMENT_NAME = 200;

/**
 * The media type of a document from its first bytes (magic numbers), never from its name or the
 * type the client declares: `%PDF-` (PDF), the PNG signature, the JPEG SOI marker followed by a
 * marker. Anything else is refused.
 */
export function mediaTypeOf(head: Uint8Array): DocumentMediaType | null {
  const starts = (...bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return null;
}
const SNIFF_BYTES = 8;

/** A file as the request carries it: the class it is filed under, its name, its content as it arrives. */
export interface IncomingDocument {
  cls: string | undefined;
  fileName: string;
  content: AsyncIterable<Buffer>;
}

export interface DocumentItem {
  id: string;
  class: DocumentClass;
  mediaType: DocumentMediaType;
  size: number;
  name: string;
  uploadedAt: Date;
  /** Filed by the caller. */
  mine: boolean;
}

export interface DocumentList {
  items: DocumentItem[];
  /** The classes whose documents are not shown to the caller, with the reason (never a count, never a name). */
  withheld: Partial<Record<DocumentClass, WithheldReason>>;
  /** The caller may file documents, and under which classes. */
  upload: { allowed: boolean; classes: DocumentClass[]; maxBytes: number; mediaTypes: DocumentMediaType[] };
}

/** A name as a person gave it, without the client's path; control characters refused. */
function cleanName(raw: string): string {
  const base = raw.split(/[\\/]/).pop()!.normalize('NFC').trim();
  if (!base) throw AppError.validation('file', 'has no file name');
  if (/[\u0000-\u001f\u007f]/.test(base)) throw AppError.validation('file', 'its name holds control characters');
  if (base.length > MAX_DOCUMENT_NAME) throw AppError.validation('file', `its name is longer than ${MAX_DOCUMENT_NAME} characters`);
  return base;
}

/**
 * Documents of a situation (issue 12, item 2): filed by the referrer under a protected class,
 * recognised by their bytes, encrypted as they arrive in chunks with the situation's data key
 * (src/vault: secretstream), released like their class (src/access/access.ts, documentReleased),
 * every read and write in the access log, crypto-shredded with the situation.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger('documents');

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly vault: VaultService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The case with the caller's decision, or the 404 of an unknown case (logged). */
  private async decide(manager: EntityManager, viewer: RequestViewer, caseId: string, action: Action, requestId: string | undefined) {
    const at = this.clock.now();
    const record = await loadCase(manager, caseId, viewer, at);
    const decision = record ? this.access.release(viewer, factsOf(record), at) : undefined;
    if (!record || !decision?.relations.length) return refuseCase(this.audit, viewer, action, caseId, Boolean(record), requestId);
    return { record, decision };
  }

  private async deny(
    viewer: RequestViewer,
    record: CaseRecord,
    action: string,
    purpose: string,
    requestId: string | undefined,
    detail: Record<string, unknown> = {},
  ) {
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: record.territoryId,
      action,
      caseId: record.id,
      decision: 'deny',
      purpose,
      requestId,
      detail,
    });
  }

  /**
   * Files one document: checked (class, name, type from the first bytes, size as it arrives),
   * encrypted chunk by chunk and written in one transaction — a refused or interrupted upload
   * leaves nothing behind.
   */
  async upload(viewer: RequestViewer, caseId: string, file: IncomingDocument, requestId?: string): Promise<DocumentItem> {
    const { record, decision } = await this.decide(this.dataSource.manager, viewer, caseId, 'case.document.upload', requestId);
    if (!this.access.relationsPermit(decision.relations, 'case.document.upload')) {
      await this.deny(viewer, record, 'case.document.upload', 'policy', requestId);
      throw AppError.forbidden('Only the referrer of the situation files its documents');
    }
    if (!(OPEN_STATES as readonly string[]).includes(record.state)) {
      throw new AppError('conflict', `Documents are filed while the situation is open; it is ${record.state}`, { state: record.state });
    }
    const cls = file.cls as DocumentClass;
    if (!(DOCUMENT_CLASSES as readonly string[]).includes(cls)) throw AppError.validation('class', `must be one of ${DOCUMENT_CLASSES.join(', ')}`);
    if (!documentReleased(decision, cls)) throw AppError.validation('class', 'you may file only under a class you receive yourself');
    const fileName = cleanName(file.fileName);
    const ref = { territoryId: record.territoryId, caseId: record.id };
    const id = randomUUID();
    const at = this.clock.now();

    const item = await this.dataSource.transaction(async (m) => {
      await ensureRoom(m, {
        key: `documents:${record.id}`,
        othersSql: `SELECT count(*) FROM case_documents WHERE case_id = $1`,
        params: [record.id],
        cap: CAPS.documents,
        field: 'file',
        what: 'A situation',
      });
      const iterator = file.content[Symbol.asyncIterator]();
      // The first bytes decide the type, before anything is encrypted or written.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let ended = false;
      while (pendingBytes < SNIFF_BYTES) {
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          break;
        }
        pending.push(next.value);
        pendingBytes += next.value.length;
      }
      if (pendingBytes === 0) throw AppError.validation('file', 'is empty');
      const mediaType = mediaTypeOf(Buffer.concat(pending).subarray(0, SNIFF_BYTES));
      if (!mediaType) {
        throw new AppError('unsupported_media_type', 'file: only PDF, PNG or JPEG documents are accepted (recognised by their content, not their name)', {
          errors: [{ field: 'file', message: 'is not a PDF, PNG or JPEG document' }],
          accepted: DOCUMENT_MEDIA_TYPES,
        });
      }
      const { stream, nameSealed, keyVersion } = await this.vault.startDocument(m, ref, { id, cls }, fileName);
      let n = 0;
      let size = pendingBytes;
      const flush = async (bytes: Buffer, last: boolean) => {
        await insertChunk(m, { documentId: id, n, territoryId: record.territoryId, sealed: stream.push(bytes, last) });
        n += 1;
      };
      // A full chunk is written once more bytes are known to follow it; the rest, at the end, is the final one.
      for (;;) {
        while (pendingBytes > DOCUMENT_CHUNK_BYTES) {
          const all = Buffer.concat(pending);
          await flush(all.subarray(0, DOCUMENT_CHUNK_BYTES), false);
          pending = [all.subarray(DOCUMENT_CHUNK_BYTES)];
          pendingBytes = all.length - DOCUMENT_CHUNK_BYTES;
        }
        if (ended) break;
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          continue;
        }
        size += next.value.length;
        // The multipart limit stops the stream first; this holds whatever the transport.
        if (size > MAX_DOCUMENT_BYTES) throw documentTooLarge();
        pending.push(next.value);
        pendingBytes += next.value.length;
      }
      const total = size;
      if (total > MAX_DOCUMENT_BYTES) throw documentTooLarge();
      await flush(Buffer.concat(pending), true);
      await insertDocument(m, {
        id,
        caseId: record.id,
        territoryId: record.territoryId,
        cls,
        mediaType,
        size: total,
        chunkCount: n,
        keyVersion,
        nameSealed,
        header: stream.header,
        uploadedBy: viewer.userId,
        uploadedAt: at,
      });
      // The state was checked before the bytes arrived; a closure committed since then wins: nothing is filed.
      const state = await touchCaseState(m, record.id, at);
      if (!state || !(OPEN_STATES as readonly string[]).includes(state)) {
        throw new AppError('conflict', `Documents are filed while the situation is open; it was closed during the upload (${state ?? 'gone'})`, {
          state: state ?? null,
        });
      }
      await this.audit.record(
        {
          actorId: viewer.userId,
          organisationId: viewer.organisationId,
          territoryId: record.territoryId,
          action: 'case.document.upload',
          caseId: record.id,
          classes: [cls],
          decision: 'allow',
          purpose: decision.relations.join(','),
          requestId,
          detail: { documentId: id, mediaType, size: total },
        },
        m,
      );
      return { id, class: cls, mediaType, size: total, name: fileName, uploadedAt: at, mine: true };
    });
    return item;
  }

  /** The documents the caller may see (names opened), and for the other classes why not. Logged with the classes shown. */
  async list(viewer: RequestViewer, caseId: string, requestId?: string): Promise<DocumentList> {
    const manager = this.dataSource.manager;
    const { record, decision } = await this.decide(manager, viewer, caseId, 'case.document.list', requestId);
    const released = DOCUMENT_CLASSES.filter((cls) => documentReleased(decision, cls));
    const withheld = documentsWithheld(decision);
    const rows = await caseDocuments(manager, record.id);
    const shredded = await this.vault.caseShredded(manager, record.id);
    let visible: DocumentRow[] = [];
    let names = new Map<string, string>();
    if (shredded) {
      for (const cls of released) withheld[cls] = 'erased';
    } else {
      visible = rows.filter((r) => released.includes(r.cls) && r.erasedAt === null);
      names = await this.openNames(manager, record, visible);
    }
    const shown = [...new Set(visible.map((r) => r.cls))];
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: record.territoryId,
      action: 'case.document.list',
      caseId: record.id,
      classes: shown,
      decision: 'allow',
      purpose: decision.relations.join(','),
      requestId,
      detail: { documents: visible.length, ...(Object.keys(withheld).length ? { withheld } : {}) },
    });
    const mayUpload =
      this.access.relationsPermit(decision.relations, 'case.document.upload') && !shredded && (OPEN_STATES as readonly string[]).includes(record.state);
    return {
      items: visible.map((r) => ({
        id: r.id,
        class: r.cls,
        mediaType: r.mediaType,
        size: r.size,
        name: names.get(r.id)!,
        uploadedAt: r.uploadedAt,
        mine: r.uploadedBy === viewer.userId,
      })),
      withheld,
      upload: { allowed: mayUpload, classes: mayUpload ? released : [], maxBytes: MAX_DOCUMENT_BYTES, mediaTypes: [...DOCUMENT_MEDIA_TYPES] },
    };
  }

  /**
   * One document, decrypted and checked whole before it is answered. A document of a class not
   * released to the caller is answered as an unknown one (404: its existence is not confirmed); one
   * erased with its situation as the situation's erased content is (410). Every answer is logged.
   */
  async download(viewer: RequestViewer, caseId: string, documentId: string, requestId?: string) {
    const manager = this.dataSource.manager;
    const { record, decision } = await this.decide(manager, viewer, caseId, 'case.document.read', requestId);
    const doc = await caseDocument(manager, record.id, documentId);
    if (!doc) {
      await this.deny(viewer, record, 'case.document.read', 'unknown_document', requestId, { unknownDocument: documentId });
      throw AppError.notFound('Document');
    }
    if (!documentReleased(decision, doc.cls)) {
      await this.deny(viewer, record, 'case.document.read', documentsWithheld(decision)[doc.cls] ?? 'not_released_to_relation', requestId, {
        documentId,
      });
      throw AppError.notFound('Document');
    }
    if (doc.erasedAt !== null || doc.nameSealed === null || doc.header === null || (await this.vault.caseShredded(manager, record.id))) {
      await this.deny(viewer, record, 'case.document.read', 'erased', requestId, { documentId });
      throw new AppError('erased', 'The protected content of this situation was erased (crypto-shredding), this document with it');
    }
    const chunks = await documentChunks(manager, doc.id);
    let opened: { name: string; content: Buffer };
    try {
      if (chunks.length !== doc.chunkCount) throw new VaultError('decrypt_failed', `Document ${doc.id} has ${chunks.length} chunks of ${doc.chunkCount}`);
      opened = await this.vault.openDocument(
        manager,
        { territoryId: record.territoryId, caseId: record.id },
        {
          id: doc.id,
          cls: doc.cls,
          keyVersion: doc.keyVersion,
          nameSealed: doc.nameSealed,
          header: doc.header,
        },
        chunks,
      );
    } catch (error) {
      throw this.unreadable(error, record.id);
    }
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: record.territoryId,
      action: 'case.document.read',
      caseId: record.id,
      classes: [doc.cls],
      decision: 'allow',
      purpose: decision.relations.join(','),
      requestId,
      detail: { documentId: doc.id },
    });
    return { name: opened.name, mediaType: doc.mediaType, content: opened.content };
  }

  private async openNames(manager: EntityManager, record: CaseRecord, rows: DocumentRow[]): Promise<Map<string, string>> {
    try {
      return await this.vault.openDocumentNames(
        manager,
        { territoryId: record.territoryId, caseId: record.id },
        rows.map((r) => ({ id: r.id, cls: r.cls, keyVersion: r.keyVersion, nameSealed: r.nameSealed! })),
      );
    } catch (error) {
      throw this.unreadable(error, record.id);
    }
  }

  /** A vault failure: shredded meanwhile is 410; anything else is never a fallback (logged without a value, 500). */
  private unreadable(error: unknown, caseId: string): unknown {
    if (!(error instanceof VaultError)) return error;
    if (error.code === 'shredded') return new AppError('erased', 'The protected content of this situation was erased (crypto-shredding)');
    this.logger.error({ msg: 'a document of a case cannot be opened', caseId, code: error.code, reason: error.message });
    return new AppError('internal', 'This document cannot be decrypted (integrity check failed or key unavailable); the incident was logged', {
      reason: error.code,
    });
  }
}

/** 413 as a problem detail, naming the field and the limit. */
export function documentTooLarge(): AppError {
  return new AppError('payload_too_large', `file: a document holds at most ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MB`, {
    errors: [{ field: 'file', message: `is larger than ${MAX_DOCUMENT_BYTES} bytes` }],
    maxBytes: MAX_DOCUMENT_BYTES,
  });
}
