import { describe, expect, it } from 'vitest';
import { emptyReferral, fieldId, namesPerson, referralBody, validateReferral, type ReferralForm } from './referralForm';

const TODAY = new Date('2026-06-01T10:00:00Z');

function filled(overrides: Partial<ReferralForm> = {}): ReferralForm {
  return {
    ...emptyReferral('44444444-4444-4444-8444-444444444444'),
    lastName: 'Zéphyrin-Quatremare',
    firstName: 'Anatole',
    birthDate: '14/03/1957',
    ageBand: '60-69',
    district: 'Quartier des Tilleuls',
    household: 'alone',
    problems: ['housing', 'care_continuity'],
    question: 'Comment éviter une expulsion et renouer avec le soin ?',
    minorInHousehold: 'no',
    urgent: 'no',
    ...overrides,
  };
}

describe('the referral form', () => {
  it('accepts a complete fiche', () => {
    expect(validateReferral(filled(), TODAY)).toEqual({});
  });

  it('names every missing answer under its field, in the request’s own paths', () => {
    const errors = validateReferral(emptyReferral(), TODAY);
    expect(Object.keys(errors).sort()).toEqual(
      [
        'commissionId',
        'identity.firstName',
        'identity.lastName',
        'summary.ageBand',
        'summary.district',
        'summary.household',
        'summary.minorInHousehold',
        'summary.problems',
        'summary.question',
        'summary.urgent',
      ].sort(),
    );
    expect(errors['identity.lastName']).toBe('Indiquez le nom de la personne.');
  });

  it('checks the birth date as French users write it', () => {
    expect(validateReferral(filled({ birthDate: '31/02/1957' }), TODAY)['identity.birthDate']).toMatch(/n'existe pas/);
    expect(validateReferral(filled({ birthDate: '1957-03-14' }), TODAY)['identity.birthDate']).toMatch(/JJ\/MM\/AAAA/);
    expect(validateReferral(filled({ birthDate: '02/06/2026' }), TODAY)['identity.birthDate']).toMatch(/futur/);
    // Paris has reached 2 June at 23:30 UTC on 1 June: a birth that day is not in the future.
    expect(validateReferral(filled({ birthDate: '02/06/2026' }), new Date('2026-06-01T23:30:00Z'))['identity.birthDate']).toBeUndefined();
  });

  it('takes an urgent situation (the page shows the emergency pointer) and sends it marked urgent', () => {
    expect(validateReferral(filled({ urgent: 'yes' }), TODAY)).toEqual({});
    expect(referralBody(filled({ urgent: 'yes' })).summary.urgent).toBe(true);
  });

  it('takes a birth date, the year alone, or none', () => {
    expect(referralBody(filled({ birthDate: '' })).identity.birthDate).toBeUndefined();
    expect(referralBody(filled({ birthDate: ' 1957 ' })).identity.birthDate).toBe('1957');
    expect(referralBody(filled({ birthDate: '14/03/1957' })).identity.birthDate).toBe('1957-03-14');
    for (const birthDate of ['', '1957', '14/03/1957']) expect(validateReferral(filled({ birthDate }), TODAY)).toEqual({});
    expect(validateReferral(filled({ birthDate: '1850' }), TODAY)['identity.birthDate']).toMatch(/1900/);
    expect(validateReferral(filled({ birthDate: '2027' }), TODAY)['identity.birthDate']).toMatch(/2026/);
  });

  it('catches the person’s name in a pseudonymised text before the server does, whatever the case and accents', () => {
    const errors = validateReferral(filled({ narrative: 'Mme ZEPHYRIN vit seule.', expectations: 'Que fait anatole ?' }), TODAY);
    expect(errors['summary.narrative']).toMatch(/contient le nom ou le prénom/);
    expect(errors['summary.expectations']).toMatch(/contient le nom ou le prénom/);
    expect(namesPerson('Un vent de zéphyr sur la ville', 'Zéphyrin-Quatremare', 'Anatole')).toBe(false);
    expect(namesPerson('M. Quatremare refuse', 'Zéphyrin-Quatremare', 'Anatole')).toBe(true);
  });

  it('builds the body of POST /cases', () => {
    const body = referralBody(filled({ phone: ' 06 12 34 56 78 ', narrative: ' Récit ', social: 'Dettes', minorInHousehold: 'yes' }));
    expect(body).toEqual({
      commissionId: '44444444-4444-4444-8444-444444444444',
      identity: {
        lastName: 'Zéphyrin-Quatremare',
        firstName: 'Anatole',
        birthDate: '1957-03-14',
        address: undefined,
        phone: '06 12 34 56 78',
        email: undefined,
      },
      summary: {
        ageBand: '60-69',
        district: 'Quartier des Tilleuls',
        household: 'alone',
        problems: ['housing', 'care_continuity'],
        question: 'Comment éviter une expulsion et renouer avec le soin ?',
        narrative: 'Récit',
        alreadyTried: undefined,
        partnersInvolved: [],
        expectations: undefined,
        minorInHousehold: true,
        urgent: false,
      },
      social: { narrative: 'Dettes' },
    });
  });

  it('gives each field an id a link can point to', () => {
    expect(fieldId('summary.narrative')).toBe('champ-summary-narrative');
  });
});
