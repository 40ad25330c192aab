import { readFileSync } from 'node:fs';

/**
 * `npm run dev`: Vite serves the workspace and forwards everything else to the Nest server. The
 * forwarded prefixes are the first segments of the API's paths, read from the OpenAPI document
 * the client is generated from, plus the server-made files of /app (configuration, theme, logo).
 */
export function apiProxy(target: string): Record<string, { target: string; changeOrigin: boolean }> {
  const document = JSON.parse(readFileSync(new URL('../src/api/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, unknown> };
  const prefixes = new Set(Object.keys(document.paths).map((p) => '/' + p.split('/')[1]));
  for (const served of ['/app/config.json', '/app/theme.css', '/app/logo', '/docs']) prefixes.add(served);
  return Object.fromEntries([...prefixes].map((prefix) => [`^${prefix}(/|$|\\?)`, { target, changeOrigin: false }]));
}
