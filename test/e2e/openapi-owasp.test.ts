/**
 * Issue 14, item 6: the document the server serves (/docs-json) linted with the OWASP API
 * security rule set (@stoplight/spectral-owasp-ruleset, every rule): no error. Every list an
 * answer carries is bounded by what the server keeps — a page size (src/common/pagination.ts), a
 * domain cap refused at write time or a limit of the query (src/common/limits.ts) — and every
 * document answered as text by a maximum the server checks before answering. Warnings are not
 * checked.
 */
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import owaspRuleset from '@stoplight/spectral-owasp-ruleset';
import { createTestApp, type TestApp } from '../support/app.js';

interface Finding {
  code: string | number;
  message: string;
  path: (string | number)[];
  severity: number;
}

async function lint(document: unknown): Promise<Finding[]> {
  const { Spectral, Document } = spectralCore;
  const spectral = new Spectral();
  const ruleset = (owaspRuleset as unknown as { default?: unknown }).default ?? owaspRuleset;
  spectral.setRuleset({ extends: [[ruleset as never, 'all']] });
  // A source name: findings inside a $ref'd schema are then reported once, at the schema.
  return (await spectral.run(new Document(JSON.stringify(document, null, 2), spectralParsers.Json, 'openapi.json'))) as Finding[];
}

describe('the served OpenAPI document under the OWASP API rule set', () => {
  let t: TestApp;
  let findings: Finding[];
  beforeAll(async () => {
    t = await createTestApp();
    const served = await t.http().get('/docs-json');
    expect(served.status).toBe(200);
    findings = await lint(served.body);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has no error', () => {
    expect(findings.filter((f) => f.severity === 0).map((f) => `${f.code} at ${f.path.join('.')}: ${f.message}`)).toEqual([]);
  });

  it('declares the rate-limit headers on every answer but errors of the server', async () => {
    const document = (await t.http().get('/docs-json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    };
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (/^[24]/.test(status) && !(response.headers?.['RateLimit-Limit'] && response.headers['RateLimit-Reset']))
            missing.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
