import type { Notification } from '../api/queries';
import type { Role } from '../app/routes';
import { longDate } from '../shared/format';

/**
 * What a notification says in the workspace, and where it leads: French sentences built from the
 * kind, the situation's reference, a count and a date — the server sends nothing else (the same
 * sentences as the emails, src/notifications/emails.ts).
 */
export function sentenceOf(n: Pick<Notification, 'kind' | 'caseReference' | 'agendaSize' | 'dueAt'>): string {
  const situation = n.caseReference ? `la situation ${n.caseReference}` : 'une situation';
  const size = n.agendaSize ?? 0;
  switch (n.kind) {
    case 'referral_to_screen':
      return `Nouvelle saisine à examiner : ${situation}.`;
    case 'referral_accepted':
      return `Votre saisine est acceptée : ${situation}.`;
    case 'referral_sent_back':
      return `Votre saisine vous est renvoyée pour complément : ${situation}.`;
    case 'referral_rejected':
      return `Votre saisine n’est pas retenue : ${situation}.`;
    case 'case_on_agenda':
      return `${capitalise(situation)} est inscrite à l’ordre du jour de la séance du ${longDate(n.dueAt)}.`;
    case 'session_convocation':
      return `Convocation : séance du ${longDate(n.dueAt)}, ${size} situation${size > 1 ? 's' : ''} à l’ordre du jour.`;
    case 'action_assigned':
      return `Une action vous est confiée (${situation}), échéance le ${longDate(n.dueAt)}.`;
    case 'action_due_soon':
      return `Une action arrive à échéance le ${longDate(n.dueAt)} (${situation}).`;
    case 'action_overdue':
      return `Une action est en retard depuis le ${longDate(n.dueAt)} (${situation}).`;
    case 'follow_up_due':
      return `Le suivi de ${situation} est à faire.`;
    case 'consent_expiring':
      return `Le consentement de ${situation} expire le ${longDate(n.dueAt)} : pensez à le renouveler.`;
    case 'consent_expired':
      return `Le consentement de ${situation} a expiré le ${longDate(n.dueAt)}.`;
    case 'session_record_closed':
      return n.caseReference
        ? `Le relevé de décisions de la séance est clos et consultable (${situation}).`
        : 'Le relevé de décisions de la séance est clos et consultable.';
    case 'rights_rectification_forwarded':
      return `La personne demande la rectification de ses données (${situation}) : vérifiez-les et rectifiez-les.`;
    case 'rights_request_due_soon':
      return `Une demande de droits d’une personne arrive à échéance le ${longDate(n.dueAt)}.`;
    case 'rights_request_due':
      return `Une demande de droits d’une personne est à échéance aujourd’hui (${longDate(n.dueAt)}).`;
    case 'rights_handler_named':
      return 'La coordination vous confie la remise à une personne de la copie de ses données : téléchargez-la dans « Copies à remettre ».';
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The screen a notification opens for this account (a path of the workspace, under /app). */
export function linkOf(n: Pick<Notification, 'kind' | 'caseId' | 'sessionId'>, roles: readonly Role[]): string | null {
  const coordinator = roles.includes('coordinator');
  if (n.kind === 'referral_to_screen' && n.caseId) return coordinator ? `/coordination/saisines/${n.caseId}` : `/situations/${n.caseId}`;
  if (n.kind === 'session_record_closed' && n.sessionId) return `/seances/${n.sessionId}/releve`;
  if (n.kind === 'rights_request_due_soon' || n.kind === 'rights_request_due') return '/droits';
  if (n.kind === 'rights_handler_named') return '/copies-a-remettre';
  if ((n.kind === 'session_convocation' || (n.kind === 'case_on_agenda' && !n.caseId)) && n.sessionId) {
    return coordinator ? `/coordination/seances/${n.sessionId}` : `/seances/${n.sessionId}`;
  }
  if (n.caseId) return `/situations/${n.caseId}`;
  return null;
}

/** The header's counter, said in full for a screen reader. */
export function unreadLabel(unread: number): string {
  if (unread === 0) return 'Notifications, aucune non lue';
  return `Notifications, ${unread} non lue${unread > 1 ? 's' : ''}`;
}

export const EMAIL_PREFERENCE_LABEL = {
  immediate: 'Un courriel à chaque notification',
  daily_digest: 'Un résumé par jour, au plus',
  none: 'Aucun courriel : je consulte les notifications dans l’espace de travail',
} as const;

/** « à 8 h (heure de Paris) »: when the server sends the daily digest (NOTIFICATION_DIGEST_HOUR). */
export function digestTime(hour: number, timeZone: string): string {
  // A no-break space: « 8 h » never splits across two lines.
  return `à ${hour}\u00a0h${timeZone === 'Europe/Paris' ? ' (heure de Paris)' : ` (${timeZone})`}`;
}

/** The email choices as the account page offers them, the digest saying its hour. */
export function emailPreferenceLabels(digest: { digestHour: number; digestTimeZone: string }): Record<keyof typeof EMAIL_PREFERENCE_LABEL, string> {
  return { ...EMAIL_PREFERENCE_LABEL, daily_digest: `Un résumé par jour, ${digestTime(digest.digestHour, digest.digestTimeZone)}` };
}
