import { describe, expect, it } from 'vitest';
import { sessionBody, sessionProblems } from './sessionForm';

const today = new Date('2026-03-14T10:00:00Z');

describe('a new session', () => {
  it('asks for a day not past and hours in order', () => {
    expect(sessionProblems({ day: '', start: '14:00', end: '16:00' }, today)).toEqual({ day: 'Indiquez la date au format JJ/MM/AAAA.' });
    expect(sessionProblems({ day: '13/03/2026', start: '14:00', end: '16:00' }, today)).toEqual({ day: 'Cette date est déjà passée.' });
    expect(sessionProblems({ day: '14/03/2026', start: '16:00', end: '14h' }, today)).toEqual({ end: 'La fin doit venir après le début.' });
    expect(sessionProblems({ day: '14/04/2026', start: 'midi', end: '' }, today)).toEqual({
      start: 'Indiquez l’heure au format HH:MM, par exemple 14:00.',
      end: 'Indiquez l’heure au format HH:MM, par exemple 16:00.',
    });
  });

  it('sends the hours as instants of Paris time', () => {
    const form = { day: '14/04/2026', start: '14h', end: '16:30' };
    expect(sessionProblems(form, today)).toEqual({});
    expect(sessionBody(form)).toEqual({ startsAt: '2026-04-14T12:00:00.000Z', endsAt: '2026-04-14T14:30:00.000Z' });
  });
});
