import { describe, expect, it } from 'vitest';
import type { CaseView } from '../api/client';
import { referralChangeForm, referralChanges } from './referralChanges';

const view = {
  identity: { lastName: 'Petit', firstName: 'Claire', birthDate: '1961-05-09', phone: '06 44 55 66 77' },
  summary: { district: 'Les Tilleuls', question: 'Quel relais ?', narrative: 'Vit seule.', alreadyTried: null, expectations: 'Un plan' },
} as unknown as CaseView;

describe('referralChanges (EDIT_DRAFT, RECTIFY)', () => {
  it('pre-fills the form with the record, identity included where it is received', () => {
    const form = referralChangeForm(view);
    expect(form['identity.lastName']).toBe('Petit');
    expect(form['identity.address']).toBe('');
    expect(form['summary.alreadyTried']).toBe('');
    expect(referralChangeForm({ summary: view.summary } as unknown as CaseView)['identity.lastName']).toBe('');
  });

  it('sends only what changed; an emptied optional field as null', () => {
    const form = { ...referralChangeForm(view), 'identity.lastName': 'Petit-Martin', 'identity.phone': '', 'summary.alreadyTried': 'Deux visites' };
    expect(referralChanges(view, form)).toEqual([{}, { identity: { lastName: 'Petit-Martin', phone: null }, summary: { alreadyTried: 'Deux visites' } }]);
  });

  it('refuses to empty a required field, a malformed birth date, and a form that changes nothing', () => {
    const form = { ...referralChangeForm(view), 'identity.firstName': ' ', 'identity.birthDate': '09/05/61' };
    expect(referralChanges(view, form)[0]).toEqual({
      'identity.firstName': 'Ce champ ne peut pas être vidé.',
      'identity.birthDate': 'Une date AAAA-MM-JJ, ou seulement l’année AAAA.',
    });
    expect(referralChanges(view, referralChangeForm(view))[0]).toEqual({ form: 'Rien n’a été modifié.' });
    expect(referralChanges(view, { ...referralChangeForm(view), 'identity.birthDate': '1961' })).toEqual([{}, { identity: { birthDate: '1961' } }]);
  });
});
