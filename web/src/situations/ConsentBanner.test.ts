import { describe, expect, it } from 'vitest';
import type { CaseView } from '../api/client';
import { consentBanner } from './ConsentBanner';

const base = {
  id: 'x',
  reference: 'CAS-2026-0001',
  state: 'ready_for_review',
  version: 3,
  allowedEvents: [],
  released: [],
  relations: ['referrer'],
  notices: [],
} as unknown as CaseView;

describe('the consent banner', () => {
  it('says nothing protected is shared before consent', () => {
    const banner = consentBanner({ ...base, consent: { decision: null, valid: false } });
    expect(banner.title).toBe('Consentement pas encore recueilli');
  });

  it('gives scope, date, expiry and how to withdraw a valid consent', () => {
    const banner = consentBanner({
      ...base,
      consent: {
        decision: 'granted',
        method: 'written',
        informedAt: '2026-03-14T12:00:00Z',
        expiresAt: '2027-03-14T12:00:00Z',
        scope: [
          { sector: 'health', classes: ['identity', 'health'] },
          { sector: 'housing', classes: ['identity'] },
        ],
        valid: true,
      },
    });
    expect(banner.title).toBe('Consentement valable jusqu’au 14 mars 2027');
    expect(banner.lines).toEqual([
      'Donné par écrit le 14 mars 2026.',
      'Partagé avec : Santé (CMP, hôpital, médecin) : identité de la personne, éléments de santé ; Logement (bailleur) : identité de la personne.',
      'La personne peut retirer son consentement à tout moment, par écrit ou oralement, auprès de son référent, d’un collègue de son service ou de la coordination du CLSM, qui l’enregistre ici : plus rien n’est alors partagé.',
    ]);
  });

  it('treats an expired consent as none, and says a refusal or a withdrawal plainly', () => {
    const expired = consentBanner({
      ...base,
      consent: { decision: 'granted', informedAt: '2025-01-01T12:00:00Z', expiresAt: '2026-01-01T12:00:00Z', scope: [], valid: false },
    });
    expect(expired.title).toBe('Consentement expiré le 1er janvier 2026');
    expect(expired.lines[0]).toMatch(/compte comme absent/);
    expect(consentBanner({ ...base, consent: { decision: 'refused', valid: false } }).title).toBe('La personne a refusé le partage');
    expect(consentBanner({ ...base, consent: { decision: 'granted', withdrawnAt: '2026-04-01T10:00:00Z', valid: false } }).title).toBe(
      'Consentement retiré le 1er avril 2026',
    );
  });

  it('explains an anonymous review, and a consent this account does not receive', () => {
    const anonymous = consentBanner({ ...base, meta: { anonymousReview: true } as CaseView['meta'] });
    expect(anonymous.title).toBe('Examen anonyme, sans consentement');
    expect(consentBanner(base).lines[0]).toMatch(/dépend de votre rôle et du consentement/);
  });
});
