import { describe, expect, it } from 'vitest';
import { deliveryLine } from './delivery';

describe('the admin’s line about notification emails', () => {
  it('says mail is off, all sent, or what fails by category', () => {
    expect(deliveryLine({ mailEnabled: false, items: [] })).toContain('envoi désactivé');
    expect(deliveryLine({ mailEnabled: true, items: [] })).toBe('tous envoyés.');
    expect(
      deliveryLine({
        mailEnabled: true,
        items: [
          { status: 'retrying', error: 'connection', count: 3 },
          { status: 'failed', error: 'rejected', count: 1 },
        ],
      }),
    ).toBe('3 en attente d’un nouvel essai (serveur de messagerie injoignable), 1 abandonné (message refusé).');
  });
});
