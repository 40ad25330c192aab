import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { Clock } from '../../common/clock.js';
import { AppError } from '../../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { Vault } from '../../vault/vault.js';
import { ThroughAccountDoor } from '../../users/account-door.js';
import { findLoginRowById } from '../../users/users.repository.js';
import { acrAccepted, provenProfession, requestedAcr, requestedClaims, scopesOf, strongAssurance } from './assurance.js';
import type { OidcProviderConfig } from './oidc.config.js';
import {
  findEmailInvitation,
  findLinkedUser,
  findOidcOutcome,
  findOpenInvitation,
  insertOidcLogin,
  linkIdentity,
  recordProvenProfession,
  setOidcOutcome,
  takeOidcLogin,
  useInvitation,
  type OidcOutcomeRow,
} from './oidc.repository.js';

/** The cookie that binds a sign-in under way at a provider to this browser (Lax: the provider's redirect back is a cross-site navigation). */
export const OIDC_COOKIE = '__Host-cellule-oidc';
/** How long a sign-in at a provider may take, from the button to the callback (and then to the second factor). */
const LOGIN_TTL_SECONDS = 600;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashOf = (secret: string) => createHash('sha256').update(secret).digest();

/** What a callback came to. */
export type CallbackOutcome =
  /** Linked, assured enough (or no second factor needed): the session opens now. */
  | { kind: 'signed_in'; userId: string; provider: string; strong: boolean; idToken: string }
  /** Linked, the local second factor still to pass (then POST /auth/oidc/continue). */
  | { kind: 'second_factor'; userId: string }
  /** The provider's verified email is the one of an account an admin prepared for this: the user confirms the link. */
  | { kind: 'confirm_email' }
  /** No account is linked to this identity: « Demandez à votre coordinateur ». */
  | { kind: 'no_account' };

/** Why a callback was refused (the access log's purpose; the user is told only that the sign-in failed). */
export class OidcRefused extends Error {
  constructor(readonly reason: string) {
    super(`OpenID Connect sign-in refused: ${reason}`);
  }
}

