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
 * What each kind of partner can receive if the person agrees, read from visibility.yaml: the
 * commission members in session (health and social content, health only to health
 * professionals), the partners who carry out an action (the identity fields they need).
 */
export function whoSeesWhat(policy: Policy): string[] {
  const lines: string[] = [];
  const attending = policy.relations.attending_member;
  const consented = (relation: keyof Policy['relations']) => Object.keys(policy.relations[relation].consented) as ProtectedClass[];
  if (attending.always.includes('summary')) lines.push('Les partenaires de la réunion lisent un résumé de votre situation. Ce résumé ne dit pas votre nom.');
  const attendingClasses = consented('attending_member');
  if (attendingClasses.length) {
    lines.push(
      `Si vous êtes d’accord, ils peuvent aussi lire : ${attendingClasses.map((c) => CLASS_WORDS[c]).join(' ; ')}. Seulement les partenaires que vous choisissez.`,
    );
  }
  if (attendingClasses.includes('health')) lines.push('Ce qui concerne votre santé est lu seulement par des soignants.');
  const ownerClasses = consented('action_owner');
  if (ownerClasses.includes('identity')) {
    lines.push('Un partenaire qui fait une action pour vous peut recevoir vos coordonnées. Seulement si vous êtes d’accord.');
  }
  lines.push('La coordination de la cellule ne voit jamais votre nom, ni votre santé.');
  return lines;
}
