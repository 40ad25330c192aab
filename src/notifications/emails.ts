/**
 * The emails' French text: a kind, a reference, a count or a date, and a link to the workspace —
 * never a protected value, a summary or anyone's text (the notification holds none to give).
 */
import type { NotificationKind } from './notification-kinds.js';

export interface MailedNotification {
  kind: NotificationKind;
  caseId: string | null;
  caseReference: string | null;
  sessionId: string | null;
  agendaSize: number | null;
  dueAt: Date | null;
}

export interface Email {
  subject: string;
  text: string;
}

const LONG = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
/** « 14 mars 2026 », « 1er avril 2026 » (as the workspace says it). */
const day = (d: Date | null) => (d ? LONG.format(d).replace(/^1 /, '1er ') : '');
const situation = (n: MailedNotification) => `la situation ${n.caseReference ?? ''}`.trim();

/** One line saying what happened, in French. */
export function sentenceOf(n: MailedNotification): string {
  switch (n.kind) {
    case 'referral_to_screen':
      return `Nouvelle saisine à examiner : ${situation(n)}.`;
    case 'referral_accepted':
      return `Votre saisine est acceptée : ${situation(n)}.`;
    case 'referral_sent_back':
      return `Votre saisine vous est renvoyée pour complément : ${situation(n)}.`;
    case 'referral_rejected':
      return `Votre saisine n’est pas retenue : ${situation(n)}.`;
    case 'case_on_agenda':
      return `${situation(n)[0].toUpperCase()}${situation(n).slice(1)} est inscrite à l’ordre du jour de la séance du ${day(n.dueAt)}.`;
    case 'session_convocation':
      return `Convocation : séance du ${day(n.dueAt)}, ${n.agendaSize ?? 0} situation${(n.agendaSize ?? 0) > 1 ? 's' : ''} à l’ordre du jour.`;
    case 'action_assigned':
      return `Une action vous est confiée (${situation(n)}), échéance le ${day(n.dueAt)}.`;
    case 'action_due_soon':
      return `Une action arrive à échéance le ${day(n.dueAt)} (${situation(n)}).`;
    case 'action_overdue':
      return `Une action est en retard depuis le ${day(n.dueAt)} (${situation(n)}).`;
    case 'follow_up_due':
      return `Le suivi de ${situation(n)} est à faire.`;
    case 'consent_expiring':
      return `Le consentement de ${situation(n)} expire le ${day(n.dueAt)} : pensez à le renouveler.`;
    case 'consent_expired':
      return `Le consentement de ${situation(n)} a expiré le ${day(n.dueAt)}.`;
    case 'session_record_closed':
      return n.caseReference
        ? `Le relevé de décisions de la séance est clos et consultable (${situation(n)}).`
        : `Le relevé de décisions de la séance est clos et consultable.`;
    case 'rights_rectification_forwarded':
      return `La personne demande la rectification de ses données (${situation(n)}) : vérifiez-les et rectifiez-les.`;
    case 'rights_request_due_soon':
      return `Une demande de droits d’une personne arrive à échéance le ${day(n.dueAt)}.`;
    case 'rights_request_due':
      return `Une demande de droits d’une personne est à échéance aujourd’hui (${day(n.dueAt)}).`;
    case 'rights_handler_named':
      return `La coordination vous confie la remise à une personne de la copie de ses données : téléchargez-la dans « Copies à remettre ».`;
  }
}

/** Where the workspace shows it (the same paths as web/src/notifications/links.ts). */
export function pathOf(n: { kind: NotificationKind; caseId: string | null; sessionId: string | null }): string {
  if (n.kind === 'referral_to_screen' && n.caseId) return `/app/coordination/saisines/${n.caseId}`;
  if (n.kind === 'session_record_closed' && n.sessionId) return `/app/seances/${n.sessionId}/releve`;
  if (n.kind === 'session_convocation' && n.sessionId) return `/app/seances/${n.sessionId}`;
  if (n.kind === 'rights_request_due_soon' || n.kind === 'rights_request_due') return '/app/droits';
  if (n.kind === 'rights_handler_named') return '/app/copies-a-remettre';
  if (n.caseId) return `/app/situations/${n.caseId}`;
  return '/app/notifications';
}

const FOOTER = (publicUrl: string) =>
  [
    '',
    '—',
    'Ce message ne contient aucune information sur la personne : connectez-vous à l’espace de travail pour en savoir plus.',
    `Vos notifications : ${publicUrl}/app/notifications`,
    `Recevoir ces messages chaque jour en un seul, ou plus du tout : ${publicUrl}/app/mon-compte`,
  ].join('\n');

export function immediateEmail(n: MailedNotification, operator: string, publicUrl: string): Email {
  const sentence = sentenceOf(n);
  return {
    subject: `[${operator}] ${sentence.replace(/\.$/, '').slice(0, 150)}`,
    text: ['Bonjour,', '', sentence, '', `Ouvrir : ${publicUrl}${pathOf(n)}`, FOOTER(publicUrl)].join('\n'),
  };
}

export function digestEmail(items: readonly MailedNotification[], operator: string, publicUrl: string): Email {
  return {
    subject: `[${operator}] Votre résumé du jour : ${items.length} notification${items.length > 1 ? 's' : ''}`,
    text: ['Bonjour,', '', `Depuis votre dernier résumé :`, '', ...items.map((n) => `• ${sentenceOf(n)}\n  ${publicUrl}${pathOf(n)}`), FOOTER(publicUrl)].join(
      '\n',
    ),
  };
}
