import type { CaseListItem, CaseState } from '../api/client';

/**
 * "Mes situations" as tabs: what waits on the referrer, what is with the cellule, what is being
 * followed, what is over. Every state belongs to exactly one tab (the Record's type makes a new
 * state a compile error until it is placed).
 */
export type Bucket = 'a-traiter' | 'en-cours' | 'suivies' | 'closes';

export const BUCKET_OF: Record<CaseState, Bucket> = {
  draft: 'a-traiter',
  awaiting_consent: 'a-traiter',
  consent_refused: 'a-traiter',
  submitted: 'en-cours',
  ready_for_review: 'en-cours',
  scheduled: 'en-cours',
  in_review: 'en-cours',
  plan_active: 'suivies',
  follow_up: 'suivies',
  suspended: 'suivies',
  closed: 'closes',
  purged: 'closes',
};

export const BUCKETS: { key: Bucket; label: string; empty: string }[] = [
  { key: 'a-traiter', label: 'À traiter', empty: 'Rien ne vous attend : aucune saisine à compléter ni consentement à recueillir.' },
  { key: 'en-cours', label: 'En cours', empty: "Aucune situation n'est en cours d'étude par la cellule." },
  { key: 'suivies', label: 'Suivies', empty: "Aucune situation n'a de plan d'action en cours." },
  { key: 'closes', label: 'Clôturées', empty: "Aucune situation n'est clôturée." },
];

/** What comes next, in the referrer's words. */
export const NEXT_STEP: Record<CaseState, string> = {
  draft: 'Compléter la fiche et l’envoyer à la coordination',
  submitted: 'La coordination étudie la saisine',
  awaiting_consent: 'Informer la personne et recueillir son consentement',
  consent_refused: 'Demander un examen anonyme, ou clôturer',
  ready_for_review: 'En attente d’inscription à une séance',
  scheduled: 'Examen prévu à la prochaine séance',
  in_review: 'Examen en cours en séance',
  plan_active: 'Suivre les actions du plan',
  follow_up: 'Faire le point d’étape sur le plan',
  suspended: 'Plan en veille ou suspendu : le point d’étape attend la reprise',
  closed: 'Situation close',
  purged: 'Données protégées effacées',
};

export function byBucket(items: CaseListItem[]): Record<Bucket, CaseListItem[]> {
  const groups: Record<Bucket, CaseListItem[]> = { 'a-traiter': [], 'en-cours': [], suivies: [], closes: [] };
  for (const item of items) groups[BUCKET_OF[item.state]].push(item);
  for (const list of Object.values(groups)) list.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return groups;
}

export function isBucket(value: string | null): value is Bucket {
  return BUCKETS.some((b) => b.key === value);
}
