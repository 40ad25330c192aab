import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * docker-compose.yml, checked statically (no Docker engine runs here): what `docker compose config`
 * would refuse, and what a security officer would look for — one published entry point (the TLS
 * proxy), the API as the unprivileged application role on Node 24, non-root, read-only, a one-shot
 * migration as the owner.
 */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  ports?: unknown[];
  expose?: unknown[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  networks?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

const KNOWN_SERVICE_KEYS = new Set([
  'image',
  'build',
  'command',
  'ports',
  'expose',
  'environment',
  'volumes',
  'user',
  'read_only',
  'cap_drop',
  'security_opt',
  'tmpfs',
  'restart',
  'depends_on',
  'networks',
  'healthcheck',
  'stop_grace_period',
]);

const text = readFileSync('docker-compose.yml', 'utf8');
const compose = parse(text, { merge: true }) as Compose;
const { services } = compose;
const dockerfile = readFileSync('Dockerfile', 'utf8');

/** The value of `${NAME:-default}` / `${NAME:?message}` / `${NAME}` references, as compose interpolates them. */
function references(value: string): string[] {
  return [...value.matchAll(/\$\{([A-Z0-9_]+)(?::[-?][^}]*)?\}/g)].map((m) => m[1]);
}

describe('docker-compose.yml', () => {
  it('is a valid compose document: known keys, declared volumes and networks, dependencies that exist', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'db', 'migrate', 'proxy']);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, unknown: Object.keys(service).filter((k) => !KNOWN_SERVICE_KEYS.has(k)) }).toEqual({ name, unknown: [] });
      expect({ name, runnable: Boolean(service.image || service.build) }).toEqual({ name, runnable: true });
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
      for (const network of service.networks ?? []) expect(Object.keys(compose.networks ?? {})).toContain(network);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('.') && !source.startsWith('/')) expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
    }
    // Every ${VAR} is well-formed (compose refuses `${VAR:}` and friends).
    expect(text.match(/\$\{[^}]*\}/g)?.every((ref) => /^\$\{[A-Z0-9_]+(:[-?][^}]*)?\}$/.test(ref))).toBe(true);
  });

  it('publishes ports only through the TLS proxy', () => {
    const publishing = Object.entries(services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name);
    expect(publishing).toEqual(['proxy']);
    expect(services.proxy.image).toMatch(/^caddy:2/);
    const caddyfile = readFileSync('deploy/caddy/Caddyfile', 'utf8');
    expect(caddyfile).toMatch(/tls \{\$CELLULE_TLS:internal\}/);
    expect(caddyfile).toMatch(/reverse_proxy api:3000/);
    // The metrics port is never proxied, and the proxy hides the internal paths.
    expect(caddyfile).not.toMatch(/9464/);
    expect(caddyfile).toMatch(/@internal path \/metrics/);
    expect(services.proxy.volumes).toContain('./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  it('runs the API as the application role, non-root, read-only, hardened, on the Node 24 image', () => {
    const api = services.api;
    const url = new URL(String(api.environment?.DATABASE_URL).replace(/\$\{[^}]+\}/g, 'x'));
    expect(url.username).toBe('cellule_api');
    expect(api.environment?.NODE_ENV).toBe('production');
    expect(api.user).toBe('1000:1000');
    expect(api.read_only).toBe(true);
    expect(api.cap_drop).toEqual(['ALL']);
    expect(api.security_opt).toContain('no-new-privileges:true');
    expect(api.ports).toBeUndefined();
    // The secrets are mounted read-only; the one writable mount is the erasure journal (below).
    const writable = (api.volumes ?? []).filter((v) => !v.endsWith(':ro'));
    expect(writable).toEqual(['./secrets/journal:/run/cellule-journal:rw']);
    // The audit signing key is a file of its own, beside (not inside) the keyring.
    expect(api.environment?.CELLULE_AUDIT_KEY).toBe('/run/secrets/cellule/audit-signing.key');
    // The erasure journal beside the keyring on the host, the API's only writable mount.
    expect(api.environment?.CELLULE_ERASURE_JOURNAL).toBe('/run/cellule-journal/erasure-journal.jsonl');
    expect(api.volumes).toContain('./secrets/journal:/run/cellule-journal:rw');
    expect(api.volumes).toContain('./secrets/audit-signing.key:/run/secrets/cellule/audit-signing.key:ro');
    expect(api.image).toBe(services.migrate.image);
    // The image is built from the Dockerfile, whose every stage is Node 24 and whose user is not root.
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^node:24(-|$)/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(api.healthcheck?.test.join(' ')).toMatch(/\/health\/ready/);
  });

  it('migrates once, as the owner, before the API starts', () => {
    const migrate = services.migrate;
    expect(migrate.restart).toBe('no');
    expect(migrate.command).toEqual(['node', 'dist/src/cli/migrate.js']);
    expect(new URL(String(migrate.environment?.DATABASE_URL).replace(/\$\{[^}]+\}/g, 'x')).username).toBe('cellule_owner');
    expect(migrate.read_only).toBe(true);
    expect(services.api.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(migrate.depends_on?.db).toEqual({ condition: 'service_healthy' });
    // The database's purge function trusts the audit key it registers, from its public half only.
    expect(String(migrate.environment?.CELLULE_AUDIT_PUBLIC_KEYS)).toMatch(/^\$\{CELLULE_AUDIT_PUBLIC_KEYS:\?/);
    expect(migrate.volumes ?? []).toEqual([]);
  });

  it('creates the three roles on the database first start, the superuser used for nothing else', () => {
    const init = readFileSync('deploy/postgres/init-roles.sh', 'utf8');
    expect(services.db.volumes).toContain('./deploy/postgres/init-roles.sh:/docker-entrypoint-initdb.d/10-cellule-roles.sh:ro');
    for (const role of ['cellule_owner', 'cellule_app', 'cellule_api', 'cellule_auditor']) expect(init).toMatch(new RegExp(`CREATE ROLE ${role} `));
    expect(init).toMatch(/CREATE ROLE cellule_api LOGIN [^;]*NOBYPASSRLS[^;]*IN ROLE cellule_app;/);
    expect(init).toMatch(/CREATE DATABASE cellule OWNER cellule_owner;/);
    // No service but db knows the superuser's password.
    for (const [name, service] of Object.entries(services)) {
      if (name === 'db') continue;
      expect({ name, env: JSON.stringify(service.environment ?? {}) }).not.toEqual({ name, env: expect.stringContaining('POSTGRES_PASSWORD') });
    }
    // Every variable a service needs is either defaulted or required with a message.
    const required = references(text);
    expect(required).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'CELLULE_API_PASSWORD', 'CELLULE_OWNER_PASSWORD', 'CELLULE_TOKEN_SECRET']));
  });

  it('runs the job queue in the API replicas as the application role, its schema made by the migration, and lets their jobs finish on stop', () => {
    const api = services.api;
    // Every replica takes part in the scheduled work (pg-boss runs each round once among them).
    expect(api.environment?.CELLULE_JOBS ?? 'on').toBe('on');
    // The queue's tables come from the migrate service (as cellule_owner, who owns the database
    // and so may create the schema pgboss): the API's role never creates one.
    const init = readFileSync('deploy/postgres/init-roles.sh', 'utf8');
    expect(init).toMatch(/CREATE DATABASE cellule OWNER cellule_owner;/);
    expect(readFileSync('migrations/index.ts', 'utf8')).toMatch(/JobQueue1796500000001/);
    // SIGTERM: requests and jobs in flight get the shutdown timeout (together), then the queue
    // lets its workers go (about a second): the grace period before SIGKILL covers both.
    const grace = Number(/^(\d+)s$/.exec(String(api.stop_grace_period))?.[1]);
    const timeout = Number(api.environment?.CELLULE_SHUTDOWN_TIMEOUT_SECONDS ?? 25);
    expect(grace).toBeGreaterThanOrEqual(timeout + 2);
  });
});
