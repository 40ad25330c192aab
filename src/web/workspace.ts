import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { themeCss } from './theme.js';
import type { WebConfig } from './web.config.js';

/**
 * The web workspace under /app: the Vite build of web/ (index.html, hashed assets), read once at
 * start and kept in memory with a gzip copy, so a first screen costs a few small answers.
 *
 * - `/` redirects to `/app`; any other path under /app that is not a file answers index.html
 *   (the workspace routes in the browser), a missing file under /app/assets answers 404.
 * - Every answer under /app carries a Content-Security-Policy without 'unsafe-inline' or 'eval':
 *   the build has no inline script (web/vite.config.ts), and the configuration the page needs
 *   travels as a JSON data block, which is never executed.
 * - /app/config.json, /app/theme.css and /app/logo are made from the configuration (WebConfig).
 *
 * These are plain Fastify routes, not Nest controllers: static files are not part of the API and
 * stay out of the OpenAPI document.
 */
export const WORKSPACE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** An operator's SVG logo may hold scripts: served as an image that can run nothing. */
const LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

const DEFAULT_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" role="img" aria-label="Cellule">
<rect width="32" height="32" rx="7" fill="#1167D4"/><circle cx="12" cy="13" r="5" fill="#fff"/><circle cx="20" cy="13" r="5" fill="#fff" fill-opacity=".75"/>
<circle cx="16" cy="20" r="5" fill="#fff" fill-opacity=".55"/></svg>`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt']);

interface File {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  etag: string;
  cache: string;
  csp: string;
}

function file(body: Buffer, ext: string, cache: string, csp = WORKSPACE_CSP): File {
  return {
    body,
    gzip: COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined,
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    cache,
    csp,
  };
}

/** What the page needs before its first request: public settings only, never a user's data. */
export function clientConfig(web: WebConfig) {
  return {
    operator: { name: web.operator.name },
    session: { idleSeconds: web.session.idleSeconds, warningSeconds: Math.min(120, Math.floor(web.session.idleSeconds / 4)) },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(root, full) : [path.relative(root, full).split(path.sep).join('/')];
  });
}

export class Workspace {
  private readonly files = new Map<string, File>();
  private readonly index: File | undefined;

  constructor(private readonly web: WebConfig) {
    const config = JSON.stringify(clientConfig(web));
    this.files.set('config.json', file(Buffer.from(config), '.json', 'no-cache'));
    this.files.set('theme.css', file(Buffer.from(themeCss(web.brandColor)), '.css', 'no-cache'));
    const logo = web.operator.logoPath;
    this.files.set('logo', file(logo ? readFileSync(logo) : Buffer.from(DEFAULT_LOGO), logo ? path.extname(logo).toLowerCase() : '.svg', 'no-cache', LOGO_CSP));
    const indexPath = path.join(web.distDir, 'index.html');
    if (!existsSync(indexPath)) return;
    for (const name of listFiles(web.distDir)) {
      if (name === 'index.html' || this.files.has(name)) continue;
      const immutable = name.startsWith('assets/');
      this.files.set(
        name,
        file(readFileSync(path.join(web.distDir, name)), path.extname(name), immutable ? 'public, max-age=31536000, immutable' : 'no-cache'),
      );
    }
    // The configuration rides in the page as a data block (type application/json is not run, so
    // the CSP needs no exception); `<` is escaped so no value can close the element.
    const html = readFileSync(indexPath, 'utf8')
      .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(web.operator.name)}</title>`)
      .replace('</head>', `<script type="application/json" id="cellule-config">${config.replace(/</g, '\\u003c')}</script>\n</head>`);
    this.index = file(Buffer.from(html), '.html', 'no-cache');
  }

  get built(): boolean {
    return this.index !== undefined;
  }

  register(fastify: FastifyInstance): void {
    fastify.get('/', (_request, reply) => reply.redirect('/app', 302));
    fastify.get('/app', (request, reply) => this.serveIndex(request, reply));
    fastify.get('/app/*', (request, reply) => {
      const name = (request.params as { '*': string })['*'];
      const found = this.files.get(name);
      if (found) return this.send(request, reply, found);
      if (name.startsWith('assets/') || !this.index) return this.serveIndex(request, reply, name.startsWith('assets/'));
      return this.send(request, reply, this.index);
    });
  }

  private serveIndex(request: FastifyRequest, reply: FastifyReply, missingAsset = false) {
    if (this.index && !missingAsset) return this.send(request, reply, this.index);
    const status = missingAsset ? 404 : 503;
    return reply
      .status(status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .header('content-security-policy', WORKSPACE_CSP)
      .header('cache-control', 'no-store')
      .send({
        type: `https://cellule.invalid/problems/${missingAsset ? 'not_found' : 'workspace_not_built'}`,
        title: missingAsset ? 'Not found' : 'Workspace not built',
        status,
        detail: missingAsset ? 'No such file' : `The web workspace is not built (no ${path.join(this.web.distDir, 'index.html')}): run npm run build`,
        instance: request.url.split('?')[0],
      });
  }

  private send(request: FastifyRequest, reply: FastifyReply, found: File) {
    reply.header('content-security-policy', found.csp).header('cache-control', found.cache).header('etag', found.etag).header('vary', 'accept-encoding');
    if (request.headers['if-none-match'] === found.etag) return reply.status(304).send();
    reply.header('content-type', found.type);
    const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (found.gzip && acceptsGzip) return reply.header('content-encoding', 'gzip').send(found.gzip);
    return reply.send(found.body);
  }
}
