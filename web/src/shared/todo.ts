import type { Schemas } from '../api/client';

/**
 * What waits on the account (GET /me/todo) in the workspace's words: counts and references only,
 * as the server answers them — the one owner of what is "to do" (the home pages and the
 * coordinator's dashboard show it; none computes it again).
 */
export type Todo = Schemas['TodoDto'];
export type TodoCoordination = Schemas['TodoCoordinationDto'];
export type TodoActions = Schemas['TodoActionsDto'];
export type TodoCases = Schemas['TodoCasesDto'];
export type ReferrerWaiting = Schemas['TodoReferralDto']['waiting'];

export const WAITING_LABEL: Record<ReferrerWaiting, string> = {
  sent_back: 'Renvoyée par la coordination : à compléter et renvoyer',
  consent_expiring: 'Consentement à renouveler (il expire bientôt ou a expiré)',
  consent_to_record: 'Saisine acceptée : informer la personne et recueillir son consentement',
  consent_refused: 'Consentement refusé : demander un examen anonyme, ou clôturer',
  draft: 'Brouillon à compléter et envoyer',
  plan_agreement: 'Plan adopté : recueillir l’accord de la personne',
};

export interface TodoTile {
  key: keyof Omit<TodoCoordination, 'nextSessions'>;
  count: number;
  label: string;
  /** Where the tile leads: a screen, or the list below it on the page. */
  to: string;
  /** Shown as late (something is past its date). */
  late: boolean;
}

const words = (n: number, one: string, many: string) => (n > 1 ? many : one);

/** The coordinator's tiles, in the order of the work: screen, consent, schedule, follow. */
export function coordinationTiles(c: TodoCoordination): TodoTile[] {
  const tile = (key: TodoTile['key'], count: number, one: string, many: string, to: string, late = false): TodoTile => ({
    key,
    count,
    label: words(count, one, many),
    to,
    late: late && count > 0,
  });
  return [
    tile('toScreen', c.toScreen.count, 'saisine à étudier', 'saisines à étudier', '/coordination/saisines'),
    tile('consentMissing', c.consentMissing.count, 'consentement à recueillir', 'consentements à recueillir', '#titre-consentements'),
    tile('consentExpiring', c.consentExpiring.count, 'consentement à renouveler', 'consentements à renouveler', '#titre-consentements', true),
    tile('readyForSession', c.readyForSession.count, 'situation prête pour une séance', 'situations prêtes pour une séance', '/coordination/seances'),
    tile('overdueActions', c.overdueActions.count, 'action en retard', 'actions en retard', '#titre-retard', true),
    tile('followUpsDue', c.followUpsDue.count, 'point d’étape à faire sous 30 jours', 'points d’étape à faire sous 30 jours', '#titre-points'),
  ];
}

/** "12 actions ouvertes, dont 3 en retard" — a member's organisation's actions in one line. */
export function actionsLine(a: TodoActions): string {
  if (a.count === 0) return 'Votre organisation n’a aucune action ouverte.';
  const open = `${a.count} ${words(a.count, 'action ouverte', 'actions ouvertes')} pour votre organisation`;
  return a.overdue ? `${open}, dont ${a.overdue} en retard.` : `${open}, aucune en retard.`;
}

/** More than the list names: "et N autres". */
export function moreThanListed(list: { count: number; items: unknown[] }): number {
  return Math.max(0, list.count - list.items.length);
}
