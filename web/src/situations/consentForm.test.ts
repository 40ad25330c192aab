import { describe, expect, it } from 'vitest';
import { consentBody, consentProblems, type ConsentForm } from './consentForm';

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
    expect(consentBody(granted())).toEqual({
      decision: 'granted',
      informedAt: '2026-05-28T12:00:00.000Z',
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
});
