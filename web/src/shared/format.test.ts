import { describe, expect, it } from 'vitest';
import {
  addMonthsToDay,
  count,
  dateTime,
  frenchDay,
  logTime,
  longDate,
  parisDay,
  parisInstant,
  parseFrenchDate,
  parseTime,
  relativeDay,
  sessionWhen,
  shortDate,
} from './format';

describe('French dates', () => {
  it('reads a date as French users type it', () => {
    expect(parseFrenchDate('14/03/1957')).toBe('1957-03-14');
    expect(parseFrenchDate(' 1/2/2001 ')).toBe('2001-02-01');
    expect(parseFrenchDate('14.03.1957')).toBe('1957-03-14');
    expect(parseFrenchDate('14-03-1957')).toBe('1957-03-14');
  });

  it('refuses what is not a real, unambiguous date', () => {
    for (const text of ['31/02/2001', '14/13/1957', '14/03/57', '1957-03-14', '', 'hier', '00/01/2000']) expect(parseFrenchDate(text)).toBeUndefined();
    expect(parseFrenchDate('29/02/2024')).toBe('2024-02-29');
    expect(parseFrenchDate('29/02/2023')).toBeUndefined();
  });

  it('writes dates the French way, in Paris time', () => {
    expect(longDate('2026-03-14T10:00:00Z')).toBe('14 mars 2026');
    expect(shortDate('2026-03-14T10:00:00Z')).toBe('14/03/2026');
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(shortDate('2025-12-31T23:30:00Z')).toBe('01/01/2026');
    expect(longDate(null)).toBe('—');
    expect(longDate('2026-04-01T10:00:00Z')).toBe('1er avril 2026');
    expect(dateTime('2026-04-01T07:30:00Z')).toBe('1er avril 2026 à 09:30');
  });

  it('counts in words', () => {
    expect(count(0, 'situation')).toBe('aucune situation');
    expect(count(1, 'situation')).toBe('1 situation');
    expect(count(3, 'situation')).toBe('3 situations');
  });
});

describe('the access log’s times', () => {
  it('writes Paris time to the second', () => {
    expect(logTime('2026-03-14T08:30:12.123456Z')).toBe('14/03/2026 09:30:12');
    expect(logTime(null)).toBe('—');
  });
});

describe('sessions and due dates, in Paris time', () => {
  it('says when a session takes place', () => {
    expect(sessionWhen('2026-04-14T12:00:00Z', '2026-04-14T14:00:00Z')).toBe('mardi 14 avril 2026, de 14:00 à 16:00');
    expect(sessionWhen('2026-12-01T13:30:00Z', '2026-12-01T15:00:00Z')).toBe('mardi 1er décembre 2026, de 14:30 à 16:00');
  });

  it('reads a time as typed', () => {
    expect(parseTime('14:30')).toBe(870);
    expect(parseTime('9h')).toBe(540);
    expect(parseTime('9h30')).toBe(570);
    for (const text of ['25:00', '14:75', 'midi', '']) expect(parseTime(text)).toBeUndefined();
  });

  it('turns a Paris day and time into an instant, in winter and in summer', () => {
    expect(parisInstant('2026-01-15', 14 * 60)).toBe('2026-01-15T13:00:00.000Z');
    expect(parisInstant('2026-07-15', 14 * 60)).toBe('2026-07-15T12:00:00.000Z');
    // The night the clocks go forward (29 March 2026, 02:00 → 03:00).
    expect(parisInstant('2026-03-29', 12 * 60)).toBe('2026-03-29T10:00:00.000Z');
    expect(parisInstant('2026-03-28', 23 * 60 + 59)).toBe('2026-03-28T22:59:00.000Z');
    expect(parisDay('2026-03-28T22:59:00.000Z')).toBe('2026-03-28');
    expect(parisDay('2025-12-31T23:30:00Z')).toBe('2026-01-01');
  });

  it('counts days from today and adds months to a day', () => {
    const now = new Date('2026-03-14T10:00:00Z');
    expect(relativeDay('2026-03-14T20:00:00Z', now)).toBe('aujourd’hui');
    expect(relativeDay('2026-03-15T08:00:00Z', now)).toBe('demain');
    expect(relativeDay('2026-03-19T08:00:00Z', now)).toBe('dans 5 jours');
    expect(relativeDay('2026-03-11T08:00:00Z', now)).toBe('il y a 3 jours');
    expect(addMonthsToDay('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDay('2026-11-15', 3)).toBe('2027-02-15');
    expect(frenchDay('2026-02-28')).toBe('28/02/2026');
  });
});
