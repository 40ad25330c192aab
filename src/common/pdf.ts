/**
 * The one way Cellule opens a PDF (the session record, the annual report, the person's copy, the
 * information letter and the consent receipt): pdfkit, A4, French, the standard fonts, collected
 * into one Buffer.
 *
 * pdfkit is loaded with the first document, not at start: with its font tables it is ~4 MB of heap
 * (~13 MB resident) that a server holds for as long as it runs, while PDFs are printed a few times
 * a month (the server's peak resident memory is a target of the benchmark).
 */
import type PDFKitDocument from 'pdfkit';

type PdfDocumentClass = typeof PDFKitDocument;
let pdfkit: Promise<PdfDocumentClass> | undefined;

/** pdfkit's document class, imported once. */
function documentClass(): Promise<PdfDocumentClass> {
  // A failed import is not kept: the next document tries again.
  pdfkit ??= import('pdfkit').then(
    (module) => module.default,
    (error: unknown) => {
      pdfkit = undefined;
      throw error;
    },
  );
  return pdfkit;
}

export interface OpenedPdf {
  readonly doc: PDFKit.PDFDocument;
  /** The whole file, once `doc.end()` is called; rejects on pdfkit's error or `check`'s. */
  readonly done: Promise<Buffer>;
}

/**
 * A new A4 document titled `title`; `check` may refuse the finished file (a published size limit)
 * by returning why.
 */
export async function openPdf(title: string, check?: (pdf: Buffer) => string | null): Promise<OpenedPdf> {
  const PDFDocument = await documentClass();
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Creator: 'Cellule' }, lang: 'fr-FR' });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      const pdf = Buffer.concat(chunks);
      const refused = check?.(pdf);
      if (refused) reject(new Error(refused));
      else resolve(pdf);
    });
    doc.on('error', reject);
  });
  return { doc, done };
}

/** The standard fonts encode WinAnsi: the narrow and non-breaking spaces of French formatting become plain spaces. */
export const pdfText = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');
