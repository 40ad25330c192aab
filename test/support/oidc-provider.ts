/**
 * A real OpenID Connect provider for the tests (the `oidc-provider` package) on a free port of
 * 127.0.0.1: one that behaves like ProConnect (email, uid, acr per sign-in) or like Pro Santé
 * Connect (RPPS in SubjectNameID, professions in SubjectRefPro, a strong acr). Its sign-in page is
 * a plain form (/interaction/:uid) where the test (or the browser journey) types an identifier;
 * what that identity asserts (acr, amr, claims) is set with `account()`.
 *
 * `tamper` rewrites the next token answer's ID token (re-signed with the provider's own key, or
 * with a stranger's): a token from another issuer or audience, a wrong nonce, a bad signature.
 *
 * Like the real ProConnect, the ProConnect-like provider answers userinfo as a JWT signed with its
 * key (the client is registered with `userinfo_signed_response_alg`; oidc-provider's jwtUserinfo);
 * `tamperUserinfo` re-signs the next one with a stranger's key, or answers it as plain JSON. Both
 * accept the `claims` request parameter: `amr` is in the ID token when the client asks for it
 * there, as at ProConnect. Like the real ProConnect, the ProConnect-like provider refuses an
 * authorization request carrying a parameter its guide does not list (« tout paramètre
 * supplémentaire dans l'URL génèrera une erreur Y000400 », proconnect-espace-partenaires,
 * docs/fournisseur-service/implementation_technique.md), PKCE's two apart (its federation's own
 * scenarios sign in with them, and refuse a `plain` method).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import Provider from 'oidc-provider';

/** The levels the test providers assert: the eIDAS ones, and ProConnect's two-factor ones. */
export const TEST_ACR_VALUES = [
  'eidas1',
  'eidas2',
  'eidas3',
  'eidas0-mfa',
  'eidas1-mfa',
  'https://proconnect.gouv.fr/assurance/self-asserted-2fa',
  'https://proconnect.gouv.fr/assurance/consistency-checked-2fa',
] as const;

export interface TestAccount {
  claims: Record<string, unknown>;
  acr: (typeof TEST_ACR_VALUES)[number];
  amr?: string[];
}

/** The authorization parameters ProConnect's guide lists, and PKCE's. */
const PROCONNECT_AUTHORIZE_PARAMETERS = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'claims',
  'state',
  'nonce',
  'prompt',
  'idp_hint',
  'login_hint',
  'code_challenge',
  'code_challenge_method',
]);

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Sets what an identifier asserts when it signs in. */
  account(subject: string, account: TestAccount): void;
  /** Rewrites the ID token of the next token answer (claims changed, or `stranger`: signed by another key). */
  tamper(change: { claims?: Record<string, unknown>; stranger?: boolean } | null): void;
  /** Rewrites the next userinfo answer: signed by a stranger's key, or plain JSON instead of a JWT. */
  tamperUserinfo(change: 'stranger' | 'json' | null): void;
  /** The content types of the userinfo answers it sent. */
  userinfoTypes: string[];
  /** The `claims` request parameters it received at its authorization endpoint. */
  claimsRequests: string[];
  /** The authorization requests it refused for a parameter ProConnect does not take (their names). */
  refusedParameters: string[];
  /** The RP-initiated logouts it received (their id_token_hint's subject). */
  logouts: string[];
  close(): Promise<void>;
}

