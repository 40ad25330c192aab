import { describe, expect, it } from 'vitest';
import { fileSize, mediaTypeOf, uploadProblems, uploadRefusal, withheldDocuments, type DocumentList } from './documentForm';

const RULES: DocumentList['upload'] = {
  allowed: true,
  classes: ['identity', 'social', 'health'],
  maxBytes: 10 * 1024 * 1024,
  mediaTypes: ['application/pdf', 'image/png', 'image/jpeg'],
};
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);

describe('the document upload form', () => {
  it('recognises PDF, PNG and JPEG by their first bytes, whatever the name', () => {
    expect(mediaTypeOf(PDF)).toBe('application/pdf');
    expect(mediaTypeOf(PNG)).toBe('image/png');
    expect(mediaTypeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(mediaTypeOf(EXE)).toBeUndefined();
    expect(mediaTypeOf(new Uint8Array([0x25, 0x50]))).toBeUndefined();
  });

  it('asks for a class and a file', () => {
    expect(uploadProblems({ cls: '' }, RULES)).toEqual({
      class: 'Choisissez à quoi ce document se rapporte : cela décide qui pourra le lire.',
      file: 'Choisissez un fichier.',
    });
    expect(uploadProblems({ cls: 'health', file: { name: 'cr.pdf', size: 1200, head: PDF } }, RULES)).toEqual({});
  });

  it('refuses an empty file, one above the limit, and one that is not a PDF, PNG or JPEG by its content (an .exe renamed .pdf)', () => {
    expect(uploadProblems({ cls: 'social', file: { name: 'vide.pdf', size: 0, head: new Uint8Array() } }, RULES).file).toBe('Ce fichier est vide.');
    expect(uploadProblems({ cls: 'social', file: { name: 'gros.pdf', size: 10 * 1024 * 1024 + 1, head: PDF } }, RULES).file).toBe(
      'Ce fichier pèse 10 Mo : un document pèse au plus 10 Mo.',
    );
    expect(uploadProblems({ cls: 'social', file: { name: 'lettre.pdf', size: 5000, head: EXE } }, RULES).file).toContain('PDF, PNG ou JPEG');
    // A PNG named .pdf is fine: the content decides.
    expect(uploadProblems({ cls: 'social', file: { name: 'scan.pdf', size: 5000, head: PNG } }, RULES)).toEqual({});
  });

  it('refuses a class the account may not file under', () => {
    expect(uploadProblems({ cls: 'health', file: { name: 'a.pdf', size: 10, head: PDF } }, { ...RULES, classes: ['social'] }).class).toBe(
      'Vous ne pouvez pas classer un document sous cette rubrique.',
    );
  });

  it('puts the server’s refusals on the field they concern', () => {
    expect(uploadRefusal(413, 'file', RULES)).toEqual({ field: 'file', message: 'Ce fichier dépasse la taille autorisée (10 Mo au plus).' });
    expect(uploadRefusal(415, 'file', RULES).field).toBe('file');
    expect(uploadRefusal(400, 'class', RULES).field).toBe('class');
    expect(uploadRefusal(409, undefined, RULES)).toEqual({ field: undefined, message: 'La situation est close : on n’y ajoute plus de document.' });
  });

  it('writes sizes as French readers do', () => {
    expect(fileSize(1)).toBe('1 octet');
    expect(fileSize(850)).toBe('850 octets');
    expect(fileSize(12_300)).toBe('12 Ko');
    expect(fileSize(3.4 * 1024 * 1024)).toBe('3,4 Mo');
  });

  it('lists the classes withheld, in the page’s order, with their reason', () => {
    expect(withheldDocuments({ withheld: { health: 'sector_not_in_consent_scope', identity: 'not_action_owner' } })).toEqual([
      { cls: 'identity', reason: 'not_action_owner' },
      { cls: 'health', reason: 'sector_not_in_consent_scope' },
    ]);
  });
});
