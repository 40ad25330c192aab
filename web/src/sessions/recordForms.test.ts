import { describe, expect, it } from 'vitest';
import { contributionProblems, EMPTY_GUEST, guestBody, guestProblems, recordItemBody, recordItemProblems, type RecordItemForm } from './recordForms';

const item = (over: Partial<RecordItemForm> = {}): RecordItemForm => ({
  decision: '',
  deferralReason: '',
  outcome: '',
  analysis: '',
  recommendations: '',
  ...over,
});

describe('a written contribution', () => {
  it('is not empty and at most 2 000 characters', () => {
    expect(contributionProblems('   ')).toEqual({ text: expect.stringContaining('Écrivez') });
    expect(contributionProblems('x'.repeat(2001))).toEqual({ text: '2000 caractères au plus (actuellement 2001).' });
    expect(contributionProblems('Le bailleur peut suspendre la procédure.')).toEqual({});
  });
});

describe('a partner without an account', () => {
  it('names an organisation, from the directory or written, not both', () => {
    expect(guestProblems(EMPTY_GUEST)).toEqual({ organisationId: expect.stringContaining('Choisissez') });
    expect(guestProblems({ ...EMPTY_GUEST, organisationId: 'o1', organisationLabel: 'UDAF' })).toEqual({
      organisationLabel: expect.stringContaining('pas les deux'),
    });
    expect(guestProblems({ ...EMPTY_GUEST, functionLabel: 'x'.repeat(81), organisationLabel: 'UDAF' })).toEqual({ functionLabel: '80 caractères au plus.' });
  });

  it('sends only what was given', () => {
    expect(guestBody({ ...EMPTY_GUEST, organisationLabel: ' UDAF ', functionLabel: ' mandataire ' })).toEqual({
      organisationLabel: 'UDAF',
      functionLabel: 'mandataire',
    });
    expect(guestBody({ ...EMPTY_GUEST, organisationId: 'o1', caseId: 'c1' })).toEqual({ organisationId: 'o1', caseId: 'c1' });
  });
});

describe('the record of one situation', () => {
  it('takes the decision from the session’s events when they say it', () => {
    expect(recordItemProblems(item(), 'plan_adopted')).toEqual({});
    expect(recordItemBody(item({ analysis: ' Analyse ' }), 'plan_adopted')).toEqual({ analysis: 'Analyse', recommendations: null });
  });

  it('asks for a decision otherwise, a reason for a deferral, an outcome for a closing', () => {
    expect(recordItemProblems(item(), null)).toEqual({ decision: 'Indiquez la décision de la commission.' });
    expect(recordItemProblems(item(), 'deferred')).toEqual({ deferralReason: 'Indiquez le motif du report.' });
    expect(recordItemProblems(item({ decision: 'advice', deferralReason: 'other' }), null)).toEqual({
      deferralReason: 'Un motif de report ne va qu’avec un examen reporté.',
    });
    expect(recordItemProblems(item({ decision: 'closed' }), null)).toEqual({ outcome: 'Indiquez l’issue de la situation.' });
    expect(recordItemProblems(item({ analysis: 'x'.repeat(4001), decision: 'advice' }), null)).toEqual({ analysis: '4000 caractères au plus.' });
  });

  it('sends the decision only when the events do not say it, and empty texts as removed', () => {
    expect(recordItemBody(item({ decision: 'advice', recommendations: 'Orienter vers le service de tutelles' }), null)).toEqual({
      decision: 'advice',
      analysis: null,
      recommendations: 'Orienter vers le service de tutelles',
    });
    expect(recordItemBody(item({ deferralReason: 'partner_absent' }), 'deferred')).toEqual({
      deferralReason: 'partner_absent',
      analysis: null,
      recommendations: null,
    });
  });
});