/**
 * Sign-in with OpenID Connect providers (issue 16): authorization code with PKCE, state and
 * nonce (openid-client). The state, nonce and PKCE verifier stay in the database (oidc_logins),
 * bound to the browser by a short-lived cookie whose secret only its SHA-256 is stored, and are
 * used once. openid-client checks the ID token's signature (the provider's JWKS), issuer,
 * audience, nonce, expiry (at the domain's clock) and the state; any failure is an OidcRefused,
 * audited by the caller, never detailed to the browser.
 *
 * An identity opens the account linked to its subject (oidc_identities), never one found by
 * email: a link is made by a one-time invitation (the user followed the admin's link before
 * signing in), or by an email match an admin prepared, confirmed by the user. No account is
 * created here.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('oidc');
  private readonly discovered = new Map<string, Promise<oidc.Configuration>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly vault: Vault,
  ) {}

  /** The configured providers, for the sign-in page's buttons. */
  list(): { name: string; kind: OidcProviderConfig['kind'] }[] {
    return this.config.oidcProviders.map((p) => ({ name: p.name, kind: p.kind }));
  }

  provider(name: string): OidcProviderConfig {
    const provider = this.config.oidcProviders.find((p) => p.name === name);
    if (!provider) throw new AppError('not_found', `No provider named ${JSON.stringify(name.slice(0, 40))} is configured`);
    return provider;
  }

  redirectUri(provider: OidcProviderConfig): string {
    return `${this.config.mail.publicUrl}/auth/oidc/${provider.name}/callback`;
  }

  /**
   * The provider's client configuration: its metadata discovered at the first use (a failure is
   * retried at the next), the client built afresh on each call so that the ID token's times are
   * judged at the domain's clock (openid-client's clockSkew; tests move the clock).
   */
  private async configuration(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    let found = this.discovered.get(provider.name);
    if (!found) {
      found = oidc.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, oidc.ClientSecretPost(provider.clientSecret), {
        execute: provider.insecureHttp ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      });
      this.discovered.set(provider.name, found);
      found.catch(() => this.discovered.delete(provider.name));
    }
    let discovered: oidc.Configuration;
    try {
      discovered = await found;
    } catch (error) {
      this.logger.warn(`Discovery of the provider ${provider.name} failed: ${(error as Error).name}`);
      throw new AppError('unavailable', `The provider ${provider.name} cannot be reached (its discovery document failed): try again later`);
    }
    const configuration = new oidc.Configuration(
      discovered.serverMetadata(),
      provider.clientId,
      {
        client_secret: provider.clientSecret,
        [oidc.clockSkew]: Math.round((this.clock.now().getTime() - Date.now()) / 1000),
        id_token_signed_response_alg: provider.signingAlg,
        // ProConnect answers userinfo as a JWT signed with the registered algorithm (its guide for
        // service providers, « Récupération des user info »): a plain JSON answer, another
        // algorithm or a signature its JWKS does not verify is refused. Other providers may
        // answer either; a JWT is verified the same way.
        ...(provider.kind === 'proconnect' ? { userinfo_signed_response_alg: provider.signingAlg } : {}),
      },
      oidc.ClientSecretPost(provider.clientSecret),
    );
    if (provider.insecureHttp) oidc.allowInsecureRequests(configuration);
    // The ID token's signature, and a JWT userinfo's, are checked against the provider's JWKS
    // (openid-client skips it by default for an answer received over TLS; the issue asks for it).
    oidc.enableNonRepudiationChecks(configuration);
    return configuration;
  }

  /**
   * Starts a sign-in: the provider's authorization URL, and the secret of the cookie that binds
   * it to this browser. `invitation`: the one-time link an admin gave (checked now and at the callback).
   */
  async start(name: string, invitation: string | undefined): Promise<{ url: string; secret: string }> {
    const provider = this.provider(name);
    let invitationId: string | null = null;
    if (invitation !== undefined) {
      const found = SECRET_PATTERN.test(invitation) ? await findOpenInvitation(this.dataSource, hashOf(invitation)) : undefined;
      if (!found) throw new AppError('unauthenticated', 'This invitation is over (used, expired or unknown): ask your coordinator for a new one');
      invitationId = found.id;
    }
    const configuration = await this.configuration(provider);
    const secret = randomBytes(32).toString('base64url');
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    await insertOidcLogin(this.dataSource, {
      secretHash: hashOf(secret),
      provider: provider.name,
      state,
      nonce,
      codeVerifier,
      invitationId,
      ttlSeconds: LOGIN_TTL_SECONDS,
    });
    const acr = requestedAcr(provider.kind);
    const claimsAsked = requestedClaims(provider.kind);
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(provider),
      scope: scopesOf(provider.kind),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(acr ? { acr_values: acr } : {}),
      ...(claimsAsked ? { claims: claimsAsked } : {}),
    });
    return { url: url.href, secret };
  }

  /** The provider's answer: every check, then the account linked to the subject (or linked now by the invitation). */
  // The account of the subject (or of the invitation, or of the email match) is read before any scope: the account door.
  @ThroughAccountDoor('sign-in')
  async callback(name: string, query: Record<string, string | undefined>, secret: string | undefined): Promise<CallbackOutcome> {
    const provider = this.provider(name);
    if (!secret || !SECRET_PATTERN.test(secret)) throw new OidcRefused('no_sign_in_cookie');
    const login = await takeOidcLogin(this.dataSource, hashOf(secret), provider.name);
    if (!login) throw new OidcRefused('sign_in_over');
    if (query.error)
      throw new OidcRefused(
        `provider_error:${String(query.error)
          .replace(/[^a-z_]/g, '')
          .slice(0, 40)}`,
      );
    const configuration = await this.configuration(provider);
    const currentUrl = new URL(this.redirectUri(provider));
    for (const [key, value] of Object.entries(query)) if (value !== undefined) currentUrl.searchParams.set(key, value);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcRefused(reasonOf(error));
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new OidcRefused('no_id_token');
    const subject = claims.sub;
    if (!acrAccepted(provider.kind, claims.acr)) throw new OidcRefused('acr_below_eidas1');
    let userinfo: Record<string, unknown> = {};
    if (provider.kind !== 'generic' || !claims.email) {
      try {
        userinfo = (await oidc.fetchUserInfo(configuration, tokens.access_token, subject)) as Record<string, unknown>;
      } catch (error) {
        throw new OidcRefused(`userinfo:${reasonOf(error)}`);
      }
    }
    const strong = strongAssurance(provider.kind, { acr: claims.acr, amr: claims.amr });

    let userId = await findLinkedUser(this.dataSource, provider.name, subject);
    if (!userId && login.invitationId) {
      userId = await this.dataSource.transaction(async (m) => {
        const invited = await useInvitation(m, login.invitationId!);
        if (!invited) throw new OidcRefused('invitation_over');
        if (!(await linkIdentity(m, { provider: provider.name, subject, userId: invited, by: 'invitation' }))) throw new OidcRefused('already_linked');
        await this.audit.record(
          { actorId: invited, organisationId: null, action: 'auth.oidc.link', decision: 'allow', purpose: 'invitation', detail: { provider: provider.name } },
          m,
        );
        return invited;
      });
    }
    if (!userId) {
      const email = typeof userinfo.email === 'string' ? userinfo.email : typeof claims.email === 'string' ? claims.email : undefined;
      const verified = userinfo.email_verified ?? claims.email_verified;
      // ProConnect's emails are verified by the identity providers it federates; others say so.
      const trusted = provider.kind === 'proconnect' || verified === true;
      const match = email && trusted ? await findEmailInvitation(this.dataSource, email.trim().toLowerCase()) : undefined;
      if (match) {
        const sealed = this.vault.sealIdToken(hashOf(secret).toString('hex'), tokens.id_token);
        await setOidcOutcome(this.dataSource, hashOf(secret), {
          kind: 'confirm_email',
          userId: match.userId,
          subject,
          ttlSeconds: LOGIN_TTL_SECONDS,
          kekId: sealed.kekId,
          idToken: sealed.sealed,
        });
        return { kind: 'confirm_email' };
      }
      await this.audit.record({
        actorId: null,
        organisationId: null,
        action: 'auth.oidc.login',
        decision: 'deny',
        purpose: 'no_linked_account',
        detail: { provider: provider.name },
      });
      return { kind: 'no_account' };
    }
    const user = await findLoginRowById(this.dataSource, userId);
    if (!user || user.disabled_at) throw new OidcRefused('account_disabled');
    if (provider.kind === 'prosanteconnect') await this.recordProfession(userId, userinfo);
    return { kind: 'signed_in', userId, provider: provider.name, strong, idToken: tokens.id_token };
  }

  /** A Pro Santé Connect sign-in proves the RPPS and the profession: recorded, the proven profession replacing the declared one. */
  private async recordProfession(userId: string, userinfo: Record<string, unknown>): Promise<void> {
    const proven = provenProfession(userinfo);
    if (!proven) return;
    await this.dataSource.transaction(async (m) => {
      const { changed } = await recordProvenProfession(m, userId, proven.rpps, proven.profession);
      if (changed) {
        await this.audit.record(
          {
            actorId: userId,
            organisationId: null,
            action: 'user.profession.proven',
            decision: 'allow',
            purpose: 'prosanteconnect',
            detail: { profession: proven.profession },
          },
          m,
        );
      }
    });
  }

  /** Keeps a callback's outcome for the next step of this browser (the second factor), with its ID token sealed. */
  async awaitSecondFactor(secret: string, outcome: Extract<CallbackOutcome, { kind: 'signed_in' }>, subject = ''): Promise<void> {
    const sealed = this.vault.sealIdToken(hashOf(secret).toString('hex'), outcome.idToken);
    await setOidcOutcome(this.dataSource, hashOf(secret), {
      kind: 'second_factor',
      userId: outcome.userId,
      subject,
      ttlSeconds: LOGIN_TTL_SECONDS,
      kekId: sealed.kekId,
      idToken: sealed.sealed,
    });
  }

  /** The pending outcome of this browser's sign-in (`take`: used up), its ID token opened. */
  async pending(secret: string | undefined, take: boolean): Promise<(OidcOutcomeRow & { openIdToken: string | undefined }) | undefined> {
    if (!secret || !SECRET_PATTERN.test(secret)) return undefined;
    const row = await findOidcOutcome(this.dataSource, hashOf(secret), take);
    if (!row) return undefined;
    return { ...row, openIdToken: row.idToken ? this.vault.openIdToken(hashOf(secret).toString('hex'), row.kekId, row.idToken) : undefined };
  }

  /** The user confirmed that the account the email matched is theirs: the subject is linked to it. */
  @ThroughAccountDoor('sign-in')
  async confirmEmailLink(secret: string | undefined): Promise<Extract<CallbackOutcome, { kind: 'signed_in' }>> {
    const row = await this.pending(secret, true);
    if (!row || row.outcome !== 'confirm_email' || !row.openIdToken)
      throw new AppError('unauthenticated', 'This sign-in is over: sign in with your provider again');
    const userId = row.userId;
    await this.dataSource.transaction(async (m) => {
      const invitation = await findEmailInvitation(m, (await findLoginRowById(m, userId))?.email ?? '');
      if (!invitation || invitation.userId !== userId || !(await useInvitation(m, invitation.id))) {
        throw new AppError('unauthenticated', 'This invitation is over: ask your coordinator for a new one');
      }
      if (!(await linkIdentity(m, { provider: row.provider, subject: row.subject, userId, by: 'email' }))) {
        throw new AppError('conflict', 'This identity or this account is linked already: ask your coordinator');
      }
      await this.audit.record(
        { actorId: userId, organisationId: null, action: 'auth.oidc.link', decision: 'allow', purpose: 'email', detail: { provider: row.provider } },
        m,
      );
    });
    const provider = this.provider(row.provider);
    const claims = decodeClaims(row.openIdToken);
    return { kind: 'signed_in', userId, provider: provider.name, strong: strongAssurance(provider.kind, claims), idToken: row.openIdToken };
  }

  /** Where the browser goes to sign out of the provider too (RP-initiated logout), or undefined. */
  async endSessionUrl(providerName: string, idToken: string | undefined): Promise<string | undefined> {
    const provider = this.config.oidcProviders.find((p) => p.name === providerName);
    if (!provider) return undefined;
    try {
      const configuration = await this.configuration(provider);
      if (!configuration.serverMetadata().end_session_endpoint) return undefined;
      return oidc.buildEndSessionUrl(configuration, {
        ...(idToken ? { id_token_hint: idToken } : {}),
        post_logout_redirect_uri: `${this.config.mail.publicUrl}/app/connexion?deconnexion=1`,
        state: oidc.randomState(),
      }).href;
    } catch {
      return undefined;
    }
  }
}

