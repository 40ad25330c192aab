/**
 * The words of the documents given to the person (issue 15): plain French, in the FALC spirit —
 * short sentences, one idea each, no jargon. What kinds of partners see what comes from
 * policies/visibility.yaml and sectors.yaml; durations from retention.yaml and lifecycle.yaml.
 */
import type { Policy, ProtectedClass, Sector } from '../access/policy.types.js';

export const SECTOR_WORDS: Record<Sector, string> = {
  health: 'les soignants (par exemple le centre médico-psychologique, le médecin)',
  social: 'les travailleurs sociaux (par exemple le service social du département)',
  housing: 'le bailleur (l’organisme qui loue le logement)',
  municipal: 'les services de la mairie',
  association: 'les associations qui accompagnent les personnes',
  justice: 'les services de la justice',
  education: 'les services de l’éducation',
  coordination: 'la coordination de la cellule',
};

/** A sector's short name, for a list. */
export const SECTOR_SHORT: Record<Sector, string> = {
  health: 'Soin',
  social: 'Social',
  housing: 'Logement (bailleur)',
  municipal: 'Mairie',
  association: 'Associations',
  justice: 'Justice',
  education: 'Éducation',
  coordination: 'Coordination',
};

export const CLASS_WORDS: Record<ProtectedClass, string> = {
  identity: 'votre identité (nom, prénom, adresse, téléphone)',
  health: 'votre santé (soins, traitements)',
  social: 'votre situation sociale (logement, ressources, famille)',
};

/** What the record's classes mean on the transparency page (the access report names every class). */
export const CLASS_SHORT: Record<string, string> = {
  meta: 'le suivi de la demande (dates, étapes)',
  summary: 'le résumé sans votre nom',
  plan: 'le plan d’action',
  consent: 'votre accord',
  identity: 'votre identité',
  health: 'votre santé',
  social: 'votre situation sociale',
};

/** A number of days as months or years, in words. */
export function durationWords(days: number): string {
  if (days % 365 === 0) return days === 365 ? '1 an' : `${days / 365} ans`;
  const months = Math.round(days / 30);
  return months >= 1 ? `${months} mois` : `${days} jours`;
}

/**
 * Who would see what if the person agrees to the proposal (sectors × classes, checked against the
 * policies: src/consent/proposal.ts), and nothing beyond it: the commission members in session
 * read a pseudonymised summary (visibility.yaml `always`); each proposed sector, in words, with
 * the classes proposed to it; health to health professionals only, when health is proposed; the
 * identity fields to a partner who carries out an action, when identity is proposed.
 */
export function whoSeesWhat(policy: Policy, proposal: { sector: Sector; classes: ProtectedClass[] }[]): string[] {
  const lines: string[] = [];
  if (policy.relations.attending_member.always.includes('summary')) {
    lines.push('Les partenaires de la réunion lisent un résumé de votre situation. Ce résumé ne dit pas votre nom.');
  }
  if (!proposal.length) {
    lines.push('Nous ne vous proposons aucun autre partage.');
  } else {
    lines.push('Nous vous proposons de partager ces informations, et seulement avec ces partenaires :');
    for (const entry of proposal) {
      const words = SECTOR_WORDS[entry.sector];
      lines.push(`• ${words.charAt(0).toUpperCase()}${words.slice(1)} : ${entry.classes.map((c) => CLASS_WORDS[c]).join(' ; ')}.`);
    }
    lines.push('Personne d’autre ne reçoit ces informations.');
  }
  const proposed = new Set(proposal.flatMap((e) => e.classes));
  if (proposed.has('health')) lines.push('Ce qui concerne votre santé est lu seulement par des soignants.');
  if (proposed.has('identity') && 'identity' in (policy.relations.action_owner.consented ?? {})) {
    lines.push('Un de ces partenaires qui fait une action pour vous peut recevoir vos coordonnées.');
  }
  lines.push('La coordination de la cellule ne voit jamais votre nom, ni votre santé.');
  return lines;
}
