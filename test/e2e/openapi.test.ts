import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * The web workspace's client is generated from web/src/api/openapi.json (npm run openapi). This
 * fails when the committed document is not the one the server serves: a controller or DTO
 * changed and the client was not regenerated. (`npm run lint` checks schema.d.ts against it.)
 */
function webCalls(dir = 'web/src'): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, string][] => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return webCalls(full);
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
    return [...readFileSync(full, 'utf8').matchAll(/\bapi\s*\.(GET|POST|PUT|PATCH|DELETE)\(\s*'([^']+)'/g)].map((m) => [m[2], m[1].toLowerCase()]);
  });
}

describe('the workspace API client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is generated from the document the server serves', async () => {
    const served = await t.http().get('/docs-json');
    expect(served.status).toBe(200);
    const committed = JSON.parse(readFileSync('web/src/api/openapi.json', 'utf8'));
    try {
      expect(committed).toEqual(served.body);
    } catch (error) {
      throw new Error(`web/src/api/openapi.json is stale: run npm run openapi and commit the result\n${(error as Error).message}`);
    }
  });

  it('declares the answer of every route the workspace calls', async () => {
    const document = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> };
    // The routes the workspace calls, read from its code (every call goes through `api.VERB('/path'`).
    const used = webCalls();
    expect(used.length).toBeGreaterThan(5);
    for (const [route, method] of used) {
      const responses = document.paths[route]?.[method]?.responses ?? {};
      const success = Object.entries(responses).find(([status]) => /^2\d\d$/.test(status));
      const declared = Boolean(success && (success[0] === '204' || success[1].content));
      expect({ route, method, declared }).toEqual({ route, method, declared: true });
    }
  });
});
