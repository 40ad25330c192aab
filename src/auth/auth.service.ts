import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { AppError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import {
  acceptTotpStep,
  clearSecondFactorNotice,
  countAdmins,
  findLoginRow,
  findLoginRowById,
  insertBootstrapAdmin,
  setPassword,
  type LoginRow,
} from '../users/users.repository.js';
import { ThroughAccountDoor } from '../users/account-door.js';
import { VaultService } from '../vault/vault.service.js';
import {
  consumeChallenge,
  countChallengeFailure,
  findOpenChallenge,
  insertChallenge,
  type ChallengeStep,
  type OpenChallenge,
} from './challenges.repository.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher, PasswordQueueFull } from './password-hasher.js';
import { DEMO_PASSWORD, passwordProblem } from './password-policy.js';
import { TokenSigner } from './tokens.js';
import { newTotpSecret, otpauthUrl, totpStep } from './totp.js';

/** Something the user must be told at this login (content-free). */
export interface LoginNotice {
  kind: 'second_factor_removed';
  at: string;
}

export interface TokenAnswer {
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  notices?: LoginNotice[];
}

/** What a login step answers: a token, or the next step (API.md, "Start-up and accounts"). */
export type LoginAnswer =
  | TokenAnswer
  | { passwordChange: 'required'; challengeToken: string; notices?: LoginNotice[] }
  | { mfa: 'enroll'; challengeToken: string; secret: string; otpauthUrl: string; notices?: LoginNotice[] }
  | { mfa: 'required'; challengeToken: string; notices?: LoginNotice[] };

/** Where a login step comes from: the request id of the access log, the source address of the limits. */
export interface LoginSource {
  requestId?: string;
  ip: string;
}

/** Wrong codes that end a challenge: the next try starts from the password again. */
export const MAX_CHALLENGE_FAILURES = 5;
const CHALLENGE_TTL_SECONDS = 300;

const hashOf = (token: string) => createHash('sha256').update(token).digest();
const UNAUTHENTICATED = 'Wrong email or password';

/**
 * Logins, step by step: the password (its failures slowed per account and per address), then a
 * temporary password replaced, then the second factor (enrolled the first time) — a token only
 * at the end. Every step is in the access log, failures aggregated (LoginThrottle.audited).
 */
@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger('auth');
  /** Verified when the email is unknown, so both failures cost the same time (computed at start). */
  private dummyHash: string | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenSigner,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    private readonly vault: VaultService,
    private readonly access: AccessService,
  ) {}

  private get production(): boolean {
    return this.config.nodeEnv === 'production';
  }

  /** The dummy hash is made before the first login, outside the bounded queue's traffic. */
  async onModuleInit(): Promise<void> {
    this.dummyHash ??= await this.hasher.hash(randomBytes(16).toString('hex'));
  }

  /**
   * The password step. Unknown email, wrong password, disabled account: the same 401, after the
   * same statements and the same argon2id work (a dummy hash for an unknown email).
   */
  @ThroughAccountDoor('sign-in')
  async login(email: string, password: string, source: LoginSource): Promise<LoginAnswer> {
    const normalised = email.trim().toLowerCase();
    await this.refuseBusyAddress(source);
    this.refuseFullQueue();
    const user = await findLoginRow(this.dataSource, normalised);
    const claim = await this.throttle.claim(normalised);
    if (!claim.allowed) throw this.slowDown(claim.waitSeconds);
    this.dummyHash ??= await this.hasher.hash(randomBytes(16).toString('hex'));
    const ok = await this.verify(user ? user.password_hash : this.dummyHash, password);
    // The published demonstration password never opens anything in production.
    const demo = this.production && password === DEMO_PASSWORD;
    if (!user || !ok || demo || user.disabled_at) {
      const purpose = !user ? 'unknown_account' : !ok ? 'wrong_password' : demo ? 'demo_password' : 'account_disabled';
      await this.failed(user, 'auth.login', purpose, claim.attempts, source);
      throw new AppError('unauthenticated', UNAUTHENTICATED);
    }
    return this.next(user, source);
  }

  /** POST /auth/password: the temporary password replaced, then what a login answers next. */
  @ThroughAccountDoor('sign-in')
  async replaceTemporaryPassword(challengeToken: string, newPassword: string, source: LoginSource): Promise<LoginAnswer> {
    const challenge = await this.openChallenge(challengeToken, 'password');
    const user = await this.account(challenge.userId);
    const problem = passwordProblem(newPassword, { email: user.email, displayName: user.display_name, production: this.production });
    if (problem) throw AppError.validation('newPassword', problem);
    this.refuseFullQueue();
    if (await this.verify(user.password_hash, newPassword)) throw AppError.validation('newPassword', 'must differ from the temporary password');
    const hash = await this.hashPassword(newPassword);
    await this.dataSource.transaction(async (m) => {
      if (!(await consumeChallenge(m, challenge.id))) throw this.challengeOver();
      await setPassword(m, user.id, hash, false);
      await this.audit.record(
        { ...this.actor(user), action: 'auth.password.change', decision: 'allow', purpose: 'temporary_password', requestId: source.requestId },
        m,
      );
    });
    return this.next(await this.account(user.id), source);
  }

  /** POST /auth/mfa: the second factor; the first accepted code of an enrolment confirms it. */
  @ThroughAccountDoor('sign-in')
  async secondFactor(challengeToken: string, code: string, source: LoginSource): Promise<TokenAnswer> {
    await this.refuseBusyAddress(source);
    const challenge = await this.openChallenge(challengeToken, 'mfa');
    const user = await this.account(challenge.userId);
    const claim = await this.throttle.claim(user.email);
    if (!claim.allowed) throw this.slowDown(claim.waitSeconds);
    const enrolled = await this.vault.readAccountSecret(this.dataSource, user.id, 'totp');
    const secret = enrolled ?? (await this.vault.readAccountSecret(this.dataSource, user.id, 'totp_pending'));
    if (!secret) throw this.challengeOver();
    const step = totpStep(secret, code, user.totp_last_step === null ? null : Number(user.totp_last_step));
    const accepted =
      step !== null &&
      (await this.dataSource.transaction(async (m) => {
        // The step is taken atomically: of two requests with the same code, one wins.
        if (!(await acceptTotpStep(m, user.id, step, challenge.generation))) return false;
        if (!(await consumeChallenge(m, challenge.id))) throw this.challengeOver();
        if (!enrolled) {
          await this.vault.storeAccountSecret(m, user.id, 'totp', secret);
          await this.vault.deleteAccountSecrets(m, user.id, ['totp_pending']);
          await this.audit.record({ ...this.actor(user), action: 'auth.mfa.enroll', decision: 'allow', purpose: 'totp', requestId: source.requestId }, m);
        }
        return true;
      }));
    if (!accepted) {
      const failures = await countChallengeFailure(this.dataSource, challenge.id);
      await this.failed(user, 'auth.mfa', 'wrong_code', claim.attempts, source);
      throw new AppError('unauthenticated', failures >= MAX_CHALLENGE_FAILURES ? 'Too many wrong codes: log in again' : 'Wrong or already used code');
    }
    return this.issue(await this.account(user.id), source, 'totp');
  }

  /** POST /me/password: the current password, then the new one; every token of the account ends. */
  @ThroughAccountDoor('own-password')
  async changeOwnPassword(userId: string, currentPassword: string, newPassword: string, source: LoginSource): Promise<void> {
    const user = await this.account(userId);
    const problem = passwordProblem(newPassword, { email: user.email, displayName: user.display_name, production: this.production });
    if (problem) throw AppError.validation('newPassword', problem);
    if (currentPassword === newPassword) throw AppError.validation('newPassword', 'must differ from the current password');
    this.refuseFullQueue();
    // Guessing the current password with a stolen token is slowed like a login.
    const claim = await this.throttle.claim(user.email);
    if (!claim.allowed) throw this.slowDown(claim.waitSeconds);
    if (!(await this.verify(user.password_hash, currentPassword))) {
      await this.failed(user, 'auth.password.change', 'wrong_password', claim.attempts, source);
      throw AppError.validation('currentPassword', 'is not the current password');
    }
    await this.throttle.forget(user.email);
    const hash = await this.hashPassword(newPassword);
    await this.dataSource.transaction(async (m) => {
      await setPassword(m, user.id, hash, false);
      await this.audit.record({ ...this.actor(user), action: 'auth.password.change', decision: 'allow', purpose: 'own', requestId: source.requestId }, m);
    });
  }

  /** After the password (or its replacement): the next step, or the token. */
  private async next(user: LoginRow, source: LoginSource): Promise<LoginAnswer> {
    const notices = this.notices(user);
    if (user.password_temporary) {
      await this.throttle.passed(user.email);
      return { passwordChange: 'required', challengeToken: await this.challenge(user, 'password'), ...notices };
    }
    if (!this.access.secondFactorRequired(user.roles)) return this.issue(user, source, null);
    await this.throttle.passed(user.email);
    const challengeToken = await this.challenge(user, 'mfa');
    if (await this.vault.hasAccountSecret(this.dataSource, user.id, 'totp')) return { mfa: 'required', challengeToken, ...notices };
    // First time: a new secret, shown once, enrolled when its first code is accepted.
    const secret = newTotpSecret();
    await this.vault.storeAccountSecret(this.dataSource, user.id, 'totp_pending', secret);
    return { mfa: 'enroll', challengeToken, secret, otpauthUrl: otpauthUrl(secret, user.email), ...notices };
  }

  private async issue(user: LoginRow, source: LoginSource, secondFactor: 'totp' | null): Promise<TokenAnswer> {
    const notices = this.notices(user);
    await this.throttle.forget(user.email);
    await this.dataSource.transaction(async (m) => {
      await clearSecondFactorNotice(m, user.id);
      await this.audit.record({ ...this.actor(user), action: 'auth.login', decision: 'allow', purpose: secondFactor, requestId: source.requestId }, m);
    });
    const ttl = this.config.tokenTtlSeconds;
    return { accessToken: this.tokens.sign(user.id, user.token_generation, ttl), expiresIn: ttl, tokenType: 'Bearer', ...notices };
  }

  private notices(user: LoginRow): { notices?: LoginNotice[] } {
    return user.second_factor_removed_at ? { notices: [{ kind: 'second_factor_removed', at: user.second_factor_removed_at.toISOString() }] } : {};
  }

  private async challenge(user: LoginRow, step: ChallengeStep): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await insertChallenge(this.dataSource, {
      tokenHash: hashOf(token),
      userId: user.id,
      step,
      generation: user.token_generation,
      ttlSeconds: CHALLENGE_TTL_SECONDS,
    });
    return token;
  }

  private async openChallenge(token: string, step: ChallengeStep): Promise<OpenChallenge & { generation: number }> {
    const challenge = await findOpenChallenge(this.dataSource, hashOf(token), step, MAX_CHALLENGE_FAILURES);
    if (!challenge) throw this.challengeOver();
    const user = await this.account(challenge.userId);
    return { ...challenge, generation: user.token_generation };
  }

  private async account(id: string): Promise<LoginRow> {
    const user = await findLoginRowById(this.dataSource, id);
    if (!user) throw this.challengeOver();
    return user;
  }

  private challengeOver(): AppError {
    return new AppError('unauthenticated', 'This login step is over (used, expired, or too many wrong codes): log in again');
  }

  private actor(user: LoginRow): Pick<AuditEntry, 'actorId' | 'organisationId' | 'territoryId'> {
    return { actorId: user.id, organisationId: user.organisation_id, territoryId: user.territory_id };
  }

  /**
   * A failed step: counted for the source address, and written to the access log for the first
   * failures of the streak, then at each doubling (LoginThrottle.audited), with the count.
   */
  private async failed(user: LoginRow | undefined, action: string, purpose: string, attempts: number, source: LoginSource): Promise<void> {
    const limitReached = await this.throttle.addressFailed(source.ip);
    const entries: AuditEntry[] = [];
    if (this.throttle.audited(attempts)) {
      entries.push({
        actorId: user?.id ?? null,
        organisationId: user?.organisation_id ?? null,
        territoryId: user?.territory_id ?? null,
        action,
        decision: 'deny',
        purpose,
        requestId: source.requestId,
        detail: { failures: attempts },
      });
    }
    if (limitReached) {
      entries.push({
        actorId: null,
        organisationId: null,
        action: 'auth.address_limited',
        decision: 'deny',
        purpose: 'too_many_failures',
        requestId: source.requestId,
        detail: { failures: this.config.loginAddressMaxFailures, windowSeconds: this.config.loginWindowSeconds },
      });
    }
    await this.audit.recordMany(entries);
  }

  private async refuseBusyAddress(source: LoginSource): Promise<void> {
    const wait = await this.throttle.addressWait(source.ip);
    if (wait > 0) throw AppError.retryLater('rate_limited', 'Too many failed logins from this address: try again later', wait);
  }

  private slowDown(waitSeconds: number): AppError {
    return AppError.retryLater('rate_limited', 'Too many failed attempts for this account: try again shortly', waitSeconds);
  }

  /** The argon2id queue is bounded: 503 with Retry-After rather than an unbounded wait. */
  private refuseFullQueue(): void {
    if (this.hasher.queued >= this.config.passwordQueueMax) throw AppError.retryLater('unavailable', 'Too many logins at once: try again in a moment', 1);
  }

  private async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.hasher.verify(hash, password);
    } catch (error) {
      if (error instanceof PasswordQueueFull)
        throw AppError.retryLater('unavailable', 'Too many logins at once: try again in a moment', error.retryAfterSeconds);
      throw error;
    }
  }

  async hashPassword(password: string): Promise<string> {
    try {
      return await this.hasher.hash(password);
    } catch (error) {
      if (error instanceof PasswordQueueFull)
        throw AppError.retryLater('unavailable', 'Too many password operations at once: try again in a moment', error.retryAfterSeconds);
      throw error;
    }
  }

  /**
   * Creates the first admin when none exists: from BOOTSTRAP_ADMIN_EMAIL/PASSWORD, or — on the
   * embedded development database only — with a generated password printed once. Its password
   * is temporary: the first login replaces it.
   */
  @ThroughAccountDoor('bootstrap')
  async bootstrapAdmin(print: (line: string) => void): Promise<void> {
    if ((await countAdmins(this.dataSource)) > 0) return;
    let email: string;
    let password: string;
    let generated = false;
    if (this.config.bootstrapAdmin) {
      ({ email, password } = this.config.bootstrapAdmin);
    } else if (!this.config.databaseUrl && !this.production) {
      email = 'admin@cellule.local';
      password = randomBytes(12).toString('base64url');
      generated = true;
    } else {
      this.logger.warn('No admin account exists: set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD to create one');
      return;
    }
    const problem = passwordProblem(password, { email, production: this.production });
    if (problem) throw new Error(`BOOTSTRAP_ADMIN_PASSWORD ${problem}`);
    const hash = await this.hasher.hash(password);
    const userId = await insertBootstrapAdmin(this.dataSource, email, hash);
    if (!userId) return;
    await this.audit.record({ actorId: null, organisationId: null, action: 'admin.user.bootstrap', decision: 'allow', detail: { userId } });
    if (generated) {
      print(
        `\n  First start: an administrator account was created.\n    email:    ${email}\n    password: ${password}\n  It is shown this once and must be replaced at the first login (then a second factor is enrolled).\n`,
      );
    } else {
      this.logger.log(`Bootstrap administrator created`);
    }
  }
}
