import { describe, expect, it } from 'vitest';
import type { CaseListItem } from '../api/client';
import { dashboard } from './dashboard';

const item = (id: string, state: CaseListItem['state']): CaseListItem => ({
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
});

describe('the coordinator’s dashboard', () => {
  it('counts the situations by state, in the lifecycle’s order', () => {
    const d = dashboard([
      item('0001', 'submitted'),
      item('0002', 'submitted'),
      item('0003', 'ready_for_review'),
      item('0004', 'plan_active'),
      item('0005', 'plan_active'),
      item('0006', 'follow_up'),
      item('0007', 'closed'),
    ]);
    expect(d.byState).toEqual([
      { state: 'submitted', count: 2 },
      { state: 'ready_for_review', count: 1 },
      { state: 'plan_active', count: 2 },
      { state: 'follow_up', count: 1 },
      { state: 'closed', count: 1 },
    ]);
  });
});