/** The claims of an ID token this server already validated (kept sealed since). */
function decodeClaims(idToken: string): { acr?: unknown; amr?: unknown } {
  try {
    return JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { acr?: unknown; amr?: unknown };
  } catch {
    return {};
  }
}

/**
 * A refusal's reason for the access log: openid-client's error code and what failed — the claim
 * compared (`iss`, `aud`, `nonce`, `exp`…), the state, the signature — never a value of the token.
 */
function reasonOf(error: unknown): string {
  const e = error as { code?: unknown; error?: unknown; cause?: { message?: unknown; cause?: { claim?: unknown } } };
  if (typeof e?.error === 'string') return `provider:${e.error.replace(/[^a-z_]/g, '').slice(0, 40)}`;
  const code = typeof e?.code === 'string' ? e.code.toLowerCase().slice(0, 60) : 'invalid_response';
  const inner = e?.cause;
  const claim = typeof inner?.cause?.claim === 'string' ? inner.cause.claim.replace(/[^a-z_]/g, '').slice(0, 20) : undefined;
  if (claim) return `${code}:${claim}`;
  const message = typeof inner?.message === 'string' ? inner.message : '';
  if (message.includes('"state"')) return `${code}:state`;
  if (/signature/i.test(message)) return `${code}:signature`;
  return code;
}
