import { describe, expect, it } from 'vitest';
import document from '../api/openapi.json';
import type { CaseListItem } from '../api/client';
import { BUCKET_OF, BUCKETS, byBucket, NEXT_STEP } from './buckets';

describe('"mes situations" tabs', () => {
  it('place every state the server knows in exactly one tab, with a next step', () => {
    const states = (document.components.schemas.CaseState as { enum: string[] }).enum;
    expect(Object.keys(BUCKET_OF).sort()).toEqual([...states].sort());
    expect(Object.keys(NEXT_STEP).sort()).toEqual([...states].sort());
    for (const bucket of Object.values(BUCKET_OF)) expect(BUCKETS.map((b) => b.key)).toContain(bucket);
  });

  it('puts what waits on the referrer first, newest change first', () => {
    const item = (id: string, state: CaseListItem['state'], updatedAt: string) => ({ id, state, updatedAt }) as CaseListItem;
    const groups = byBucket([
      item('a', 'draft', '2026-01-01'),
      item('b', 'awaiting_consent', '2026-02-01'),
      item('c', 'scheduled', '2026-01-15'),
      item('d', 'plan_active', '2026-01-10'),
      item('e', 'closed', '2026-01-05'),
    ]);
    expect(groups['a-traiter'].map((i) => i.id)).toEqual(['b', 'a']);
    expect(groups['en-cours'].map((i) => i.id)).toEqual(['c']);
    expect(groups.suivies.map((i) => i.id)).toEqual(['d']);
    expect(groups.closes.map((i) => i.id)).toEqual(['e']);
  });
});
