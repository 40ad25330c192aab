import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AppError } from '../common/errors.js';
import { countAdmins, findLoginRow, insertBootstrapAdmin } from '../users/users.repository.js';
import { clearLoginAttempts, countLoginAttempt } from './login-throttle.repository.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenSigner } from './tokens.js';

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('auth');
  /** Verified when the email is unknown, so both failures cost the same time. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenSigner,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string, requestId?: string): Promise<LoginResult> {
    const normalised = email.trim().toLowerCase();
    const user = await findLoginRow(this.dataSource, normalised);
    // Counted before the password is checked: a burst of guesses cannot all pass the limit.
    const locked = user ? await this.countAttempt(user.id) : false;
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'));
    // A locked account verifies against the dummy hash: the same work and the same 401 as an
    // unknown email or a wrong password (API.md), and the right password gets nothing either.
    const ok = await this.hasher.verify(user && !locked ? user.password_hash : await this.dummyHash, password);
    if (!user || !ok || locked || user.disabled_at) {
      await this.audit.record({
        actorId: user?.id ?? null,
        organisationId: user?.organisation_id ?? null,
        territoryId: user?.territory_id ?? null,
        action: 'auth.login',
        decision: 'deny',
        purpose: !user ? 'unknown_account' : locked ? 'account_locked' : user.disabled_at ? 'account_disabled' : 'wrong_password',
        requestId,
      });
      throw new AppError('unauthenticated', 'Wrong email or password');
    }
    await clearLoginAttempts(this.dataSource, user.id);
    await this.audit.record({
      actorId: user.id,
      organisationId: user.organisation_id,
      territoryId: user.territory_id,
      action: 'auth.login',
      decision: 'allow',
      requestId,
    });
    return { accessToken: this.tokens.sign(user.id, this.config.tokenTtlSeconds), expiresIn: this.config.tokenTtlSeconds, tokenType: 'Bearer' };
  }

  /**
   * Counts one login attempt for the account, atomically (one upsert: every replica, any number of
   * concurrent requests), and says whether it is over the limit: more than loginMaxFailures
   * attempts since the last successful login (which deletes the row) within a fixed window that
   * opens at the first of them. A locked account opens again when its window ends, however many
   * attempts are refused meanwhile; the window is reckoned on the database clock.
   */
  private async countAttempt(userId: string): Promise<boolean> {
    return (await countLoginAttempt(this.dataSource, userId, this.config.loginWindowSeconds)) > this.config.loginMaxFailures;
  }

  /**
   * Creates the first admin when none exists: from BOOTSTRAP_ADMIN_EMAIL/PASSWORD, or — on the
   * embedded development database only — with a generated password printed once.
   */
  async bootstrapAdmin(print: (line: string) => void): Promise<void> {
    if ((await countAdmins(this.dataSource)) > 0) return;
    let email: string;
    let password: string;
    let generated = false;
    if (this.config.bootstrapAdmin) {
      ({ email, password } = this.config.bootstrapAdmin);
    } else if (!this.config.databaseUrl && this.config.nodeEnv !== 'production') {
      email = 'admin@cellule.local';
      password = randomBytes(12).toString('base64url');
      generated = true;
    } else {
      this.logger.warn('No admin account exists: set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD to create one');
      return;
    }
    const hash = await this.hasher.hash(password);
    const userId = await insertBootstrapAdmin(this.dataSource, email, hash);
    if (!userId) return;
    await this.audit.record({ actorId: null, organisationId: null, action: 'admin.user.bootstrap', decision: 'allow', detail: { userId } });
    if (generated) {
      print(
        `\n  First start: an administrator account was created.\n    email:    ${email}\n    password: ${password}\n  It is shown this once; change it or create your own admin, then disable this one.\n`,
      );
    } else {
      this.logger.log(`Bootstrap administrator created`);
    }
  }
}
