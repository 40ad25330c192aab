import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../src/config/config.js';
import { createTestApp, type TestApp } from '../support/app.js';

/** A stand-in for web/dist (the real build is checked by the browser tests): the shape Vite writes. */
function fakeBuild(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-web-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html lang="fr"><head><meta charset="utf-8" /><title>Cellule</title>
<script type="module" crossorigin src="/app/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`,
  );
  writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
  return dir;
}

async function rawGet(t: TestApp, url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  const server: http.Server = t.app.getHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: url, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('web workspace under /app', () => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    dist = fakeBuild();
    t = await createTestApp({
      CELLULE_WEB_DIR: dist,
      CELLULE_OPERATOR_NAME: 'CLSM <Val> & Co',
      CELLULE_BRAND_COLOR: '#2E5E8C',
      CELLULE_SESSION_IDLE_SECONDS: '600',
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('redirects / to /app', async () => {
    const res = await t.http().get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/app');
  });

  it('serves index.html with a CSP that allows no inline script, and the configuration as a data block', async () => {
    const res = await t.http().get('/app');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers['cache-control']).toBe('no-cache');
    // Every script element either loads a file of 'self' or is a JSON data block (never run).
    const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(2);
    for (const [, attributes, body] of scripts) {
      if (/type="application\/json"/.test(attributes)) continue;
      expect(attributes).toMatch(/src="\/app\//);
      expect(body).toBe('');
    }
    const data = /<script type="application\/json" id="cellule-config">([^<]*)<\/script>/.exec(res.text);
    expect(JSON.parse(data![1])).toEqual({ operator: { name: 'CLSM <Val> & Co' }, session: { idleSeconds: 600, warningSeconds: 120 } });
    expect(res.text).toContain('<title>CLSM &#60;Val&#62; &#38; Co</title>');
  });

  it('answers index.html for any workspace route (the browser routes), with the same CSP', async () => {
    for (const url of ['/app/', '/app/situations/3f0e4a9c-1111-4222-8333-944445555666', '/app/mes-situations?onglet=suivies']) {
      const res = await t.http().get(url);
      expect(res.status).toBe(200);
      expect(res.text).toContain('id="cellule-config"');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('serves hashed assets for a year, gzipped when the browser accepts it, and 304 on a known ETag', async () => {
    const plain = await t.http().get('/app/assets/index-abc123.js').set('accept-encoding', 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    // The bytes as sent (supertest would inflate them).
    const zipped = await rawGet(t, '/app/assets/index-abc123.js', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(plain.text);
    expect(zipped.body.length).toBeLessThan(plain.text.length / 10);
    const again = await t.http().get('/app/assets/index-abc123.js').set('if-none-match', plain.headers.etag);
    expect(again.status).toBe(304);
  });

  it('answers 404 for a missing asset, not the page', async () => {
    const res = await t.http().get('/app/assets/index-gone.js');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('serves the configuration, the theme tokens and the logo', async () => {
    const config = await t.http().get('/app/config.json');
    expect(config.body).toEqual({ operator: { name: 'CLSM <Val> & Co' }, session: { idleSeconds: 600, warningSeconds: 120 } });
    const theme = await t.http().get('/app/theme.css');
    expect(theme.headers['content-type']).toMatch(/^text\/css/);
    expect(theme.text).toContain('--c--globals--colors--brand-550: #2E5E8C;');
    expect(theme.text).toContain(':root:root {');
    const logo = await t.http().get('/app/logo');
    expect(logo.headers['content-type']).toBe('image/svg+xml');
    expect(logo.headers['content-security-policy']).toContain('sandbox');
  });

  it('leaves the API where it was', async () => {
    const health = await t.http().get('/health');
    expect(health.body).toEqual({ status: 'ok' });
    expect(health.headers['content-security-policy']).toBeUndefined();
    expect((await t.http().get('/cases')).status).toBe(401);
  });
});

describe('web workspace configuration', () => {
  it('answers 503 saying how to build when web/dist is missing', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'cellule-web-none-'));
    const t = await createTestApp({ CELLULE_WEB_DIR: empty });
    try {
      const res = await t.http().get('/app/mes-situations');
      expect(res.status).toBe(503);
      expect(res.body.detail).toMatch(/npm run build/);
      expect((await t.http().get('/app/theme.css')).status).toBe(200);
    } finally {
      await t.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses a brand colour that white text cannot be read on, and other bad values, listing them all', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'test', CELLULE_BRAND_COLOR: '#FFD700', CELLULE_OPERATOR_LOGO: '/nonexistent/logo.gif', CELLULE_SESSION_IDLE_SECONDS: '5' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/CELLULE_BRAND_COLOR #FFD700: button text contrast [\d.]+:1 is below 4\.5:1/);
    expect(message).toMatch(/CELLULE_OPERATOR_LOGO must be an \.svg or \.png file/);
    expect(message).toMatch(/CELLULE_SESSION_IDLE_SECONDS must be an integer between 60 and 14400/);
    expect(() => loadConfig({ NODE_ENV: 'test', CELLULE_BRAND_COLOR: 'blue' })).toThrow(/CELLULE_BRAND_COLOR must be a colour as #RRGGBB/);
    expect(loadConfig({ NODE_ENV: 'test' }).web.brandColor).toBe('#1167D4');
  });
});
