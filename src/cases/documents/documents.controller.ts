import { Controller, Get, Post, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../../access/access.decorator.js';
import { DOCUMENT_CLASSES } from '../../access/access.js';
import { CurrentViewer, type RequestViewer } from '../../auth/viewer.js';
import { ProblemDto } from '../../common/dto/problem.response.js';
import { AppError } from '../../common/errors.js';
import { UuidParam } from '../../common/params.js';
import { DocumentItemDto, DocumentListDto } from './document.response.js';
import { DOCUMENT_MEDIA_TYPES } from './documents.repository.js';
import { documentTooLarge, DocumentsService, MAX_DOCUMENT_BYTES } from './documents.service.js';

/** What a form may add around the file (boundaries, part headers, the class): a longer body is refused before it is read. */
const FORM_OVERHEAD_BYTES = 16 * 1024;

/**
 * The file's bytes as they arrive. The multipart parser stops a file at the limit and marks it
 * truncated (the rest of the body is skipped, never kept): that is the 413 naming the field, before
 * the last chunk is encrypted, so the transaction writes nothing.
 */
async function* contentOf(file: AsyncIterable<Buffer> & { truncated?: boolean }): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of file) {
      if (file.truncated) throw documentTooLarge();
      yield chunk;
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw documentTooLarge();
    throw error;
  }
  if (file.truncated) throw documentTooLarge();
}

/** `attachment`, with an ASCII fallback name and the UTF-8 one (RFC 6266, RFC 8187). */
function disposition(name: string): string {
  const ascii =
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\%]/g, '_') || 'document';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:id/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @Access('case.document.upload')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description: 'One document: `class` first (the class it is filed under), then `file` (PDF, PNG or JPEG, at most 10 MB)',
    schema: {
      type: 'object',
      required: ['class', 'file'],
      properties: { class: { type: 'string', enum: [...DOCUMENT_CLASSES] }, file: { type: 'string', format: 'binary', maxLength: MAX_DOCUMENT_BYTES } },
    },
  })
  @ApiCreatedResponse({ type: DocumentItemDto })
  @ApiPayloadTooLargeResponse({ type: ProblemDto, description: 'The document is larger than 10 MB' })
  @ApiUnsupportedMediaTypeResponse({ type: ProblemDto, description: 'Not a PDF, PNG or JPEG by its content, or not a multipart form' })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'Only the referrer files documents' })
  @ApiConflictResponse({ type: ProblemDto, description: 'The situation is closed' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such situation, or none this account is related to' })
  async upload(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    const length = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(length) && length > MAX_DOCUMENT_BYTES + FORM_OVERHEAD_BYTES) throw documentTooLarge();
    if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send a multipart/form-data form with the fields class and file');
    const part = await req.file({ limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 4, fieldSize: 256, parts: 5 } });
    if (!part || part.fieldname !== 'file') throw AppError.validation('file', 'is required (a form field named file)');
    const given = part.fields['class'];
    const cls = given && !Array.isArray(given) && given.type === 'field' ? String(given.value) : undefined;
    if (cls === undefined) throw AppError.validation('class', 'is required, before the file in the form');
    return this.documents.upload(viewer, id, { cls, fileName: part.filename, content: contentOf(part.file) }, String(req.id));
  }

  @Get()
  @Access('case.document.list')
  @ApiOkResponse({ type: DocumentListDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such situation, or none this account is related to' })
  list(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.documents.list(viewer, id, String(req.id));
  }

  @Get(':documentId')
  @Access('case.document.read')
  @ApiProduces(...DOCUMENT_MEDIA_TYPES)
  @ApiOkResponse({ description: 'The document, as filed', schema: { type: 'string', format: 'binary', maxLength: MAX_DOCUMENT_BYTES } })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such document, or one of a class not released to this account (the same answer)' })
  @ApiGoneResponse({ type: ProblemDto, description: 'Erased with the situation (crypto-shredding)' })
  async download(
    @CurrentViewer() viewer: RequestViewer,
    @UuidParam('id') id: string,
    @UuidParam('documentId') documentId: string,
    @Req() req: FastifyRequest,
  ): Promise<StreamableFile> {
    const doc = await this.documents.download(viewer, id, documentId, String(req.id));
    return new StreamableFile(doc.content, { type: doc.mediaType, disposition: disposition(doc.name), length: doc.content.length });
  }
}
