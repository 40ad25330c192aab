/**
 * The public settings the server puts in the page (src/web/workspace.ts): the operator's name and
 * the session's idle timing. Under `npm run dev` (Vite serves the page) they come from
 * /app/config.json instead.
 */
export interface ClientConfig {
  operator: { name: string };
  session: { idleSeconds: number; warningSeconds: number };
}

export const FALLBACK_CONFIG: ClientConfig = { operator: { name: 'Cellule' }, session: { idleSeconds: 900, warningSeconds: 120 } };

export async function loadClientConfig(doc: Document = document): Promise<ClientConfig> {
  const embedded = doc.getElementById('cellule-config')?.textContent;
  if (embedded) return JSON.parse(embedded) as ClientConfig;
  try {
    const res = await fetch('/app/config.json', { credentials: 'same-origin' });
    if (res.ok) return (await res.json()) as ClientConfig;
  } catch {
    // The fallback below keeps the page usable; the server enforces the real timeout anyway.
  }
  return FALLBACK_CONFIG;
}
