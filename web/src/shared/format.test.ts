import { describe, expect, it } from 'vitest';
import { count, dateTime, logTime, longDate, parseFrenchDate, shortDate } from './format';

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
