import type { CaseListItem } from '../api/client';
import type { TabItem } from '../shared/Tabs';

/** Tabs of situations grouped by step: how many in each, and how many changed since this account last opened them. */
export function situationTabs<K extends string>(buckets: readonly { key: K; label: string }[], groups: Record<K, CaseListItem[]>): TabItem<K>[] {
  return buckets.map((b) => ({ key: b.key, label: b.label, count: groups[b.key].length, unread: groups[b.key].filter((c) => c.unread).length }));
}
