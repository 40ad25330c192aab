import path from 'node:path';
import { passwordProblem } from '../auth/password-policy.js';
import { MAX_TOKEN_TTL_SECONDS } from '../auth/tokens.js';
import { loadOidcProviders, type OidcProviderConfig } from '../auth/oidc/oidc.config.js';
import { loadWebConfig, type WebConfig } from '../web/web.config.js';

/**
 * Configuration is read from the environment once, validated, and frozen. An invalid value stops
 * the start with every problem listed (never the value of a secret).
 */
export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Absent: the embedded PostgreSQL in `dataDir/postgres`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Port the embedded PostgreSQL tries first; another free one is taken if busy. */
  readonly embeddedPgPort: number;
  /** Path of the keyring file; absent: generated into `dataDir` (refused in production). */
  readonly keyringPath: string | undefined;
  readonly policiesDir: string;
  /** Lifetime of an access token: at most MAX_TOKEN_TTL_SECONDS (1 hour), whatever CELLULE_TOKEN_TTL_SECONDS says. */
  readonly tokenTtlSeconds: number;
  /** Failed logins of one account (or one unknown email) answered without delay; each further one doubles the wait (1 s, 2 s, 4 s…). */
  readonly loginFreeFailures: number;
  /** The longest wait between two login attempts of one account. */
  readonly loginMaxDelaySeconds: number;
  /** An account's failures are forgotten after this long without an attempt; the window of the address limit. */
  readonly loginWindowSeconds: number;
  /** Failed logins from one source address within loginWindowSeconds before 429. */
  readonly loginAddressMaxFailures: number;
  /** Password hashes waiting for the argon2id workers before a login is answered 503. */
  readonly passwordQueueMax: number;
  /** Fastify's trustProxy: false, true, a hop count, or addresses/CIDRs of the reverse proxies. */
  readonly trustProxy: boolean | number | string[];
  /** Serve /docs and /docs-json (default: everywhere but production). */
  readonly apiDocs: boolean;
  /** Secret that signs access tokens (base64, ≥ 32 bytes); absent: generated into `dataDir`. */
  readonly tokenSecret: Buffer | undefined;
  readonly bodyLimitBytes: number;
  readonly bootstrapAdmin: { email: string; password: string } | undefined;
  readonly logLevel: string;
  /** Scheduled work (follow-up reminders, retention purge); `CELLULE_JOBS=off` leaves it to other replicas or tests. */
  readonly jobs: boolean;
  /** The web workspace under /app and the browser session (src/web/web.config.ts). */
  readonly web: WebConfig;
  /** The audit signing key's own file (CELLULE_AUDIT_KEY), apart from the keyring; null: the keyring's seed. */
  readonly auditKeyFile: string | null;
  /** The erasure journal (CELLULE_ERASURE_JOURNAL), kept with the keyring; null: beside the keyring file (src/vault/erasure-journal.ts). */
  readonly erasureJournal: string | null;
  /** Prometheus metrics on their own port (never the API's); null: not served. */
  readonly metrics: { host: string; port: number } | null;
  /** Requests per minute per client address before 429 (RateLimit-* headers on every answer); null: no limit. */
  readonly rateLimitPerMinute: number | null;
  /** On SIGTERM: readiness answers 503 for this long before the server stops accepting connections (lets a load balancer notice). */
  readonly shutdownDelayMs: number;
  /** The longest wait for in-flight requests on shutdown before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
  /**
   * Notifications by email (issue 13): SMTP_URL (smtp:// or smtps://, credentials in it), the
   * sender (MAIL_FROM) and the workspace's public address the emails link to
   * (CELLULE_PUBLIC_URL). smtpUrl null: mail is off, the notifications stay in the workspace.
   * digestHour (NOTIFICATION_DIGEST_HOUR, 0–23, Europe/Paris): when the daily digests go.
   * retry: pg-boss's retries of an email's job (NOTIFICATION_RETRY_LIMIT, default 7, and
   * NOTIFICATION_RETRY_DELAY_SECONDS, default 60, doubled at each retry: src/notifications/delivery.ts).
   */
  readonly mail: {
    readonly smtpUrl: string | null;
    readonly from: string;
    readonly publicUrl: string;
    readonly digestHour: number;
    readonly retry: { readonly retryLimit: number; readonly retryDelay: number };
  };
  /** OpenID Connect providers (OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _KIND: src/auth/oidc/oidc.config.ts); empty: none. */
  readonly oidcProviders: readonly OidcProviderConfig[];
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid environment variables:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[], min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer between ${min} and ${max}`);
    return fallback;
  }
  return value;
}

/** CELLULE_TRUST_PROXY: off (default), on, a number of proxy hops, or a comma-separated list of proxy addresses or CIDRs. */
function trustProxy(raw: string | undefined, problems: string[]): AppConfig['trustProxy'] {
  if (!raw || raw === 'off') return false;
  if (raw === 'on') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length || list.some((s) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(s))) {
    problems.push('CELLULE_TRUST_PROXY must be off, on, a hop count, or a comma-separated list of addresses or CIDRs');
    return false;
  }
  return list;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    problems.push('NODE_ENV must be one of development, production, test');
  }
  const nodeEnv = (['development', 'production', 'test'].includes(nodeEnvRaw) ? nodeEnvRaw : 'development') as AppConfig['nodeEnv'];
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const dataDir = path.resolve(env.CELLULE_DATA_DIR || './var');
  const keyringPath = env.CELLULE_KEYRING ? path.resolve(env.CELLULE_KEYRING) : undefined;
  if (nodeEnv === 'production' && !keyringPath) {
    problems.push('CELLULE_KEYRING is required when NODE_ENV=production (no generated keyring in production)');
  }
  if (nodeEnv === 'production' && !databaseUrl) {
    problems.push('DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development)');
  }
  const tokenSecret = env.CELLULE_TOKEN_SECRET ? Buffer.from(env.CELLULE_TOKEN_SECRET, 'base64') : undefined;
  if (tokenSecret && tokenSecret.length < 32) problems.push('CELLULE_TOKEN_SECRET must be at least 32 bytes, base64-encoded');
  if (nodeEnv === 'production' && !tokenSecret) problems.push('CELLULE_TOKEN_SECRET is required when NODE_ENV=production (all replicas must share it)');
  if (env.CELLULE_JOBS && !['on', 'off'].includes(env.CELLULE_JOBS)) problems.push('CELLULE_JOBS must be on or off');
  if (env.CELLULE_API_DOCS && !['on', 'off'].includes(env.CELLULE_API_DOCS)) problems.push('CELLULE_API_DOCS must be on or off');
  if (env.CELLULE_METRICS_HOST && !/^[0-9A-Za-z.:-]+$/.test(env.CELLULE_METRICS_HOST)) problems.push('CELLULE_METRICS_HOST must be an address or a host name');
  if (env.CELLULE_LOGIN_MAX_FAILURES) {
    problems.push(
      'CELLULE_LOGIN_MAX_FAILURES is gone: an account is no longer locked but slowed down (CELLULE_LOGIN_FREE_FAILURES, CELLULE_LOGIN_MAX_DELAY_SECONDS, CELLULE_LOGIN_ADDRESS_MAX_FAILURES)',
    );
  }
  const adminEmail = env.BOOTSTRAP_ADMIN_EMAIL || undefined;
  const adminPassword = env.BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if ((adminEmail && !adminPassword) || (!adminEmail && adminPassword)) {
    problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  const adminPasswordProblem = adminPassword ? passwordProblem(adminPassword, { email: adminEmail, production: nodeEnv === 'production' }) : null;
  if (adminPasswordProblem) problems.push(`BOOTSTRAP_ADMIN_PASSWORD ${adminPasswordProblem}`);
  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  const publicUrl = (env.CELLULE_PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(publicUrl)) problems.push('CELLULE_PUBLIC_URL must be an http(s):// origin, without a path');
  const mailFrom = env.MAIL_FROM || 'Cellule <no-reply@localhost>';
  if (/[\r\n]/.test(mailFrom) || mailFrom.length > 200) problems.push('MAIL_FROM must be one line of at most 200 characters');
  const config: AppConfig = {
    nodeEnv,
    port: int(env, 'PORT', 3000, problems, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir,
    embeddedPgPort: int(env, 'CELLULE_EMBEDDED_PG_PORT', 54329, problems, 1024, 65535),
    keyringPath,
    policiesDir: path.resolve(env.CELLULE_POLICIES_DIR || 'policies'),
    tokenSecret,
    // Larger values are accepted (older configurations) but a token never lives more than an hour.
    tokenTtlSeconds: Math.min(int(env, 'CELLULE_TOKEN_TTL_SECONDS', 900, problems, 60, 86400), MAX_TOKEN_TTL_SECONDS),
    loginFreeFailures: int(env, 'CELLULE_LOGIN_FREE_FAILURES', 5, problems, 1, 100),
    loginMaxDelaySeconds: int(env, 'CELLULE_LOGIN_MAX_DELAY_SECONDS', 60, problems, 1, 900),
    loginWindowSeconds: int(env, 'CELLULE_LOGIN_WINDOW_SECONDS', 900, problems, 1, 86400),
    loginAddressMaxFailures: int(env, 'CELLULE_LOGIN_ADDRESS_MAX_FAILURES', 30, problems, 1, 1_000_000),
    passwordQueueMax: int(env, 'CELLULE_PASSWORD_QUEUE_MAX', 32, problems, 1, 10_000),
    trustProxy: trustProxy(env.CELLULE_TRUST_PROXY, problems),
    apiDocs: env.CELLULE_API_DOCS ? env.CELLULE_API_DOCS === 'on' : nodeEnv !== 'production',
    bodyLimitBytes: int(env, 'CELLULE_BODY_LIMIT_BYTES', 256 * 1024, problems, 1024, 16 * 1024 * 1024),
    bootstrapAdmin: adminEmail && adminPassword ? { email: adminEmail.toLowerCase(), password: adminPassword } : undefined,
    jobs: (env.CELLULE_JOBS ?? 'on') !== 'off',
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info'),
    web: loadWebConfig(env, problems),
    auditKeyFile: env.CELLULE_AUDIT_KEY ? path.resolve(env.CELLULE_AUDIT_KEY) : null,
    erasureJournal: env.CELLULE_ERASURE_JOURNAL ? path.resolve(env.CELLULE_ERASURE_JOURNAL) : null,
    // Tests (many servers in one run, one client address) neither serve metrics nor limit rates unless they ask.
    metrics:
      (env.CELLULE_METRICS_PORT ?? (nodeEnv === 'test' ? 'off' : '')) === 'off'
        ? null
        : { host: env.CELLULE_METRICS_HOST || '127.0.0.1', port: int(env, 'CELLULE_METRICS_PORT', 9464, problems, 0, 65535) },
    rateLimitPerMinute:
      (env.CELLULE_RATE_LIMIT ?? (nodeEnv === 'test' ? 'off' : '')) === 'off' ? null : int(env, 'CELLULE_RATE_LIMIT', 600, problems, 1, 100_000_000),
    shutdownDelayMs: int(env, 'CELLULE_SHUTDOWN_DELAY_SECONDS', nodeEnv === 'production' ? 5 : 0, problems, 0, 300) * 1000,
    shutdownTimeoutMs: int(env, 'CELLULE_SHUTDOWN_TIMEOUT_SECONDS', 25, problems, 1, 3600) * 1000,
    mail: {
      smtpUrl,
      from: mailFrom,
      publicUrl,
      digestHour: int(env, 'NOTIFICATION_DIGEST_HOUR', 8, problems, 0, 23),
      retry: {
        retryLimit: int(env, 'NOTIFICATION_RETRY_LIMIT', 7, problems, 0, 20),
        retryDelay: int(env, 'NOTIFICATION_RETRY_DELAY_SECONDS', 60, problems, 1, 3600),
      },
    },
    oidcProviders: loadOidcProviders(env, nodeEnv === 'production', problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
