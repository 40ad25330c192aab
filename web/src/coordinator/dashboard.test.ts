import { describe, expect, it } from 'vitest';
import type { CaseListItem } from '../api/client';
import type { ActionItem, Commission, Session } from '../api/queries';
import { dashboard } from './dashboard';

const item = (id: string, state: CaseListItem['state'], over: Partial<CaseListItem> = {}): CaseListItem => ({
  id,
  reference: `CAS-2026-${id}`,
  unread: false,
  state,
  version: 1,
  commissionId: 'c',
  createdAt: '2026-01-01T10:00:00Z',
  updatedAt: '2026-01-01T10:00:00Z',
  closedAt: null,
  followUpAt: null,
  ...over,
});
const commission = { id: 'c', name: 'Cellule' } as Commission;
const session = (id: string, status: Session['status'], startsAt: string) => ({ id, status, startsAt }) as Session;

describe('the coordinator’s dashboard', () => {
  const now = new Date('2026-03-14T10:00:00Z');
  const d = dashboard(
    [
      item('0001', 'submitted', { updatedAt: '2026-03-10T10:00:00Z' }),
      item('0002', 'submitted', { updatedAt: '2026-03-01T10:00:00Z' }),
      item('0003', 'ready_for_review'),
      item('0004', 'plan_active', { followUpAt: '2026-03-13T10:00:00Z' }),
      item('0005', 'plan_active', { followUpAt: '2026-06-13T10:00:00Z' }),
      item('0006', 'follow_up', { followUpAt: '2026-02-13T10:00:00Z' }),
      item('0007', 'closed'),
    ],
    [{ id: 'a', dueAt: '2026-03-01T10:00:00Z' } as ActionItem],
    [
      {
        commission,
        sessions: [
          session('s3', 'closed', '2026-01-01T10:00:00Z'),
          session('s2', 'planned', '2026-04-01T10:00:00Z'),
          session('s1', 'open', '2026-03-14T09:00:00Z'),
        ],
      },
    ],
    now,
  );

  it('counts the situations by state, in the lifecycle’s order', () => {
    expect(d.byState).toEqual([
      { state: 'submitted', count: 2 },
      { state: 'ready_for_review', count: 1 },
      { state: 'plan_active', count: 2 },
      { state: 'follow_up', count: 1 },
      { state: 'closed', count: 1 },
    ]);
  });

  it('puts the referrals to screen oldest first, and the follow-ups due (reached or moved) first', () => {
    expect(d.toScreen.map((c) => c.id)).toEqual(['0002', '0001']);
    expect(d.followUpsDue.map((c) => c.id)).toEqual(['0006', '0004']);
    expect(d.ready.map((c) => c.id)).toEqual(['0003']);
  });

  it('shows the sessions not over yet, soonest first, and the overdue actions', () => {
    expect(d.nextSessions.map((s) => s.session.id)).toEqual(['s1', 's2']);
    expect(d.overdue.map((a) => a.id)).toEqual(['a']);
  });
});