export async function startTestProvider(options: {
  kind: 'proconnect' | 'prosanteconnect';
  redirectUri: string;
  postLogoutRedirectUri: string;
}): Promise<TestProvider> {
  const accounts = new Map<string, TestAccount>();
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(privateKey)), kid: `test-${options.kind}`, alg: 'RS256', use: 'sig' };
  const stranger = (await jose.generateKeyPair('RS256', { extractable: true })).privateKey;
  let change: { claims?: Record<string, unknown>; stranger?: boolean } | null = null;
  let userinfoChange: 'stranger' | 'json' | null = null;
  const userinfoTypes: string[] = [];
  const claimsRequests: string[] = [];
  const refusedParameters: string[] = [];
  const logouts: string[] = [];
  const signsUserinfo = options.kind === 'proconnect';
  const clientId = `cellule-${options.kind}`;
  const clientSecret = `secret-${options.kind}-0123456789abcdef`;

  // Built once the port is known (the issuer is its URL); the server's handler reads it then.
  const op: { provider?: Provider } = {};
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) return void interaction(req, res).catch((e) => fail(res, e));
    if (req.url?.startsWith('/auth?')) {
      const params = new URL(req.url, 'http://x').searchParams;
      const claims = params.get('claims');
      if (claims) claimsRequests.push(claims);
      const extra = [...params.keys()].filter((name) => !PROCONNECT_AUTHORIZE_PARAMETERS.has(name));
      if (options.kind === 'proconnect' && extra.length) {
        refusedParameters.push(...extra);
        res.statusCode = 400;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        return void res.end('Y000400 : Bad Request Exception');
      }
    }
    if (req.url?.startsWith('/session/end') && req.method === 'GET') {
      const hint = new URL(req.url, 'http://x').searchParams.get('id_token_hint');
      if (hint) logouts.push(String(jose.decodeJwt(hint).sub));
    }
    void op.provider!.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = (op.provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        ...(signsUserinfo ? { userinfo_signed_response_alg: 'RS256' } : {}),
      },
    ],
    jwks: { keys: [jwk] },
    acrValues: [...TEST_ACR_VALUES],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      uid: ['uid', 'given_name', 'usual_name'],
      scope_all: ['SubjectNameID', 'SubjectRefPro'],
      acr: null,
      amr: null,
    },
    scopes: ['openid', 'email', 'uid', 'scope_all'],
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      claimsParameter: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: autoSubmit, postLogoutSuccessSource: done },
    },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 3600, Interaction: 600, Session: 600 },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
    },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email uid scope_all');
      await grant.save();
      return grant;
    },
  }));
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && ctx.status === 200 && change && body?.id_token) {
      const claims = { ...jose.decodeJwt(body.id_token), ...(change.claims ?? {}) };
      const key = change.stranger ? stranger : privateKey;
      body.id_token = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(key);
      change = null;
    }
    if (ctx.path === '/me' && ctx.status === 200) {
      if (userinfoChange && typeof ctx.body === 'string') {
        const claims = jose.decodeJwt(ctx.body);
        if (userinfoChange === 'json') {
          ctx.body = claims;
          ctx.type = 'application/json';
        } else {
          ctx.body = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(stranger);
          ctx.type = 'application/jwt';
        }
        userinfoChange = null;
      }
      userinfoTypes.push(String(ctx.type));
    }
  });

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'login') {
      return void (await provider.interactionFinished(req, res, { consent: {} }, { mergeWithLastSubmission: true }));
    }
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return void res.end(`<!doctype html><html lang="fr"><head><title>Fournisseur d'identité de test</title></head><body>
<h1>${options.kind === 'proconnect' ? 'ProConnect (test)' : 'Pro Santé Connect (test)'}</h1>
<form method="post" action="/interaction/${details.uid}"><label>Identifiant <input name="login" autofocus></label>
<button type="submit">Se connecter</button></form></body></html>`);
    }
    const body = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => resolve(data));
    });
    const login = new URLSearchParams(body).get('login') ?? '';
    const account = accounts.get(login);
    if (!account) {
      res.statusCode = 401;
      return void res.end('unknown identifier');
    }
    await provider.interactionFinished(req, res, { login: { accountId: login, acr: account.acr, amr: account.amr } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    clientId,
    clientSecret,
    account: (subject, account) => void accounts.set(subject, account),
    tamper: (next) => void (change = next),
    tamperUserinfo: (next) => void (userinfoChange = next),
    userinfoTypes,
    claimsRequests,
    refusedParameters,
    logouts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function fail(res: http.ServerResponse, error: unknown): void {
  res.statusCode = 500;
  res.end(String((error as Error)?.message ?? error));
}

/**
 * The logout confirmation submitted at once (a test has no one to click « Oui »), answering yes:
 * `logout=yes` is what the « Oui » button would send, and without it the provider ends only
 * Cellule's part of its session and would sign the same person in again without asking.
 */
async function autoSubmit(ctx: { body: unknown }, form: string): Promise<void> {
  const yes = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  ctx.body = `<!doctype html><html><body>${yes}<script>document.forms[0].submit()</script></body></html>`;
}

async function done(ctx: { body: unknown }): Promise<void> {
  ctx.body = '<!doctype html><html><body>Déconnecté</body></html>';
}

/**
 * Drives a browser through the provider: from Cellule's login redirect to the provider, its
 * sign-in form submitted with `login`, back to Cellule's callback. Answers the callback's path and
 * query (to send to Cellule with its cookie). Cookies of the provider are kept in `jar`.
 */
export async function throughProvider(authorizationUrl: string, login: string, publicUrl: string): Promise<string> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hops = 0; hops < 12; hops++) {
    if (url.startsWith(publicUrl)) return url.slice(publicUrl.length);
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    method = 'GET';
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await res.text();
    const form = /<form method="post" action="([^"]+)"/.exec(html);
    if (res.status === 200 && form) {
      url = new URL(form[1], url).href;
      method = 'POST';
      body = new URLSearchParams({ login }).toString();
      continue;
    }
    throw new Error(`the provider answered ${res.status}: ${html.slice(0, 200)}`);
  }
  throw new Error('too many redirects through the provider');
}
