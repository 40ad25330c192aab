/** Dates as French users write and read them. */
const LONG = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
const SHORT = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' });
const WITH_TIME = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** The first of the month is written « 1er » in French. */
function premier(text: string): string {
  return text.replace(/^1 /, '1er ');
}

/** « 14 mars 2026 », « 1er avril 2026 » */
export function longDate(iso: string | null | undefined): string {
  return iso ? premier(LONG.format(new Date(iso))) : '—';
}

/** « 14/03/2026 » */
export function shortDate(iso: string | null | undefined): string {
  return iso ? SHORT.format(new Date(iso)) : '—';
}

/** « 14 mars 2026 à 09:30 » */
export function dateTime(iso: string | null | undefined): string {
  return iso ? premier(WITH_TIME.format(new Date(iso))) : '—';
}

/**
 * A date typed as JJ/MM/AAAA (also with dots, dashes or spaces, and a 2-digit year is refused:
 * a birth date must be unambiguous) → YYYY-MM-DD, or undefined when it is not a real date.
 */
export function parseFrenchDate(text: string): string | undefined {
  const m = /^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** « 3 situations », « 1 situation », « aucune situation » */
export function count(n: number, singular: string, plural = `${singular}s`, none = `aucune ${singular}`): string {
  if (n === 0) return none;
  return `${n} ${n === 1 ? singular : plural}`;
}

const LOG_TIME = new Intl.DateTimeFormat('fr-FR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'Europe/Paris',
});

/** « 14/03/2026 09:30:12 » (Paris time, to the second: the access log's entries) */
export function logTime(iso: string | null | undefined): string {
  return iso ? LOG_TIME.format(new Date(iso)).replace(',', '') : '—';
}
