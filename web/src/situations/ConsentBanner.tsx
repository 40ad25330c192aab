import { VariantType } from '@gouvfr-lasuite/cunningham-react';
import type { CaseView } from '../api/client';
import { longDate } from '../shared/format';
import { CLASS_LABEL, CONSENT_METHOD_LABEL, SECTOR_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';

/**
 * On every situation page: what the person agreed to share, with whom, until when, and how to
 * withdraw it. Built from the consent class when it is released to this account; otherwise it says
 * that consent governs what the account sees, without saying more.
 */
export function consentBanner(view: CaseView): { type: VariantType; title: string; lines: string[] } {
  const consent = view.consent;
  const withdraw =
    'La personne peut retirer son consentement à tout moment, par écrit ou oralement, auprès de son référent, d’un collègue de son service ou de la coordination du CLSM, qui l’enregistre ici : plus rien n’est alors partagé.';
  if (view.meta?.anonymousReview) {
    return {
      type: VariantType.INFO,
      title: 'Examen anonyme, sans consentement',
      lines: ['Seul le résumé pseudonymisé est présenté à la cellule ; aucune information protégée n’est partagée.'],
    };
  }
  if (!consent) {
    return {
      type: VariantType.INFO,
      title: 'Secret partagé',
      lines: ['Ce que vous voyez de cette situation dépend de votre rôle et du consentement de la personne.'],
    };
  }
  if (consent.decision === null) {
    return {
      type: VariantType.WARNING,
      title: 'Consentement pas encore recueilli',
      lines: ['Rien de protégé n’est partagé avec les partenaires tant que la personne n’a pas été informée et n’a pas donné son accord.'],
    };
  }
  if (consent.withdrawnAt) {
    return { type: VariantType.WARNING, title: `Consentement retiré le ${longDate(consent.withdrawnAt)}`, lines: ['Plus rien de protégé n’est partagé.'] };
  }
  if (consent.decision === 'refused') {
    return {
      type: VariantType.WARNING,
      title: 'La personne a refusé le partage',
      lines: ['Seul un examen anonyme de la situation reste possible.', 'Si elle change d’avis, enregistrez son nouveau consentement.'],
    };
  }
  const scope = (consent.scope ?? []).map(
    (s) => `${SECTOR_LABEL[s.sector]} : ${s.classes.map((c) => CLASS_LABEL[c as keyof typeof CLASS_LABEL].toLowerCase()).join(', ')}`,
  );
  const given = `Donné ${consent.method ? CONSENT_METHOD_LABEL[consent.method] + ' ' : ''}le ${longDate(consent.informedAt)}`;
  if (!consent.valid) {
    return {
      type: VariantType.WARNING,
      title: `Consentement expiré le ${longDate(consent.expiresAt)}`,
      lines: ['Il compte comme absent jusqu’à son renouvellement : plus rien de protégé n’est partagé.', given + '.'],
    };
  }
  return {
    type: VariantType.SUCCESS,
    title: `Consentement valable jusqu’au ${longDate(consent.expiresAt)}`,
    lines: [given + '.', scope.length ? `Partagé avec : ${scope.join(' ; ')}.` : 'Aucun partage d’information protégée.', withdraw],
  };
}

export function ConsentBanner({ view }: { view: CaseView }) {
  const banner = consentBanner(view);
  return (
    <section aria-label="Consentement de la personne" className="consent-banner">
      <Notice type={banner.type}>
        <p className="consent-banner__title">{banner.title}</p>
        {banner.lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </Notice>
    </section>
  );
}
