import type { CaseListItem, CaseState, Me } from '../api/client';
import { BUCKET_OF, BUCKETS, type Bucket } from '../referrer/buckets';

/**
 * The home page's tabs (à traiter, en cours, suivies, clôturées), with what each means for the
 * account's role: a referral to screen waits on the coordination, a consent to collect on the
 * referrer. Every state belongs to one tab per role (a new state is a compile error until placed).
 */
export type HomeRole = 'referrer' | 'coordinator' | 'member';

/** The role whose tabs the home page shows: the first of referrer, coordinator, member that the account holds. */
export function homeRole(roles: Me['roles']): HomeRole | undefined {
  return (['referrer', 'coordinator', 'member'] as const).find((r) => roles.includes(r));
}

export const HOME_BUCKET_OF: Record<HomeRole, Record<CaseState, Bucket>> = {
  referrer: BUCKET_OF,
  coordinator: {
    submitted: 'a-traiter',
    ready_for_review: 'a-traiter',
    follow_up: 'a-traiter',
    draft: 'en-cours',
    awaiting_consent: 'en-cours',
    consent_refused: 'en-cours',
    scheduled: 'en-cours',
    in_review: 'en-cours',
    plan_active: 'suivies',
    suspended: 'suivies',
    closed: 'closes',
    purged: 'closes',
  },
  member: {
    scheduled: 'a-traiter',
    in_review: 'a-traiter',
    follow_up: 'a-traiter',
    draft: 'en-cours',
    submitted: 'en-cours',
    awaiting_consent: 'en-cours',
    consent_refused: 'en-cours',
    ready_for_review: 'en-cours',
    plan_active: 'suivies',
    suspended: 'suivies',
    closed: 'closes',
    purged: 'closes',
  },
};

export const HOME_EMPTY: Record<HomeRole, Record<Bucket, string>> = {
  referrer: Object.fromEntries(BUCKETS.map((b) => [b.key, b.empty])) as Record<Bucket, string>,
  coordinator: {
    'a-traiter': 'Rien ne vous attend : aucune saisine à étudier, aucune situation à inscrire, aucun point d’étape dû.',
    'en-cours': 'Aucune situation en attente de consentement ou d’examen.',
    suivies: 'Aucun plan d’action en cours.',
    closes: 'Aucune situation clôturée.',
  },
  member: {
    'a-traiter': 'Rien ne vous attend : aucune situation à examiner en séance, aucun point d’étape dû.',
    'en-cours': 'Aucune situation en cours que vous puissiez voir.',
    suivies: 'Aucune action du plan confiée à votre organisation en cours.',
    closes: 'Aucune situation clôturée.',
  },
};

export function homeGroups(role: HomeRole, items: CaseListItem[]): Record<Bucket, CaseListItem[]> {
  const groups: Record<Bucket, CaseListItem[]> = { 'a-traiter': [], 'en-cours': [], suivies: [], closes: [] };
  for (const item of items) groups[HOME_BUCKET_OF[role][item.state]].push(item);
  for (const list of Object.values(groups)) list.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return groups;
}
