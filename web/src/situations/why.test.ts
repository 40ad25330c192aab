import { describe, expect, it } from 'vitest';
import type { CaseView } from '../api/client';
import { whyAndUntil } from './why';

const view = (over: Partial<CaseView>): CaseView =>
  ({
    id: 'x',
    reference: 'CAS-2026-0001',
    state: 'plan_active',
    version: 1,
    allowedEvents: [],
    released: ['meta', 'summary', 'plan'],
    relations: [],
    notices: [],
    withheld: {},
    ...over,
  }) as CaseView;

describe('why you see this situation, and until when', () => {
  it('says each relation and what ends it', () => {
    expect(whyAndUntil(view({ relations: ['coordinator'] })).lines).toEqual([
      'Vous coordonnez la cellule de ce territoire : tant que vous coordonnez la cellule de ce territoire (sans jamais l’identité ni les récits).',
    ]);
    expect(whyAndUntil(view({ relations: ['attending_member'] })).lines[0]).toBe(
      'Vous participez à la séance qui l’examine : pendant la séance, jusqu’à sa clôture par la coordination.',
    );
  });

  it('gives the consent’s end to whom it releases protected information', () => {
    const owner = view({
      relations: ['action_owner'],
      released: ['meta', 'plan', 'identity'],
      consent: { decision: 'granted', valid: true, expiresAt: '2027-03-14T10:00:00Z' },
    });
    expect(whyAndUntil(owner).consent).toBe(
      'Les informations protégées vous sont communiquées au plus tard jusqu’au 14 mars 2027, fin du consentement de la personne, ou jusqu’à son retrait.',
    );
    // Nothing protected released: nothing to end.
    expect(whyAndUntil({ ...owner, released: ['meta', 'plan'] }).consent).toBeUndefined();
    // The referrer's own record does not depend on the consent.
    expect(whyAndUntil({ ...owner, relations: ['referrer'] }).consent).toBeUndefined();
  });

  it('tells the referrer a closed situation is kept until its erasure', () => {
    const closed = view({ relations: ['referrer'], meta: { closedAt: '2026-03-14T10:00:00Z' } as CaseView['meta'] });
    expect(whyAndUntil(closed).lines[0]).toContain('elle est close depuis le 14 mars 2026');
  });
});
