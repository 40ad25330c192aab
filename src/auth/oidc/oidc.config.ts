/**
 * The OpenID Connect providers a deployment lets its users sign in with (issue 16), one per
 * `OIDC_<NAME>_ISSUER` in the environment, with `_CLIENT_ID`, `_CLIENT_SECRET` and `_KIND`
 * (`proconnect` | `prosanteconnect` | `generic`), and `_SIGNING_ALG` (optional, `RS256` by default, or
 * `ES256`: the algorithm registered at the provider for its ID tokens and, at ProConnect, for its
 * userinfo answers, which are JWTs). `<NAME>` becomes the provider's name in the
 * routes (lower case): OIDC_PSC_ISSUER → /auth/oidc/psc/login. Read with the rest of the
 * configuration (src/config/config.ts): every problem is listed, never a secret's value.
 */
export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export const PROVIDER_KINDS = ['proconnect', 'prosanteconnect', 'generic'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface OidcProviderConfig {
  /** The name in the routes: lower case letters, digits and underscores. */
  readonly name: string;
  readonly kind: ProviderKind;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The signature algorithm registered at the provider (ID tokens; ProConnect's userinfo JWTs). */
  readonly signingAlg: SigningAlg;
  /** Plain http (test providers on localhost only; refused in production). */
  readonly insecureHttp: boolean;
}

const NAME = /^OIDC_([A-Z0-9_]{1,40}?)_ISSUER$/;

export function loadOidcProviders(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): readonly OidcProviderConfig[] {
  const providers: OidcProviderConfig[] = [];
  const issuerNames = new Set<string>();
  for (const key of Object.keys(env).sort()) {
    const match = NAME.exec(key);
    if (!match || !env[key]) continue;
    const upper = match[1];
    issuerNames.add(upper);
    const prefix = `OIDC_${upper}`;
    const issuer = env[key]!.trim();
    let url: URL | undefined;
    try {
      url = new URL(issuer);
    } catch {
      problems.push(`${prefix}_ISSUER must be a URL`);
    }
    const insecureHttp = url?.protocol === 'http:';
    if (url && url.protocol !== 'https:' && !insecureHttp) problems.push(`${prefix}_ISSUER must be an https:// URL`);
    if (insecureHttp && production) problems.push(`${prefix}_ISSUER must be an https:// URL in production`);
    const clientId = env[`${prefix}_CLIENT_ID`]?.trim() ?? '';
    const clientSecret = env[`${prefix}_CLIENT_SECRET`] ?? '';
    if (!clientId) problems.push(`${prefix}_CLIENT_ID is required with ${prefix}_ISSUER`);
    if (!clientSecret) problems.push(`${prefix}_CLIENT_SECRET is required with ${prefix}_ISSUER`);
    const kind = (env[`${prefix}_KIND`] ?? '').trim();
    if (!(PROVIDER_KINDS as readonly string[]).includes(kind)) problems.push(`${prefix}_KIND must be one of ${PROVIDER_KINDS.join(', ')}`);
    const signingAlg = (env[`${prefix}_SIGNING_ALG`] ?? '').trim() || 'RS256';
    if (!(SIGNING_ALGS as readonly string[]).includes(signingAlg)) problems.push(`${prefix}_SIGNING_ALG must be one of ${SIGNING_ALGS.join(', ')}`);
    providers.push({
      name: upper.toLowerCase(),
      kind: kind as ProviderKind,
      issuer,
      clientId,
      clientSecret,
      signingAlg: signingAlg as SigningAlg,
      insecureHttp,
    });
  }
  // A client id or secret without its issuer is a typo the operator wants to hear about.
  for (const key of Object.keys(env)) {
    const orphan = /^OIDC_([A-Z0-9_]+?)_(CLIENT_ID|CLIENT_SECRET|KIND|SIGNING_ALG)$/.exec(key);
    if (orphan && env[key] && !issuerNames.has(orphan[1])) problems.push(`${key} is set but OIDC_${orphan[1]}_ISSUER is not`);
  }
  return providers;
}
