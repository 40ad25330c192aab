import { describe, expect, it } from 'vitest';
import type { CaseListItem } from '../api/client';
import { situationTabs } from './situationTabs';

const item = (id: string, unread: boolean) => ({ id, unread }) as CaseListItem;

describe('situation tabs', () => {
  it('count the situations of each step and those changed since last opened', () => {
    const tabs = situationTabs(
      [
        { key: 'a', label: 'À traiter' },
        { key: 'b', label: 'En cours' },
      ],
      { a: [item('1', true), item('2', false), item('3', true)], b: [item('4', false)] },
    );
    expect(tabs).toEqual([
      { key: 'a', label: 'À traiter', count: 3, unread: 2 },
      { key: 'b', label: 'En cours', count: 1, unread: 0 },
    ]);
  });
});
