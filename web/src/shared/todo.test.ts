import { describe, expect, it } from 'vitest';
import { actionsLine, coordinationTiles, moreThanListed, WAITING_LABEL, type TodoCoordination } from './todo';

const list = (count: number) => ({ count, items: [] });
const coordination = (over: Partial<TodoCoordination> = {}): TodoCoordination => ({
  toScreen: list(2),
  consentMissing: list(1),
  consentExpiring: list(0),
  readyForSession: list(0),
  followUpsDue: list(3),
  overdueActions: { count: 1, overdue: 1, items: [] },
  nextSessions: [],
  ...over,
});

describe('the to-do in the workspace’s words', () => {
  it('gives the coordinator one tile per list, with the server’s counts, in the order of the work', () => {
    const tiles = coordinationTiles(coordination());
    expect(tiles.map((t) => [t.key, t.count, t.label])).toEqual([
      ['toScreen', 2, 'saisines à étudier'],
      ['consentMissing', 1, 'consentement à recueillir'],
      ['consentExpiring', 0, 'consentement à renouveler'],
      ['readyForSession', 0, 'situation prête pour une séance'],
      ['overdueActions', 1, 'action en retard'],
      ['followUpsDue', 3, 'points d’étape à faire sous 30 jours'],
    ]);
  });

  it('marks late only what is past its date, and only when there is some', () => {
    const late = (c: TodoCoordination) =>
      coordinationTiles(c)
        .filter((t) => t.late)
        .map((t) => t.key);
    expect(late(coordination())).toEqual(['overdueActions']);
    expect(late(coordination({ overdueActions: { count: 0, overdue: 0, items: [] }, consentExpiring: list(2) }))).toEqual(['consentExpiring']);
  });

  it("says a member's open actions in one line", () => {
    expect(actionsLine({ count: 0, overdue: 0, items: [] })).toBe('Votre organisation n’a aucune action ouverte.');
    expect(actionsLine({ count: 1, overdue: 0, items: [] })).toBe('1 action ouverte pour votre organisation, aucune en retard.');
    expect(actionsLine({ count: 12, overdue: 3, items: [] })).toBe('12 actions ouvertes pour votre organisation, dont 3 en retard.');
  });

  it('counts what the list does not name', () => {
    expect(moreThanListed({ count: 25, items: Array(20).fill(0) })).toBe(5);
    expect(moreThanListed({ count: 2, items: [1, 2] })).toBe(0);
  });

  it('has a sentence for every reason a referral waits on its referrer', () => {
    expect(Object.keys(WAITING_LABEL).sort()).toEqual(['consent_expiring', 'consent_refused', 'consent_to_record', 'draft', 'plan_agreement', 'sent_back']);
  });
});
