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

const WEEKDAY_DATE = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
const TIME = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });
const PARTS = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/Paris',
});

/** « 09:30 » */
export function time(iso: string): string {
  return TIME.format(new Date(iso));
}

/** « mardi 14 avril 2026, de 14:00 à 16:00 » — a session as the commission says it. */
export function sessionWhen(startsAt: string, endsAt: string): string {
  const day = WEEKDAY_DATE.format(new Date(startsAt)).replace(/ 1 /, ' 1er ');
  return `${day}, de ${time(startsAt)} à ${time(endsAt)}`;
}

/** « 09:30 » or « 9h30 » → minutes since midnight, or undefined. */
export function parseTime(text: string): number | undefined {
  const m = /^\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*$/.exec(text);
  if (!m) return undefined;
  const [hours, minutes] = [Number(m[1]), Number(m[2] ?? 0)];
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : undefined;
}

/** The Paris wall-clock time of an instant, as minutes since 1970-01-01 00:00 of that wall clock. */
function parisWallMinutes(ms: number): number {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) / 60_000;
}

/**
 * The instant (ISO, UTC) of a day (YYYY-MM-DD) at a time of day in Paris (minutes since
 * midnight), whatever the computer's own time zone: the commission meets in France.
 */
export function parisInstant(day: string, minutes: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, date) / 60_000 + minutes;
  // Paris is UTC+1 or UTC+2: take the wall time as UTC, see how far Paris is from it, correct.
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = guess - (parisWallMinutes(guess * 60_000) - wall);
  return new Date(guess * 60_000).toISOString();
}

/**
 * The instant sent for a day something already happened (information given, report made): noon in
 * Paris, or now when that noon is still to come — at 00:30 in Paris, today's noon is in the future.
 */
export function pastDayInstant(day: string, now: Date = new Date()): string {
  const noon = parisInstant(day, 12 * 60);
  return Date.parse(noon) > now.getTime() ? now.toISOString() : noon;
}

/** The day (YYYY-MM-DD) an instant falls on in Paris. */
export function parisDay(iso: string | Date): string {
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(parisWallMinutes(ms) * 60_000).toISOString().slice(0, 10);
}

/** Whole days from today (in Paris) to the day of `iso`: 0 today, negative in the past. */
export function daysFromToday(iso: string, now: Date = new Date()): number {
  return Math.round((Date.parse(parisDay(iso)) - Date.parse(parisDay(now))) / 86_400_000);
}

/** « aujourd’hui », « demain », « dans 5 jours », « il y a 3 jours » */
export function relativeDay(iso: string, now: Date = new Date()): string {
  const days = daysFromToday(iso, now);
  if (days === 0) return 'aujourd’hui';
  if (days === 1) return 'demain';
  if (days === -1) return 'hier';
  return days > 0 ? `dans ${days} jours` : `il y a ${-days} jours`;
}

/** JJ/MM/AAAA of a YYYY-MM-DD day (the value a date field shows). */
export function frenchDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}

/** The same day `months` later (clamped to the month's end), as YYYY-MM-DD. */
export function addMonthsToDay(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const last = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1 + months, Math.min(date, last))).toISOString().slice(0, 10);
}
