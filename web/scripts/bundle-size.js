// The initial JavaScript of the workspace, gzipped, against its budget (issue 11: under 300 kB):
// the entry script of dist/index.html and every module it preloads (not the screens loaded on
// demand). Run after `vite build`; fails the build above the budget.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 300 * 1024;
const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/app\/([^"]+\.js)"/g)].map((m) => m[1]);
const size = (file) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const total = initial.reduce((sum, file) => sum + size(file), 0);
const all = readdirSync(new URL('assets/', dist)).filter((f) => f.endsWith('.js'));
const lazy = all.map((f) => `assets/${f}`).filter((f) => !initial.includes(f));
console.log(`Initial JavaScript: ${kb(total)} gzipped (budget ${kb(BUDGET)}) in ${initial.map((f) => path.basename(f)).join(', ')}`);
console.log(`Loaded on demand: ${lazy.length} chunks, ${kb(lazy.reduce((sum, f) => sum + size(f), 0))} gzipped`);
if (!initial.length) {
  console.error('No entry script found in dist/index.html');
  process.exit(1);
}
if (total > BUDGET) {
  console.error(`The initial JavaScript is over budget by ${kb(total - BUDGET)}: load more screens on demand (web/src/app/routes.tsx)`);
  process.exit(1);
}
