import { describe, expect, it } from 'vitest';
import { dueLabel, lookupProblems } from './words';

describe('the lookup form’s checks', () => {
  it('asks for each missing field by name, and accepts a date or a year', () => {
    expect(Object.keys(lookupProblems({ lastName: ' ', firstName: '', birthDate: '' })).sort()).toEqual(['birthDate', 'firstName', 'lastName']);
    expect(lookupProblems({ lastName: 'Martin', firstName: 'Anne', birthDate: '1957-03-14' })).toEqual({});
    expect(lookupProblems({ lastName: 'Martin', firstName: 'Anne', birthDate: '1957' })).toEqual({});
  });

  it('refuses a date that does not exist, without repeating it', () => {
    const problems = lookupProblems({ lastName: 'Martin', firstName: 'Anne', birthDate: '1957-02-30' });
    expect(Object.keys(problems)).toEqual(['birthDate']);
    expect(problems.birthDate).not.toContain('1957');
    expect(lookupProblems({ lastName: 'Martin', firstName: 'Anne', birthDate: '14/03/1957' }).birthDate).toBeDefined();
  });
});

describe('due dates', () => {
  it('says the days left, today, or the delay', () => {
    expect(dueLabel('2026-03-10', '2026-03-03')).toBe('dans 7 jours');
    expect(dueLabel('2026-03-03', '2026-03-03')).toBe('à échéance aujourd’hui');
    expect(dueLabel('2026-03-01', '2026-03-03')).toBe('en retard de 2 jours');
  });
});
