import { describe, expect, it } from 'vitest';
import { conditionInWords, daysInWords, fieldsInWords, professionsInWords, statesInWords } from './registerWords';

describe('the register in words', () => {
  it('writes durations a DPO can quote', () => {
    expect(daysInWords(730)).toBe('730 jours (environ 2 ans)');
    expect(daysInWords(365)).toBe('365 jours (environ 1 an)');
    expect(daysInWords(180)).toBe('180 jours (environ 6 mois)');
    expect(daysInWords(10)).toBe('10 jours');
  });

  it('writes steps, conditions, fields and professions in French', () => {
    expect(statesInWords('all')).toBe('À toutes les étapes');
    expect(statesInWords(['in_review', 'plan_active'])).toBe("En cours d’examen, Plan d'action en cours");
    expect(conditionInWords('consent')).toContain('consentement valable');
    expect(fieldsInWords(['lastName', 'firstName', 'phone'], 'identity')).toBe('Nom, prénom, téléphone');
    expect(fieldsInWords('all', 'identity')).toBe('Tous les éléments d’identité');
    expect(professionsInWords(['physician', 'nurse'])).toBe('Médecin, Infirmier ou infirmière');
    expect(professionsInWords(null)).toBe('Toutes');
  });
});
