/**
 * Issue 14, item 6: the audit export is a bounded document. At most MAX_EXPORT_ENTRIES entries
 * (the JSON array's maxItems) and a CSV of at most MAX_EXPORT_CSV_CHARS characters (its
 * maxLength), both checked before anything is sent: beyond them the export is refused (422),
 * saying how to narrow it, and a narrower export of the same log is served.
 */
import { MAX_EXPORT_CSV_CHARS, MAX_EXPORT_ENTRIES } from '../../src/common/limits.js';
import { createWorldApp, type World } from '../factories/world.js';
import type { TestApp } from '../support/app.js';

type Content = Record<string, { schema: { maxItems?: number; maxLength?: number } }>;

describe('the audit export is bounded', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    ({ t, w } = await createWorldApp());
  });
  afterAll(async () => {
    // The filler is not the log's own: taken away before the server stops (its sealer would chain it all first).
    await t?.db.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`DELETE FROM audit_events WHERE action LIKE 'test.%'`);
    });
    await t?.close();
  });

  const exportOf = (query: string) => t.http().get(`/audit/events/export?${query}`).set('authorization', `Bearer ${w.auditor.token}`);

  it('publishes its bounds', async () => {
    const document = (await t.http().get('/docs-json')).body as { paths: Record<string, { get: { responses: { '200': { content: Content } } } }> };
    const content = document.paths['/audit/events/export'].get.responses['200'].content;
    expect(content['application/json'].schema.maxItems).toBe(MAX_EXPORT_ENTRIES);
    expect(content['text/csv'].schema.maxLength).toBe(MAX_EXPORT_CSV_CHARS);
  });

  it('refuses more entries than one export holds, before sending anything, and serves a narrower one', async () => {
    // Entries of a past day, more than one export holds (written as the superuser: the log's own writers never would in a test's time).
    await t.db.dataSource.query(
      `INSERT INTO audit_events (at, territory_id, action, decision)
       SELECT timestamptz '2026-01-10 12:00:00+00', $1, 'test.filler', 'allow' FROM generate_series(1, $2)`,
      [w.territoryId, MAX_EXPORT_ENTRIES + 1],
    );
    for (const format of ['json', 'csv']) {
      const refused = await exportOf(`format=${format}&from=2026-01-10&to=2026-01-10`);
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect((refused.body as { detail: string }).detail).toContain('from and to');
    }
    // The day of the world's creation, without the filler: served whole.
    const narrower = await exportOf(`format=json&from=2026-01-11`);
    expect(narrower.status).toBe(200);
    const entries = JSON.parse(narrower.text as string) as { action: string }[];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.some((e) => e.action === 'test.filler')).toBe(false);
  });

  it('refuses a CSV that could exceed its length, and serves a narrower one', async () => {
    // One entry whose detail alone is half the CSV bound: its line, quotes doubled at worst, could exceed it.
    await t.db.dataSource.query(
      `INSERT INTO audit_events (at, territory_id, action, decision, detail)
       VALUES (timestamptz '2026-02-10 12:00:00+00', $1, 'test.large', 'allow', jsonb_build_object('text', repeat('a', $2::int)))`,
      [w.territoryId, MAX_EXPORT_CSV_CHARS / 2],
    );
    const csv = await exportOf('format=csv&from=2026-02-10&to=2026-02-10');
    expect(csv.status).toBe(422);
    expect((csv.body as { detail: string }).detail).toContain(String(MAX_EXPORT_CSV_CHARS));
    // Without that entry, the CSV of the log is served.
    const narrower = await exportOf('format=csv&from=2026-02-11');
    expect(narrower.status).toBe(200);
    expect(narrower.text).not.toContain('test.large');
    expect(narrower.text.split('\r\n').length).toBeGreaterThan(2);
  });
});
