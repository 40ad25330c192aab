import { parseFrenchDate } from '../shared/format';

/**
 * The access log's filters as the screen holds them (what was typed), in the page's address (ids,
 * a reference and dates only: never a name), and as the server's query. Dates are French days:
 * « du 14/03/2026 au 15/03/2026 » is from midnight on the 14th to the end of the 15th in Paris.
 */
export interface LogFilters {
  /** A situation reference, as typed (CAS-2026-0042). */
  situation: string;
  userId: string;
  organisationId: string;
  /** JJ/MM/AAAA */
  from: string;
  to: string;
  decision: '' | 'allow' | 'deny';
  /** One of ACTION_FAMILIES' keys. */
  action: string;
}

export const EMPTY_FILTERS: LogFilters = { situation: '', userId: '', organisationId: '', from: '', to: '', decision: '', action: '' };

/** The kinds of entries an auditor looks for, and the server's action filter for each (a prefix ends with *). */
export const ACTION_FAMILIES: { key: string; label: string; action: string }[] = [
  { key: 'lectures', label: 'Consultations d’une situation', action: 'case.read' },
  { key: 'etapes', label: 'Étapes d’une situation (envoi, examen, plan, clôture…)', action: 'case.event.*' },
  { key: 'saisines', label: 'Saisines enregistrées', action: 'case.create' },
  { key: 'actions', label: 'Suivi des actions du plan', action: 'case.action.update' },
  { key: 'connexions', label: 'Connexions et déconnexions', action: 'auth.*' },
  { key: 'comptes', label: 'Administration (territoires, organisations, comptes)', action: 'admin.*' },
  { key: 'seances', label: 'Séances (ouverture, présence, invitations)', action: 'session.*' },
  { key: 'cellules', label: 'Cellules, membres et charte', action: 'commission.*' },
  { key: 'journal', label: 'Consultations du journal et du registre', action: 'audit.*' },
  { key: 'statistiques', label: 'Statistiques', action: 'stats.read' },
  { key: 'pages', label: 'Refus d’accès à une fonction', action: 'route:*' },
  { key: 'cles', label: 'Clés de chiffrement', action: 'key.*' },
  { key: 'systeme', label: 'Opérations automatiques (purges, contrôles)', action: 'system.*' },
];

const REFERENCE = /^[A-Za-z]{1,10}-\d{4}-\d{1,10}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters a page address holds (unknown or malformed values are dropped). */
export function filtersFromParams(params: URLSearchParams): LogFilters {
  const uuid = (name: string) => (UUID.test(params.get(name) ?? '') ? params.get(name)! : '');
  const day = (name: string) => (/^\d{2}\/\d{2}\/\d{4}$/.test(params.get(name) ?? '') ? params.get(name)! : '');
  const decision = params.get('decision');
  const action = params.get('action');
  return {
    situation: REFERENCE.test(params.get('situation') ?? '') ? params.get('situation')!.toUpperCase() : '',
    userId: uuid('personne'),
    organisationId: uuid('organisation'),
    from: day('du'),
    to: day('au'),
    decision: decision === 'allow' || decision === 'deny' ? decision : '',
    action: ACTION_FAMILIES.some((f) => f.key === action) ? action! : '',
  };
}

/** The page address of these filters (only those set). */
export function filtersToParams(f: LogFilters): Record<string, string> {
  const entries: [string, string][] = [
    ['situation', f.situation.trim().toUpperCase()],
    ['personne', f.userId],
    ['organisation', f.organisationId],
    ['du', f.from.trim()],
    ['au', f.to.trim()],
    ['decision', f.decision],
    ['action', f.action],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v));
}

/** The UTC offset of Paris at an instant, as ±HH:MM. */
function parisOffset(instant: Date): string {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-]\d{2}:\d{2})/.exec(name ?? '');
  return match ? match[1] : '+00:00';
}

/**
 * The first (or last) instant of a Paris day, as ISO-8601 with its offset: the offset is read at
 * midnight UTC for the start and at 21:00 UTC for the end, both on the right side of the night's
 * clock change.
 */
export function parisDayBound(ymd: string, end: boolean): string {
  const offset = parisOffset(new Date(`${ymd}T${end ? '21' : '00'}:00:00Z`));
  return `${ymd}T${end ? '23:59:59.999' : '00:00:00'}${offset}`;
}

/** What is wrong with the typed filters, by field (French sentences). */
export function filterProblems(f: LogFilters): Partial<Record<keyof LogFilters, string>> {
  const problems: Partial<Record<keyof LogFilters, string>> = {};
  if (f.situation.trim() && !REFERENCE.test(f.situation.trim())) problems.situation = 'Une référence s’écrit comme CAS-2026-0042.';
  const from = f.from.trim() ? parseFrenchDate(f.from) : '';
  const to = f.to.trim() ? parseFrenchDate(f.to) : '';
  if (from === undefined) problems.from = 'Cette date n’existe pas : écrivez-la au format JJ/MM/AAAA.';
  if (to === undefined) problems.to = 'Cette date n’existe pas : écrivez-la au format JJ/MM/AAAA.';
  if (from && to && from > to) problems.to = 'La fin de la période est avant son début.';
  return problems;
}

/** The server's filters (GET /audit/events and its export), the situation given by its id once found. */
export function serverQuery(f: LogFilters, caseIds: string[] = []): Record<string, string> {
  const from = f.from.trim() ? parseFrenchDate(f.from) : undefined;
  const to = f.to.trim() ? parseFrenchDate(f.to) : undefined;
  const action = ACTION_FAMILIES.find((family) => family.key === f.action)?.action;
  const query: Record<string, string | undefined> = {
    caseId: caseIds[0],
    userId: f.userId || undefined,
    organisationId: f.organisationId || undefined,
    from: from ? parisDayBound(from, false) : undefined,
    to: to ? parisDayBound(to, true) : undefined,
    decision: f.decision || undefined,
    action,
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** The export's address for these filters: a plain link, so the browser saves the file as it streams. */
export function exportHref(format: 'csv' | 'json', query: Record<string, string>): string {
  return `/audit/events/export?${new URLSearchParams({ format, ...query }).toString()}`;
}
