import { describe, expect, it } from 'vitest';
import { disclosure } from './disclosure';

describe('what a situation discloses to this account, and why not', () => {
  it('says each class not released with the server’s reason, in French', () => {
    const items = disclosure({
      released: ['meta', 'summary', 'plan'],
      withheld: {
        consent: 'not_released_to_relation',
        identity: 'not_action_owner',
        social: 'sector_not_in_consent_scope',
        health: 'profession_not_qualified',
      },
    });
    expect(items.map((i) => [i.cls, i.shown])).toEqual([
      ['meta', true],
      ['summary', true],
      ['plan', true],
      ['consent', false],
      ['identity', false],
      ['social', false],
      ['health', false],
    ]);
    expect(items.find((i) => i.cls === 'identity')!.why).toBe('Seule une organisation qui porte une action du plan reçoit ces informations.');
    expect(items.find((i) => i.cls === 'social')!.why).toBe('Le consentement de la personne ne prévoit pas ce partage avec le secteur de votre organisation.');
    expect(items.find((i) => i.cls === 'health')!.why).toBe('Votre profession ne permet pas de recevoir ces informations, quel que soit le consentement.');
  });

  it('tells the coordination that it never receives identity nor narratives', () => {
    const items = disclosure({
      released: ['meta', 'summary', 'plan', 'consent'],
      withheld: { identity: 'never_for_relation', social: 'never_for_relation', health: 'never_for_relation' },
    });
    for (const cls of ['identity', 'social', 'health']) expect(items.find((i) => i.cls === cls)!.why).toMatch(/ne donne jamais accès/);
  });

  it('names an erasure, and never invents a reason the server did not give', () => {
    const items = disclosure({ released: ['meta', 'summary'], withheld: {}, erased: ['identity'] });
    expect(items.find((i) => i.cls === 'identity')!.why).toMatch(/effacées/);
    expect(items.find((i) => i.cls === 'health')!.why).toBe('Ces informations ne sont pas communiquées à votre compte.');
  });
});
