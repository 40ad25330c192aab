import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: string;
  /** A count shown beside the label (and read out with it). */
  count?: number;
  /** How many of them changed since this account last opened them: a badge when there are any. */
  unread?: number;
}

/**
 * Tabs after the WAI-ARIA pattern (Cunningham has none outside its modal): arrow keys, Home and
 * End move between tabs, one tab in the tab order, the panel labelled by its tab. The selected tab
 * lives in the URL (the caller's `selected`/`onSelect`), so a reload or a shared link keeps it.
 */
export function Tabs<K extends string>({
  label,
  items,
  selected,
  onSelect,
  children,
}: {
  label: string;
  items: TabItem<K>[];
  selected: K;
  onSelect: (key: K) => void;
  children: ReactNode;
}) {
  const base = useId();
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (event: KeyboardEvent, index: number) => {
    const last = items.length - 1;
    const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const key = items[target].key;
    onSelect(key);
    refs.current.get(key)?.focus();
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tabs__list">
        {items.map((item, index) => (
          <button
            key={item.key}
            ref={(el) => {
              if (el) refs.current.set(item.key, el);
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${item.key}`}
            aria-controls={`${base}-panel`}
            aria-selected={item.key === selected}
            tabIndex={item.key === selected ? 0 : -1}
            className="tabs__tab"
            onClick={() => onSelect(item.key)}
            onKeyDown={(event) => move(event, index)}
          >
            {item.label}
            {item.count !== undefined && (
              <span className="tabs__count" aria-label={`(${item.count})`}>
                {item.count}
              </span>
            )}
            {item.unread ? (
              <span className="tabs__unread" aria-label={`, dont ${item.unread} ${item.unread > 1 ? 'nouvelles' : 'nouvelle'}`}>
                {item.unread} {item.unread > 1 ? 'nouvelles' : 'nouvelle'}
              </span>
            ) : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${selected}`} tabIndex={0} className="tabs__panel">
        {children}
      </div>
    </div>
  );
}
