import { useEffect } from 'react';
import { useClientConfig } from './ClientConfigContext';

/**
 * The tab's title: what the page is, then the operator. Only references and words of the
 * interface go here, never a name or a situation's content (the title is seen by anyone near
 * the screen, and kept in the browser's history).
 */
export function usePageTitle(title: string): void {
  const { operator } = useClientConfig();
  useEffect(() => {
    document.title = `${title} — ${operator.name}`;
  }, [title, operator.name]);
}
