import type { RightsKind, RightsOutcome, RightsWaiting } from './queries';

/** The words of the rights requests' screens (French, plain). */
export const KIND_LABEL: Record<RightsKind, string> = {
  access: 'Accès à ses données',
  rectification: 'Rectification',
  erasure: 'Effacement',
  objection: 'Opposition',
};

export const OUTCOME_LABEL: Record<RightsOutcome, string> = {
  answered: 'Répondu à la personne',
  no_situation_found: 'Aucune situation trouvée',
  identity_not_verified: 'Identité non vérifiée',
  refused_unfounded: 'Refusée (manifestement infondée)',
  withdrawn_by_person: 'Retirée par la personne',
};

export const MEASURE_LABEL: Record<string, string> = {
  shredded: 'Effacée',
  kept: 'Conservée',
  consent_withdrawn: 'Consentement retiré',
  not_open: 'Déjà close',
  forwarded: 'Transmise au référent',
};

export const REASON_LABEL: Record<string, string> = {
  erasure_request: 'à la demande de la personne',
  already_erased: 'déjà effacée',
  still_open: 'la situation est encore suivie (la personne doit d’abord s’opposer, ou la situation être close)',
  legal_report_recorded: 'un signalement fait au titre d’une obligation légale y est enregistré',
  objection: 'opposition de la personne',
  already_closed: 'rien n’était partagé',
  rectification_forwarded: 'le référent vérifie et rectifie',
};

/** The measure of each kind of request: its button, and what the confirmation says. */
export const MEASURE_OF: Partial<Record<RightsKind, { measure: 'erase' | 'object' | 'forward'; button: string; confirm: string }>> = {
  erasure: {
    measure: 'erase',
    button: 'Effacer les situations',
    confirm:
      'Les situations closes seront effacées maintenant (irréversible). Les situations encore suivies, ou soumises à une obligation légale, sont conservées et le motif est noté.',
  },
  objection: {
    measure: 'object',
    button: 'Appliquer l’opposition',
    confirm: 'Le consentement sera retiré sur chaque situation ouverte : elle sera close et plus rien ne sera partagé.',
  },
  rectification: {
    measure: 'forward',
    button: 'Transmettre aux référents',
    confirm: 'Chaque référent sera prévenu qu’une rectification est demandée (sans le contenu).',
  },
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const YEAR = /^\d{4}$/;

function realDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === text;
}

/** What is wrong in the identity typed for a lookup, by field (nothing is sent while something is). */
export function lookupProblems(identity: { lastName: string; firstName: string; birthDate: string }): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!identity.lastName.trim()) problems.lastName = 'Écrivez le nom de la personne.';
  if (!identity.firstName.trim()) problems.firstName = 'Écrivez son ou ses prénoms.';
  const birth = identity.birthDate.trim();
  if (!birth) problems.birthDate = 'Écrivez sa date de naissance (ou l’année seule).';
  else if (YEAR.test(birth)) {
    if (Number(birth) < 1900) problems.birthDate = 'Cette année n’est pas possible.';
  } else if (!realDay(birth)) {
    problems.birthDate = 'Écrivez une date réelle (AAAA-MM-JJ) ou une année (AAAA).';
  }
  return problems;
}

/** The days left before a due date (negative: late), said plainly. */
export function dueLabel(dueOn: string, today: string): string {
  return daysLeftLabel(Math.round((Date.parse(`${dueOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000));
}

/** The days left as the server counts them (Europe/Paris; negative: late), said plainly. */
export function daysLeftLabel(days: number): string {
  if (days === 0) return 'à échéance aujourd’hui';
  if (days < 0) return `en retard de ${-days} jour${days < -1 ? 's' : ''}`;
  return `dans ${days} jour${days > 1 ? 's' : ''}`;
}

/** What an open request still waits for before it is closed (the server's `waitingFor`). */
export const WAITING_LABEL: Record<RightsWaiting, string> = {
  lookup: 'Retrouver les situations de la personne (aucune recherche faite).',
  copy: 'Faire remettre la copie des données : elle n’a pas encore été téléchargée pour chaque situation.',
  measure: 'Appliquer la mesure demandée à chaque situation.',
};

/** Who a professional is, as the DPO reads it in the access log: name, organisation. */
export function professionalLabel(p: { displayName: string; organisationName: string | null }): string {
  const name = p.displayName || 'Compte hors de votre périmètre';
  return p.organisationName ? `${name} (${p.organisationName})` : name;
}
