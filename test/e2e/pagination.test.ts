/**
 * Issue 14, item 6: the listings that grow with the deployment answer one page at a time
 * (src/common/pagination.ts): `limit` (at most the page size, its default) and `offset`, in a
 * stable order. The document declares the page size as the array's maxItems; the server keeps it
 * (a larger limit is a 400 naming the field), and the pages read one after the other give back
 * exactly the whole list, in order.
 */
import { caseIn, newSession } from '../factories/lifecycle.js';
import { call, createWorldApp, type World } from '../factories/world.js';
import type { TestApp } from '../support/app.js';

type Schema = { type?: string; maxItems?: number; $ref?: string; items?: Schema };
type Document = { paths: Record<string, { get: { responses: { '200': { content: { 'application/json': { schema: Schema } } } } } }> };

describe('paged listings', () => {
  let t: TestApp;
  let w: World;
  let document: Document;
  let caseId: string;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
    document = (await t.http().get('/docs-json')).body as Document;
    await newSession(t, w, { startInDays: 3 });
    await newSession(t, w, { startInDays: 5 });
    caseId = (await caseIn(t, w, 'awaiting_consent')).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (token: string, url: string) => t.http().get(url).set('authorization', `Bearer ${token}`);

  /** The page size the document publishes for the route (its answer's maxItems). */
  function published(path: string): number {
    const schema = document.paths[path]?.get.responses['200'].content['application/json'].schema;
    expect(schema?.type).toBe('array');
    return schema!.maxItems!;
  }

  /** The whole list (one default page), then each entry read as a page of one: the same, in order; a page past the end is empty. */
  async function pagesAgree(token: string, path: string, url: string, atLeast: number): Promise<void> {
    const size = published(path);
    expect(size).toBe(1000);
    const whole = await get(token, url);
    expect(whole.status).toBe(200);
    const all = whole.body as unknown[];
    expect(all.length).toBeGreaterThanOrEqual(atLeast);
    expect(all.length).toBeLessThanOrEqual(size);
    const sep = url.includes('?') ? '&' : '?';
    const oneByOne: unknown[] = [];
    for (let offset = 0; offset < all.length; offset++) {
      const page = await get(token, `${url}${sep}limit=1&offset=${offset}`);
      expect(page.status).toBe(200);
      oneByOne.push(...(page.body as unknown[]));
    }
    expect(oneByOne).toEqual(all);
    const two = await get(token, `${url}${sep}limit=2`);
    expect(two.body).toEqual(all.slice(0, 2));
    expect((await get(token, `${url}${sep}offset=${all.length}`)).body).toEqual([]);

    const tooLarge = await get(token, `${url}${sep}limit=${size + 1}`);
    expect(tooLarge.status).toBe(400);
    expect((tooLarge.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('limit');
    const negative = await get(token, `${url}${sep}offset=-1`);
    expect(negative.status).toBe(400);
    expect((negative.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('offset');
  }

  it('GET /territories', async () => {
    await pagesAgree(w.admin.token, '/territories', '/territories', 1);
  });

  it('GET /organisations, of the whole scope and of one territory', async () => {
    await pagesAgree(w.admin.token, '/organisations', '/organisations', 5);
    await pagesAgree(w.admin.token, '/organisations', `/organisations?territoryId=${w.territoryId}`, 5);
    const notUuid = await get(w.admin.token, '/organisations?territoryId=nope');
    expect(notUuid.status).toBe(400);
    expect((notUuid.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('territoryId');
  });

  it('GET /users', async () => {
    await pagesAgree(w.admin.token, '/users', '/users', 8);
  });

  it('GET /commissions, its members and its sessions', async () => {
    await call(t, w.coordinator.token, 'post', '/commissions', { territoryId: w.territoryId, name: 'Cellule paginée' });
    await pagesAgree(w.coordinator.token, '/commissions', '/commissions', 2);
    await pagesAgree(w.coordinator.token, '/commissions/{id}/members', `/commissions/${w.commissionId}/members`, 3);
    await pagesAgree(w.coordinator.token, '/commissions/{id}/sessions', `/commissions/${w.commissionId}/sessions`, 2);
  });

  it('GET /cases/:id/history: the transitions, oldest first, page by page', async () => {
    await pagesAgree(w.referrer.token, '/cases/{id}/history', `/cases/${caseId}/history`, 2);
    const versions = ((await get(w.referrer.token, `/cases/${caseId}/history`)).body as { version: number }[]).map((e) => e.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('GET /cases/:id/handover-candidates', async () => {
    await pagesAgree(w.coordinator.token, '/cases/{id}/handover-candidates', `/cases/${caseId}/handover-candidates`, 1);
  });
});
