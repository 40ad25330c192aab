import { describe, expect, it } from 'vitest';
import document from '../api/openapi.json';
import type { CaseView } from '../api/client';
import { WITHHELD_LABEL } from '../shared/labels';
import { whyNot } from './InformationsTab';

const view = (withheld: CaseView['withheld']) => ({ id: 'x', withheld }) as unknown as CaseView;

describe('why a class is not shown', () => {
  it('has a sentence for every reason code the server may send', () => {
    const codes = (document.components.schemas.WithheldReason as { enum: string[] }).enum;
    expect(Object.keys(WITHHELD_LABEL).sort()).toEqual([...codes].sort());
    for (const sentence of Object.values(WITHHELD_LABEL)) expect(sentence).toMatch(/^[A-ZÉ].*\.$/);
  });

  it('says the reason the server gave for that class', () => {
    const v = view({ identity: 'sector_not_in_consent_scope', health: 'profession_not_qualified', plan: 'not_in_state' });
    expect(whyNot(v, 'identity')).toBe('Le consentement de la personne ne prévoit pas ce partage avec le secteur de votre organisation.');
    expect(whyNot(v, 'health')).toBe('Votre profession ne permet pas de recevoir ces informations, quel que soit le consentement.');
    expect(whyNot(v, 'plan')).toBe('Ces informations ne vous sont pas communiquées à cette étape de la situation.');
  });

  it('says only that it is not shared when the server gave no reason', () => {
    expect(whyNot(view({}), 'social')).toBe('Ces informations ne sont pas communiquées à votre compte.');
  });
});
