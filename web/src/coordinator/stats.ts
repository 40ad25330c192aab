import type { ReportFigures as Stats } from '../api/queries';
import type { ChartRow } from '../shared/BarChart';
import { AGE_BAND_LABEL, CLOSURE_LABEL, MONTH_LABEL, OUTCOME_LABEL, PROBLEM_LABEL, SECTOR_LABEL, STATE_LABEL } from '../shared/labels';
import { CANCEL_REASON_LABEL } from '../situations/afterPlanForms';
import { BLOCK_REASON_LABEL } from '../situations/actionUpdateForm';
import { OTHER_SECTOR_WORD, REASON_NOT_GIVEN_WORD } from '../../../src/common/words.fr';

/**
 * The yearly statistics and annual activity report as charts and tables: every code of the
 * server in French (the same words as the screens), in a stable order. The CSV and the PDF are the
 * server's (GET /stats?format=csv|pdf): the page links to them.
 */
export interface StatsSection {
  key: 'byMonth' | 'byState' | 'byProblem' | 'byReferrerSector' | 'byClosure' | 'byAgeBand' | 'byOutcome' | 'attendanceBySector' | 'carriedOver';
  title: string;
  rows: ChartRow[];
  vertical?: boolean;
  unit?: string;
}

type Count = number | 'suppressed';

function labelled<K extends string>(counts: Record<string, Count>, labels: Record<K, string>): ChartRow[] {
  const known = (Object.keys(labels) as K[]).filter((key) => key in counts).map((key) => ({ label: labels[key], value: counts[key] }));
  const unknown = Object.keys(counts)
    .filter((key) => !(key in labels))
    .map((key) => ({ label: key === 'unknown' ? 'Non renseigné' : key, value: counts[key] }));
  return [...known, ...unknown];
}

const SECTORS: Record<string, string> = { ...SECTOR_LABEL, other: OTHER_SECTOR_WORD };
const REASONS: Record<string, string> = { ...BLOCK_REASON_LABEL, ...CANCEL_REASON_LABEL, not_given: REASON_NOT_GIVEN_WORD };

/** The situations referred in the year (the existing figures of GET /stats). */
export function statsSections(stats: Stats): StatsSection[] {
  return [
    {
      key: 'byMonth',
      title: 'Saisines reçues chaque mois',
      vertical: true,
      rows: MONTH_LABEL.map((label, i) => ({ label, value: stats.byMonth[String(i + 1)] ?? 0 })),
    },
    {
      key: 'byProblem',
      title: 'Difficultés rencontrées (une situation peut en avoir plusieurs)',
      rows: labelled(stats.byProblem, PROBLEM_LABEL),
      unit: 'mentions',
    },
    { key: 'byReferrerSector', title: 'Secteur du référent qui a saisi la cellule', rows: labelled(stats.byReferrerSector, SECTOR_LABEL) },
    { key: 'byAgeBand', title: 'Âge de la personne', rows: labelled(stats.byAgeBand, AGE_BAND_LABEL) },
    { key: 'byState', title: 'Étape où en sont les situations de l’année', rows: labelled(stats.byState, STATE_LABEL) },
    { key: 'byClosure', title: 'Comment elles ont été closes', rows: labelled(stats.byClosure, CLOSURE_LABEL) },
  ];
}

/** What happened in the year, whenever the situation was referred: outcomes, attendance, actions. */
export function activitySections(stats: Stats): StatsSection[] {
  return [
    { key: 'byOutcome', title: 'Résultats retenus par la commission à la clôture', rows: labelled(stats.byOutcome, OUTCOME_LABEL) },
    { key: 'attendanceBySector', title: 'Présences en séance par secteur', rows: labelled(stats.attendanceBySector, SECTORS), unit: 'personnes' },
    { key: 'carriedOver', title: 'Actions reportées, par raison', rows: labelled(stats.actions.carriedOver, REASONS), unit: 'actions' },
  ];
}

/** The key figures of the year, in the order a COPIL reads them. */
export function keyFigures(stats: Stats): { label: string; value: Count }[] {
  return [
    { label: 'Saisines reçues', value: stats.total },
    { label: 'Séances tenues', value: stats.sessionsHeld },
    { label: 'Situations examinées pour la première fois', value: stats.examined.new },
    { label: 'Situations déjà examinées une année précédente', value: stats.examined.again },
    { label: 'Examens en séance', value: stats.examined.examinations },
    { label: 'Refus de consentement', value: stats.consents.refused },
    { label: 'Retraits de consentement', value: stats.consents.withdrawn },
    { label: 'Actions réalisées', value: stats.actions.done },
    { label: 'Actions bloquées', value: stats.actions.blocked },
  ];
}

/** The "blocages" table for the CLSM plenary: one row per kind, reason and owner sector. */
export function blocageRows(stats: Stats): { kind: string; reason: string; sector: string; count: Count }[] {
  return stats.blocages.map((b) => ({
    kind: b.kind === 'blocked' ? 'Bloquée' : 'Reportée',
    reason: REASONS[b.reason] ?? b.reason,
    sector: SECTORS[b.sector] ?? b.sector,
    count: b.count,
  }));
}

/** The server's export of the report (the same figures, for the same audience). */
export function reportUrl(year: number, audience: Stats['audience'], format: 'csv' | 'pdf'): string {
  const query = new URLSearchParams({ year: String(year), format });
  if (audience === 'public') query.set('audience', 'public');
  return `/stats?${query.toString()}`;
}

/** The regional report's CSV (the server's, same figures as shown): the chosen territories, or all when none is chosen. */
export function regionalReportUrl(year: number, territoryIds: string[]): string {
  const query = new URLSearchParams({ year: String(year), format: 'csv' });
  if (territoryIds.length) query.set('territoryIds', territoryIds.join(','));
  return `/stats/regional?${query.toString()}`;
}
