import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, exportHref, filterProblems, filtersFromParams, filtersToParams, parisDayBound, serverQuery } from './filters';

const USER = '11111111-1111-4111-8111-111111111111';

describe('the access log’s filters', () => {
  it('takes French days as Paris days, on both sides of the clock changes', () => {
    expect(parisDayBound('2026-01-14', false)).toBe('2026-01-14T00:00:00+01:00');
    expect(parisDayBound('2026-07-14', true)).toBe('2026-07-14T23:59:59.999+02:00');
    // 29 March 2026: clocks go forward at 02:00 — the day starts in winter time and ends in summer time.
    expect(parisDayBound('2026-03-29', false)).toBe('2026-03-29T00:00:00+01:00');
    expect(parisDayBound('2026-03-29', true)).toBe('2026-03-29T23:59:59.999+02:00');
    // 25 October 2026: back at 03:00.
    expect(parisDayBound('2026-10-25', false)).toBe('2026-10-25T00:00:00+02:00');
    expect(parisDayBound('2026-10-25', true)).toBe('2026-10-25T23:59:59.999+01:00');
  });

  it('sends the server ids, instants and the action of the chosen kind, and nothing unset', () => {
    const filters = { ...EMPTY_FILTERS, userId: USER, from: '01/03/2026', to: '31/03/2026', decision: 'deny' as const, action: 'lectures' };
    expect(serverQuery(filters)).toEqual({
      userId: USER,
      from: '2026-03-01T00:00:00+01:00',
      to: '2026-03-31T23:59:59.999+02:00',
      decision: 'deny',
      action: 'case.read',
    });
    expect(serverQuery({ ...EMPTY_FILTERS, situation: 'CAS-2026-0001', action: 'etapes' }, ['case-id'])).toEqual({ caseId: 'case-id', action: 'case.event.*' });
    expect(serverQuery(EMPTY_FILTERS)).toEqual({});
  });

  it('says in French what is wrong with what was typed', () => {
    expect(filterProblems({ ...EMPTY_FILTERS, situation: 'Dupont', from: '31/02/2026', to: '' })).toEqual({
      situation: 'Une référence s’écrit comme CAS-2026-0042.',
      from: 'Cette date n’existe pas : écrivez-la au format JJ/MM/AAAA.',
    });
    expect(filterProblems({ ...EMPTY_FILTERS, from: '02/03/2026', to: '01/03/2026' })).toEqual({ to: 'La fin de la période est avant son début.' });
    expect(filterProblems({ ...EMPTY_FILTERS, situation: ' cas-2026-0042 ', from: '1/3/2026' })).toEqual({});
  });

  it('keeps in the page’s address only ids, a reference, dates and codes — and reads back only those', () => {
    const filters = { ...EMPTY_FILTERS, situation: 'cas-2026-0042', userId: USER, from: '01/03/2026', action: 'connexions' };
    const params = filtersToParams(filters);
    expect(params).toEqual({ situation: 'CAS-2026-0042', personne: USER, du: '01/03/2026', action: 'connexions' });
    expect(filtersFromParams(new URLSearchParams(params))).toEqual({ ...filters, situation: 'CAS-2026-0042' });
    // Anything else in the address is dropped (a name typed into it goes nowhere).
    expect(filtersFromParams(new URLSearchParams({ situation: 'Dupont Jean', personne: 'x', du: '2026-03-01', decision: 'maybe', action: 'drop' }))).toEqual(
      EMPTY_FILTERS,
    );
  });

  it('downloads the export with the same filters', () => {
    expect(exportHref('csv', { userId: USER, action: 'case.event.*' })).toBe(`/audit/events/export?format=csv&userId=${USER}&action=case.event.*`);
  });
});
