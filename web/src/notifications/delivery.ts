import type { Schemas } from '../api/client';

const ERROR_LABEL: Record<Schemas['DeliveryFailureDto']['error'], string> = {
  connection: 'serveur de messagerie injoignable',
  timeout: 'délai dépassé',
  authentication: 'identifiants refusés par le serveur de messagerie',
  rejected: 'message refusé',
  other: 'autre erreur',
};

/** The admin's line about the notification emails, in French (counts and categories only). */
export function deliveryLine(report: Schemas['DeliveryFailuresDto']): string {
  if (!report.mailEnabled) return 'envoi désactivé (SMTP_URL absent) : les notifications restent dans l’espace de travail.';
  if (!report.items.length) return 'tous envoyés.';
  return report.items
    .map((i) => `${i.count} ${i.status === 'failed' ? `abandonné${i.count > 1 ? 's' : ''}` : 'en attente d’un nouvel essai'} (${ERROR_LABEL[i.error]})`)
    .join(', ')
    .concat('.');
}
