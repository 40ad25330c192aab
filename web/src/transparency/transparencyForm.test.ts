import { describe, expect, it } from 'vitest';
import { consentSentence, refusalText, transparencyProblems } from './transparencyForm';

describe('the transparency form', () => {
  it('asks for the reference and a 20-symbol code, naming the field', () => {
    expect(transparencyProblems('', '')).toEqual({
      reference: expect.stringContaining('référence'),
      code: expect.stringContaining('code'),
    });
    expect(transparencyProblems('CAS-2026-0001', 'ABCD-EFGH')).toEqual({ code: expect.stringContaining('20 signes') });
    expect(transparencyProblems(' CAS-2026-0001 ', 'abcd efgh jkmn pqrs tuvw')).toEqual({});
    expect(transparencyProblems('CAS-2026-0001', 'ABCD-EFGH-JKMN-PQRS-TUVW')).toEqual({});
  });

  it('says the same thing for a wrong code and an unknown reference, and asks to wait when throttled', () => {
    expect(refusalText(404)).toContain('ne correspondent pas');
    expect(refusalText(429)).toContain('attendez');
    expect(refusalText(500)).toContain('Réessayez');
  });

  it('tells the consent in one sentence', () => {
    expect(consentSentence({ state: 'given', scope: [], informedAt: null, expiresAt: '2027-03-01T10:00:00Z', withdrawnAt: null })).toBe(
      'Votre accord est valable jusqu’au 1er mars 2027.',
    );
    expect(consentSentence({ state: 'withdrawn', scope: [], informedAt: null, expiresAt: null, withdrawnAt: '2026-06-02T10:00:00Z' })).toContain('retiré');
    expect(consentSentence({ state: 'none', scope: [], informedAt: null, expiresAt: null, withdrawnAt: null })).toContain('pas encore');
  });
});
