import { CAPS } from '../../common/limits.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOCUMENT_CLASSES, WITHHELD_REASONS, type DocumentClass, type WithheldReason } from '../../access/access.js';
import { DOCUMENT_MEDIA_TYPES, type DocumentMediaType } from './documents.repository.js';
import { MAX_DOCUMENT_NAME } from './documents.service.js';

const CLASS = { enum: DOCUMENT_CLASSES, enumName: 'DocumentClass' } as const;
const MEDIA = { enum: DOCUMENT_MEDIA_TYPES, enumName: 'DocumentMediaType' } as const;
const reason = (cls: string) =>
  ApiPropertyOptional({
    enum: WITHHELD_REASONS,
    enumName: 'WithheldReason',
    description: `Why the ${cls} documents are not listed (a code, never a count or a name)`,
  });

/** One document as the caller may see it: its name is protected, answered only with its class. */
export class DocumentItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ ...CLASS, description: 'The class it is filed under, and released like' }) class: DocumentClass;
  @ApiProperty({ ...MEDIA, description: 'Recognised from its first bytes' }) mediaType: DocumentMediaType;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ maxLength: MAX_DOCUMENT_NAME, description: 'The file name given at upload (protected: sealed at rest)' }) name: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
  @ApiProperty({ description: 'Filed by the caller' }) mine: boolean;
}

export class DocumentsWithheldDto {
  @reason('identity') identity?: WithheldReason;
  @reason('social') social?: WithheldReason;
  @reason('health') health?: WithheldReason;
}

export class DocumentUploadRulesDto {
  @ApiProperty({ description: 'The caller may file a document now' }) allowed: boolean;
  @ApiProperty({ maxItems: DOCUMENT_CLASSES.length, ...CLASS, isArray: true, description: 'The classes the caller may file under' }) classes: DocumentClass[];
  @ApiProperty({ description: 'The largest document accepted, in bytes' }) maxBytes: number;
  @ApiProperty({ maxItems: DOCUMENT_MEDIA_TYPES.length, ...MEDIA, isArray: true }) mediaTypes: DocumentMediaType[];
}

export class DocumentListDto {
  @ApiProperty({ maxItems: CAPS.documents, type: [DocumentItemDto] }) items: DocumentItemDto[];
  @ApiProperty({ type: DocumentsWithheldDto }) withheld: DocumentsWithheldDto;
  @ApiProperty({ type: DocumentUploadRulesDto }) upload: DocumentUploadRulesDto;
}
