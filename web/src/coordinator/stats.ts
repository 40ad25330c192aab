import type { Stats } from '../api/queries';
import type { ChartRow } from '../shared/BarChart';
import { CLOSURE_LABEL, MONTH_LABEL, PROBLEM_LABEL, SECTOR_LABEL, STATE_LABEL } from '../shared/labels';

/**
 * The yearly statistics as charts and a spreadsheet: every code of the server in French (the
 * same words as the screens), in a stable order; the CSV as French spreadsheets open it
 * (semicolons, a byte-order mark for the accents).
 */
export interface StatsSection {
  key: 'byMonth' | 'byState' | 'byProblem' | 'byReferrerSector' | 'byClosure';
  title: string;
  rows: ChartRow[];
  vertical?: boolean;
}

function labelled<K extends string>(counts: Record<string, number | 'suppressed'>, labels: Record<K, string>): ChartRow[] {
  const known = (Object.keys(labels) as K[]).filter((key) => key in counts).map((key) => ({ label: labels[key], value: counts[key] }));
  const unknown = Object.keys(counts)
    .filter((key) => !(key in labels))
    .map((key) => ({ label: key === 'unknown' ? 'Non renseigné' : key, value: counts[key] }));
  return [...known, ...unknown];
}

export function statsSections(stats: Stats): StatsSection[] {
  return [
    {
      key: 'byMonth',
      title: 'Saisines reçues chaque mois',
      vertical: true,
      rows: MONTH_LABEL.map((label, i) => ({ label, value: stats.byMonth[String(i + 1)] ?? 0 })),
    },
    { key: 'byProblem', title: 'Difficultés rencontrées (une situation peut en avoir plusieurs)', rows: labelled(stats.byProblem, PROBLEM_LABEL) },
    { key: 'byReferrerSector', title: 'Secteur du référent qui a saisi la cellule', rows: labelled(stats.byReferrerSector, SECTOR_LABEL) },
    { key: 'byState', title: 'Étape où en sont les situations de l’année', rows: labelled(stats.byState, STATE_LABEL) },
    { key: 'byClosure', title: 'Comment elles ont été closes', rows: labelled(stats.byClosure, CLOSURE_LABEL) },
  ];
}

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The figures as a CSV for a French spreadsheet: Rubrique;Catégorie;Nombre. */
export function statsCsv(stats: Stats): string {
  const lines: (string | number)[][] = [['Rubrique', 'Catégorie', 'Nombre']];
  lines.push(['Année', String(stats.year), stats.total === 'suppressed' ? 'moins de 5' : stats.total]);
  for (const section of statsSections(stats)) {
    for (const row of section.rows) lines.push([section.title, row.label, row.value === 'suppressed' ? 'moins de 5' : row.value]);
  }
  if (stats.medianDelayDays !== 'suppressed') {
    const d = stats.medianDelayDays;
    const days = (v: number | null) => (v === null ? '' : String(v).replace('.', ','));
    lines.push(['Délai médian (jours)', 'De l’envoi de la saisine à son acceptation', days(d.submittedToAccepted)]);
    lines.push(['Délai médian (jours)', 'De l’envoi de la saisine à son examen en séance', days(d.submittedToReview)]);
    lines.push(['Délai médian (jours)', 'De l’examen au plan d’action adopté', days(d.reviewToPlan)]);
  }
  return '\uFEFF' + lines.map((line) => line.map(csvCell).join(';')).join('\r\n') + '\r\n';
}
