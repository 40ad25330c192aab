/**
 * PDFs as a client reads them: the raw bytes of an answer (supertest's `.buffer(true).parse(binary)`)
 * and their text, page after page (pdf.js).
 */
import type { Response } from 'supertest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A supertest parser that keeps the body as bytes. */
export const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** The text of a PDF, page after page. */
export async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  await pdf.destroy();
  return pages.join('\n');
}
