import { describe, expect, it } from 'vitest';
import { consentBody, consentProblems, fullScope, proposalProblems, scopeEntries, type ConsentForm, type Proposable } from './consentForm';

/** What the default policies let a letter propose and a consent cover (as the server serves it). */
const ALL: Proposable = {
  sectors: ['health', 'social', 'housing', 'municipal', 'association', 'justice', 'education'],
  classes: ['identity', 'social', 'health'],
};
/** A deployment that releases nothing to justice, and health to no one, under consent. */
const NARROWED: Proposable = { sectors: ['health', 'social', 'housing', 'municipal', 'association', 'education'], classes: ['identity', 'social'] };

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
    expect(consentProblems(granted(), ALL, TODAY)).toEqual({});
    expect(consentBody(granted(), ALL, TODAY)).toEqual({
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
    const problems = consentProblems(granted({ method: 'representative' }), ALL, TODAY);
    expect(Object.keys(problems).sort()).toEqual(['representative.measure', 'representative.organisation']);
    const form = granted({ method: 'representative', representativeMeasure: 'curatelle', representativeOrganisation: ' UDAF de Val-Fictif ' });
    expect(consentProblems(form, ALL, TODAY)).toEqual({});
    expect(consentBody(form, ALL)).toMatchObject({ method: 'representative', representative: { measure: 'curatelle', organisation: 'UDAF de Val-Fictif' } });
    // Answered by the person: no representative is sent, whatever was typed before the method changed.
    expect(consentBody({ ...form, method: 'oral' }, ALL)).not.toHaveProperty('representative');
  });

  it('needs a share to record a consent, none to record a refusal, and no date in the future', () => {
    expect(consentProblems(granted({ scope: {} }), ALL, TODAY).scope).toMatch(/Cochez au moins un partage/);
    expect(consentProblems(granted({ decision: 'refused', scope: {} }), ALL, TODAY)).toEqual({});
    expect(consentBody(granted({ decision: 'refused' }), ALL)).not.toHaveProperty('scope');
    expect(consentProblems(granted({ informedAt: '02/06/2026' }), ALL, TODAY).informedAt).toMatch(/futur/);
  });

  it('takes today as Paris has it: a consent recorded at half past midnight in Paris is not in the future', () => {
    // 23:30 UTC on 1 December is 00:30 on 2 December in Paris, the day the form shows by default.
    const night = new Date('2026-12-01T23:30:00Z');
    const form = granted({ informedAt: '02/12/2026' });
    expect(consentProblems(form, ALL, night)).toEqual({});
    expect(consentBody(form, ALL, night).informedAt).toBe(night.toISOString());
    expect(consentProblems(granted({ informedAt: '03/12/2026' }), ALL, night).informedAt).toMatch(/futur/);
    // Later that day, noon in Paris (winter time) has passed: it is what is sent.
    expect(consentBody(form, ALL, new Date('2026-12-02T15:00:00Z')).informedAt).toBe('2026-12-02T11:00:00.000Z');
  });

  it('proposes everything the cellule allows on the letter at first, and only what stays ticked', () => {
    const all = fullScope(ALL);
    expect(scopeEntries(all, ALL)).toHaveLength(7);
    expect(scopeEntries(all, ALL).every((e) => e.classes.join() === 'identity,social,health')).toBe(true);
    expect(scopeEntries(all, ALL).some((e) => (e.sector as string) === 'coordination')).toBe(false);
    const narrowed = { ...Object.fromEntries(Object.keys(all).map((k) => [k, false])), 'housing:identity': true, 'health:health': true };
    expect(scopeEntries(narrowed, ALL)).toEqual([
      { sector: 'health', classes: ['health'] },
      { sector: 'housing', classes: ['identity'] },
    ]);
    expect(proposalProblems(narrowed, ALL)).toEqual({});
    expect(proposalProblems({ 'housing:identity': false }, ALL)).toEqual({ scope: expect.stringContaining('au moins un partage') });
  });

  it('offers and sends only what the server says may be proposed', () => {
    const all = fullScope(NARROWED);
    expect(Object.keys(all)).toHaveLength(12);
    expect(Object.keys(all).some((k) => k.startsWith('justice:') || k.endsWith(':health'))).toBe(false);
    // A box ticked under a wider list (a letter printed before the policies changed) is never sent.
    const stale = { ...all, 'justice:social': true, 'health:health': true };
    expect(scopeEntries(stale, NARROWED)).toEqual(NARROWED.sectors.map((sector) => ({ sector, classes: ['identity', 'social'] })));
    const onlyStale = granted({ scope: { 'justice:social': true, 'health:health': true } });
    expect(consentProblems(onlyStale, NARROWED, TODAY).scope).toMatch(/Cochez au moins un partage/);
    expect(proposalProblems({ 'health:health': true }, NARROWED)).toEqual({ scope: expect.stringContaining('au moins un partage') });
    expect(fullScope({ sectors: [], classes: [] })).toEqual({});
  });
});
