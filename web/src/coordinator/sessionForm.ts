import { parisDay, parisInstant, parseFrenchDate, parseTime } from '../shared/format';

/** A new session as the coordinator types it: a day (JJ/MM/AAAA) and its hours, in Paris time. */
export interface SessionForm {
  day: string;
  start: string;
  end: string;
}

export const EMPTY_SESSION: SessionForm = { day: '', start: '14:00', end: '16:00' };

export function sessionProblems(form: SessionForm, today: Date = new Date()): Record<string, string> {
  const problems: Record<string, string> = {};
  const day = parseFrenchDate(form.day);
  if (!day) problems.day = 'Indiquez la date au format JJ/MM/AAAA.';
  else if (day < parisDay(today)) problems.day = 'Cette date est déjà passée.';
  const start = parseTime(form.start);
  const end = parseTime(form.end);
  if (start === undefined) problems.start = 'Indiquez l’heure au format HH:MM, par exemple 14:00.';
  if (end === undefined) problems.end = 'Indiquez l’heure au format HH:MM, par exemple 16:00.';
  else if (start !== undefined && end <= start) problems.end = 'La fin doit venir après le début.';
  return problems;
}

export function sessionBody(form: SessionForm): { startsAt: string; endsAt: string } {
  const day = parseFrenchDate(form.day)!;
  return { startsAt: parisInstant(day, parseTime(form.start)!), endsAt: parisInstant(day, parseTime(form.end)!) };
}
