/**
 * The annual report as rows (Rubrique, Catégorie, Nombre) — the one list the CSV and the PDF
 * print, so both say the same. Only what GET /stats answers for the same audience: suppressed
 * counts stay "moins de N", no situation reference is ever in it.
 */
import { AGE_BAND, BLOCAGE_KIND, CLOSURE, label, MONTH, OUTCOME, PROBLEM, REASON, SECTION, SECTOR, STATE } from './report.labels.js';
import type { Count, Counts, ReportFigures } from './stats.service.js';

export interface ReportRow {
  section: string;
  category: string;
  value: string;
}

/** The longest CSV the report can make (fixed categories): published as the answer's maxLength, and held. */
export const REPORT_CSV_MAX = 100_000;
/** The largest PDF it can make. */
export const REPORT_PDF_MAX = 1_000_000;

export function reportRows(s: ReportFigures & { territories?: { name: string }[] }): ReportRow[] {
  const shown = (v: Count | null) => (v === 'suppressed' ? `moins de ${s.smallCountThreshold}` : v === null ? '' : String(v).replace('.', ','));
  const rows: ReportRow[] = [];
  const add = (section: string, category: string, value: Count | null) => rows.push({ section, category, value: shown(value) });
  const each = (section: string, counts: Counts | Record<string, number>, labels: Record<string, string>) => {
    const keys = [...Object.keys(labels).filter((k) => k in counts), ...Object.keys(counts).filter((k) => !(k in labels))];
    for (const key of keys) add(section, label(labels, key), counts[key]);
  };
  // A regional report says which territories it is over.
  if (s.territories) add(SECTION.territories, s.territories.map((t) => t.name).join(', '), s.territories.length);
  add(SECTION.total, String(s.year), s.total);
  MONTH.forEach((month, i) => add(SECTION.byMonth, month, s.byMonth[String(i + 1)] ?? 0));
  each(SECTION.byReferrerSector, s.byReferrerSector, SECTOR);
  each(SECTION.byProblem, s.byProblem, PROBLEM);
  each(SECTION.byAgeBand, s.byAgeBand, AGE_BAND);
  each(SECTION.byState, s.byState, STATE);
  each(SECTION.byClosure, s.byClosure, CLOSURE);
  add(SECTION.sessionsHeld, 'Séances ouvertes dans l’année', s.sessionsHeld);
  add(SECTION.examined, 'Examinées pour la première fois', s.examined.new);
  add(SECTION.examined, 'Déjà examinées une année précédente', s.examined.again);
  add(SECTION.examined, 'Examens en séance (une situation examinée deux fois compte deux fois)', s.examined.examinations);
  each(SECTION.byOutcome, s.byOutcome, OUTCOME);
  add(SECTION.consents, 'Refus de consentement', s.consents.refused);
  add(SECTION.consents, 'Retraits de consentement', s.consents.withdrawn);
  each(SECTION.attendanceBySector, s.attendanceBySector, SECTOR);
  each(SECTION.sessionsBySector, s.sessionsBySector, SECTOR);
  add(SECTION.actions, 'Réalisées', s.actions.done);
  add(SECTION.actions, 'Bloquées', s.actions.blocked);
  each(SECTION.carriedOver, s.actions.carriedOver, REASON);
  each(SECTION.cancelled, s.actions.cancelled, REASON);
  add(SECTION.delays, 'De l’envoi de la saisine à son premier examen', s.delays.referralToFirstReview);
  add(SECTION.delays, 'Du premier examen à la clôture', s.delays.reviewToClosure);
  for (const b of s.blocages) {
    add(SECTION.blocages, `${label(BLOCAGE_KIND, b.kind)} — ${label(REASON, b.reason)} — ${label(SECTOR, b.sector)}`, b.count);
  }
  return rows;
}

const cell = (value: string) => (/[";\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The CSV as French spreadsheets open it: semicolons, CRLF, a byte-order mark for the accents. */
export function reportCsv(s: ReportFigures & { territories?: { name: string }[] }): string {
  const lines = [['Rubrique', 'Catégorie', 'Nombre'], ...reportRows(s).map((r) => [r.section, r.category, r.value])];
  const csv = '\uFEFF' + lines.map((line) => line.map(cell).join(';')).join('\r\n') + '\r\n';
  if (csv.length > REPORT_CSV_MAX) throw new Error('the report CSV outgrew its published maximum');
  return csv;
}
