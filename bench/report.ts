/** The targets of issue 5, the printed table, and the dated rows of bench/results.md. */
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';

/** Every figure of a run (the JSON object printed as the last line). */
export interface BenchResult {
  date: string;
  mode: 'child' | 'in-process';
  quick: boolean;
  cases: number;
  territories: number;
  secondsPerRun: number;
  pairs: number;
  seedSeconds: number;
  seedRows: Record<string, number>;
  sealerCatchUpSeconds: number | null;
  rawTxPerSec: number;
  rawP99Ms: number;
  transitionPerSec: number;
  transitionP99MsC8: number;
  transitionRatio: number;
  transitionPerSecC32: number;
  transitionP99Ms: number;
  /** The transition SQL alone at c=32: the p99 a transition cannot beat on this machine. */
  rawTxPerSecC32: number;
  rawP99MsC32: number;
  readProtectedPerSec: number;
  readMetaPerSec: number;
  readProtectedP99Ms: number;
  readMetaP99Ms: number;
  readRatio: number;
  auditOnPerSec: number;
  auditOffPerSec: number;
  auditRatio: number;
  encryptionOnPerSec: number;
  encryptionOffPerSec: number;
  encryptionRatio: number;
  duplicateP50Ms: number;
  duplicateP99Ms: number;
  duplicateHttpP99Ms: number;
  transitionP99AloneMs: number;
  transitionP99WithLoginsMs: number;
  loginP99Ratio: number;
  loginsPerSec: number;
  loginP99Ms: number;
  peakRssMb: number;
  /** The audit verification measure (bench/audit-verify.ts), when run. */
  auditEntries?: number;
  auditGenerateSeconds?: number;
  auditFullVerifyMs?: number;
  auditIncrementalEntries?: number;
  auditIncrementalVerifyMs?: number;
  auditIncrementalRatio?: number;
  transitionNon2xx: number;
  readNon2xx: number;
  loginNon2xx: number;
  non2xx: number;
  errors: number;
  postgres: Record<string, string>;
  /** The database role the servers connected as: a login of cellule_app, checked fit (src/database/roles.ts) before they start. */
  serverRole: string;
  machine: string;
}

/** Keys the issue requires in the JSON line, at least. */
export const REQUIRED_KEYS = [
  'rawTxPerSec',
  'transitionPerSec',
  'transitionRatio',
  'transitionP99Ms',
  'readRatio',
  'auditRatio',
  'duplicateP99Ms',
  'peakRssMb',
  'cases',
] as const;

export interface Target {
  name: string;
  key: keyof BenchResult;
  op: '>=' | '<' | '<=';
  value: number;
  unit?: string;
  note?: string;
}

export const TARGETS: Target[] = [
  { name: 'transition c=8 vs raw SQL', key: 'transitionRatio', op: '>=', value: 0.25 },
  { name: 'decrypt+audit read vs meta read', key: 'readRatio', op: '>=', value: 0.4 },
  { name: 'audit on vs off (transition)', key: 'auditRatio', op: '>=', value: 0.7 },
  { name: 'transition p99 at c=32', key: 'transitionP99Ms', op: '<', value: 20, unit: 'ms' },
  { name: 'duplicate lookup p99', key: 'duplicateP99Ms', op: '<', value: 5, unit: 'ms', note: 'target at 1M cases' },
  { name: 'server peak RSS', key: 'peakRssMb', op: '<', value: 300, unit: 'MB' },
  { name: 'encryption on vs off (read)', key: 'encryptionRatio', op: '>=', value: 0.95 },
  { name: 'transition p99 with 10 logins/s', key: 'loginP99Ratio', op: '<=', value: 1.1, unit: '×' },
];

export function met(target: Target, result: BenchResult): boolean {
  const measured = result[target.key] as number;
  if (target.op === '>=') return measured >= target.value;
  if (target.op === '<=') return measured <= target.value;
  return measured < target.value;
}

