/**
 * The annual activity report as a printable PDF, in French (pdfkit, as the session record:
 * src/commissions/record.pdf.ts): the rows of report.export.ts grouped by section, nothing else —
 * categories and counts, never a situation reference nor a name.
 */
import { openPdf, pdfText as plain } from '../common/pdf.js';
import { REPORT_PDF_MAX, reportRows } from './report.export.js';
import type { YearlyStats } from './stats.service.js';

export async function renderReportPdf(stats: YearlyStats, at: Date): Promise<Buffer> {
  const title = `Rapport d’activité ${stats.year}`;
  const { doc, done } = await openPdf(title, (pdf) => (pdf.length > REPORT_PDF_MAX ? 'the report PDF outgrew its published maximum' : null));
  const write = (text: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(plain(text), options);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  doc.font('Helvetica-Bold').fontSize(18);
  write(title);
  doc.font('Helvetica').fontSize(11).moveDown(0.3);
  write('Cellule de cas complexes du conseil local de santé mentale');
  const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
  write(`Établi le ${day.format(at)} — ${stats.audience === 'public' ? 'chiffres destinés à une publication' : 'chiffres exacts, pour la coordination'}`);
  doc.fontSize(9).fillColor('#444444');
  write(
    stats.audience === 'public'
      ? `Document anonyme : les effectifs de moins de ${stats.smallCountThreshold} sont masqués (« moins de ${stats.smallCountThreshold} ») ; aucune situation n’y est désignée.`
      : 'Document anonyme : aucune situation n’y est désignée. Chiffres exacts, à ne pas publier tels quels (les petits effectifs pourraient désigner une personne).',
  );
  doc.fillColor('#000000').moveDown();

  let section = '';
  for (const row of reportRows(stats)) {
    if (row.section !== section) {
      section = row.section;
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12);
      write(section);
      doc.font('Helvetica').fontSize(10);
    }
    if (doc.y > doc.page.height - doc.page.margins.bottom - 40) doc.addPage();
    const y = doc.y;
    write(row.category, { width: width - 90 });
    const after = doc.y;
    doc.text(plain(row.value), left + width - 80, y, { width: 80, align: 'right' });
    doc.x = left;
    doc.y = Math.max(after, doc.y);
  }
  doc.end();
  return done;
}
