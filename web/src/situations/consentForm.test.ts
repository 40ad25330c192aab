import { describe, expect, it } from 'vitest';
import { consentBody, consentProblems, fullScope, proposalProblems, scopeEntries, type ConsentForm } from './consentForm';

const TODAY = new Date('2026-06-01T10:00:00Z');
const granted = (overrides: Partial<ConsentForm> = {}): ConsentForm => ({
  decision: 'granted',
  informedAt: '28/05/2026',
  method: 'written',
  scope: { 'health:identity': true, 'health:health': true, 'housing:identity': true },
  ...overrides,
});

describe('the consent form', () => {
  it('sends the scope sector by class, on the day typed', () => {
    expect(consentProblems(granted(), TODAY)).toEqual({});
    expect(consentBody(granted(), TODAY)).toEqual({
      decision: 'granted',
      // Noon in Paris (summer time) on the day typed.
      informedAt: '2026-05-28T10:00:00.000Z',
      method: 'written',
      scope: [
        { sector: 'health', classes: ['identity', 'health'] },
        { sector: 'housing', classes: ['identity'] },
      ],
    });
  });

  it('asks who answered for the person when a representative did, and sends it', () => {
    const problems = consentProblems(granted({ method: 'representative' }), TODAY);
    expect(Object.keys(problems).sort()).toEqual(['representative.measure', 'representative.organisation']);
    const form = granted({ method: 'representative', representativeMeasure: 'curatelle', representativeOrganisation: ' UDAF de Val-Fictif ' });
    expect(consentProblems(form, TODAY)).toEqual({});
    expect(consentBody(form)).toMatchObject({ method: 'representative', representative: { measure: 'curatelle', organisation: 'UDAF de Val-Fictif' } });
    // Answered by the person: no representative is sent, whatever was typed before the method changed.
    expect(consentBody({ ...form, method: 'oral' })).not.toHaveProperty('representative');
  });

  it('needs a share to record a consent, none to record a refusal, and no date in the future', () => {
    expect(consentProblems(granted({ scope: {} }), TODAY).scope).toMatch(/Cochez au moins un partage/);
    expect(consentProblems(granted({ decision: 'refused', scope: {} }), TODAY)).toEqual({});
    expect(consentBody(granted({ decision: 'refused' }))).not.toHaveProperty('scope');
    expect(consentProblems(granted({ informedAt: '02/06/2026' }), TODAY).informedAt).toMatch(/futur/);
  });

  it('takes today as Paris has it: a consent recorded at half past midnight in Paris is not in the future', () => {
    // 23:30 UTC on 1 December is 00:30 on 2 December in Paris, the day the form shows by default.
    const night = new Date('2026-12-01T23:30:00Z');
    const form = granted({ informedAt: '02/12/2026' });
    expect(consentProblems(form, night)).toEqual({});
    expect(consentBody(form, night).informedAt).toBe(night.toISOString());
    expect(consentProblems(granted({ informedAt: '03/12/2026' }), night).informedAt).toMatch(/futur/);
    // Later that day, noon in Paris (winter time) has passed: it is what is sent.
    expect(consentBody(form, new Date('2026-12-02T15:00:00Z')).informedAt).toBe('2026-12-02T11:00:00.000Z');
  });

  it('proposes everything the cellule allows on the letter at first, and only what stays ticked', () => {
    const all = fullScope();
    expect(scopeEntries(all)).toHaveLength(7);
    expect(scopeEntries(all).every((e) => e.classes.join() === 'identity,social,health')).toBe(true);
    expect(scopeEntries(all).some((e) => (e.sector as string) === 'coordination')).toBe(false);
    const narrowed = { ...Object.fromEntries(Object.keys(all).map((k) => [k, false])), 'housing:identity': true, 'health:health': true };
    expect(scopeEntries(narrowed)).toEqual([
      { sector: 'health', classes: ['health'] },
      { sector: 'housing', classes: ['identity'] },
    ]);
    expect(proposalProblems(narrowed)).toEqual({});
    expect(proposalProblems({ 'housing:identity': false })).toEqual({ scope: expect.stringContaining('au moins un partage') });
  });
});