export function formatTargets(result: BenchResult): string {
  const rows = TARGETS.map((t) => [
    t.name,
    `${t.op} ${t.value}${t.unit ? ` ${t.unit}` : ''}${t.note ? ` (${t.note})` : ''}`,
    `${result[t.key] as number}${t.unit && t.unit !== '×' ? ` ${t.unit}` : ''}`,
    met(t, result) ? 'yes' : 'NO',
  ]);
  const head = ['target', 'wanted', 'measured', 'met?'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function describeMachine(): { summary: string; nproc: number; cpu: string; memoryGb: number; node: string } {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  const nproc = os.availableParallelism();
  const memoryGb = Math.round((os.totalmem() / 2 ** 30) * 10) / 10;
  return { summary: `${nproc}× ${cpu}, ${memoryGb} GiB, node ${process.version}`, nproc, cpu, memoryGb, node: process.version };
}

const COLUMNS: [string, (r: BenchResult) => string, string][] = [
  ['date', (r) => r.date.slice(0, 16).replace('T', ' '), 'UTC start of the run'],
  ['mode', (r) => `${r.quick ? 'quick' : 'full'}`, 'quick (`-- --quick`) or full'],
  ['cases', (r) => String(r.cases), 'seeded cases (20 territories)'],
  ['raw tx/s', (r) => String(r.rawTxPerSec), 'transition SQL alone through pg, c=8 (the ceiling)'],
  ['transition/s c8', (r) => String(r.transitionPerSec), 'POST /cases/:id/events, c=8'],
  ['ratio', (r) => String(r.transitionRatio), 'transition/s ÷ raw tx/s (target ≥ 0.25)'],
  ['c32/s', (r) => String(r.transitionPerSecC32), 'transitions per second at c=32'],
  [
    'p99 c32 ms',
    (r) => (r.rawP99MsC32 === undefined ? String(r.transitionP99Ms) : `${r.transitionP99Ms} (SQL ${r.rawP99MsC32})`),
    'transition p99 at c=32 (target < 20 ms); in brackets, the p99 of the transition SQL alone at c=32',
  ],
  [
    'read ratio',
    (r) => String(r.readRatio),
    'GET /cases/:id by the referrer (identity+social+health decrypted, audited) ÷ by the coordinator of the territory (meta, summary, plan, consent: no protected class; the summary text is still decrypted) (≥ 0.4)',
  ],
  ['audit ratio', (r) => String(r.auditRatio), 'transition/s with audit ÷ the audit-off variant (bench/variants.ts) (≥ 0.7)'],
  ['enc ratio', (r) => String(r.encryptionRatio), 'referrer read/s with encryption ÷ the encryption-off variant (≥ 0.95)'],
  ['dup p99 ms', (r) => String(r.duplicateP99Ms), 'blind-index candidate query p99 (< 5 ms at 1M cases)'],
  ['login p99 ×', (r) => String(r.loginP99Ratio), 'transition p99 with 10 logins/s ÷ alone (≤ 1.1)'],
  ['RSS MB', (r) => String(r.peakRssMb), 'server peak RSS, VmHWM (< 300 MB)'],
  [
    'audit verify',
    (r) =>
      r.auditEntries === undefined
        ? '—'
        : `${r.auditEntries}: full ${r.auditFullVerifyMs} ms, incr. ${r.auditIncrementalVerifyMs} ms (${r.auditIncrementalRatio})`,
    'audit log of N generated entries: full verification ms, incremental verification ms after 1,000 new entries (median of 3), and incremental ÷ full',
  ],
  ['seed s', (r) => String(r.seedSeconds), 'seeding time (bulk SQL + real encryption)'],
  ['non-2xx', (r) => String(r.non2xx), 'failed HTTP answers over the run (should be 0)'],
  ['machine', (r) => r.machine, 'nproc × CPU model, memory, node'],
];

/** Appends the run to bench/results.md, creating the file with its explanation first. */
export function appendResults(file: string, result: BenchResult): void {
  if (!existsSync(file)) {
    const machine = describeMachine();
    const header = [
      '# Benchmark results',
      '',
      'One row per `npm run bench` (full: 100k cases, 10 s per run, 3 interleaved pairs) or',
      '`npm run bench -- --quick` (3,000 cases, 2 s per run, 2 pairs). Absolute figures drift on a',
      'shared two-core machine; the ratios are measured in the same run and are what the targets',
      'of issue 5 are about. The full JSON of each run is the last line the bench prints.',
      '',
      `Machine when this file was created: nproc ${machine.nproc}, ${machine.cpu}, ${machine.memoryGb} GiB RAM, node ${machine.node}.`,
      'PostgreSQL: the embedded server (fsync on, default settings) sharing the cores with the API server and the load generator.',
      '',
      'Columns:',
      '',
      ...COLUMNS.map(([name, , doc]) => `- **${name}**: ${doc}`),
      '',
      `| ${COLUMNS.map(([name]) => name).join(' | ')} |`,
      `|${COLUMNS.map(() => '---').join('|')}|`,
      '',
    ].join('\n');
    writeFileSync(file, header);
  }
  const text = readFileSync(file, 'utf8');
  appendFileSync(file, `${text.endsWith('\n') ? '' : '\n'}| ${COLUMNS.map(([, get]) => get(result)).join(' | ')} |\n`);
}
