import { describe, expect, it } from 'vitest';
import type { CaseListItem, CaseState } from '../api/client';
import { HOME_BUCKET_OF, homeGroups, homeRole } from './homeBuckets';

const item = (state: CaseState, updatedAt = '2026-03-14T09:00:00Z'): CaseListItem => ({
  id: `${state}-${updatedAt}`,
  reference: 'CAS-2026-0001',
  unread: false,
  state,
  version: 1,
  commissionId: 'c',
  createdAt: '2026-03-01T09:00:00Z',
  updatedAt,
  closedAt: null,
  followUpAt: null,
});

describe('the home page’s tabs', () => {
  it('shows the tabs of the account’s working role', () => {
    expect(homeRole(['referrer'])).toBe('referrer');
    expect(homeRole(['member', 'coordinator'])).toBe('coordinator');
    expect(homeRole(['auditor'])).toBeUndefined();
    expect(homeRole(['admin'])).toBeUndefined();
  });

  it('puts what waits on each role under « à traiter »', () => {
    expect(HOME_BUCKET_OF.referrer.awaiting_consent).toBe('a-traiter');
    expect(HOME_BUCKET_OF.coordinator.awaiting_consent).toBe('en-cours');
    expect(HOME_BUCKET_OF.coordinator.submitted).toBe('a-traiter');
    expect(HOME_BUCKET_OF.member.in_review).toBe('a-traiter');
    const groups = homeGroups('coordinator', [
      item('submitted', '2026-03-01T00:00:00Z'),
      item('follow_up', '2026-03-05T00:00:00Z'),
      item('plan_active'),
      item('closed'),
    ]);
    expect(groups['a-traiter'].map((i) => i.state)).toEqual(['follow_up', 'submitted']);
    expect(groups.suivies).toHaveLength(1);
    expect(groups.closes).toHaveLength(1);
  });
});
