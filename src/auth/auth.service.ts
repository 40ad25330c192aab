import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AppError } from '../common/errors.js';
import { preparedQuery } from '../database/sql.js';
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
    const rows: { id: string; password_hash: string; organisation_id: string | null; territory_id: string | null; disabled_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT u.id, u.password_hash, u.organisation_id, coalesce(o.territory_id, u.territory_id) AS territory_id, u.disabled_at
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.email = $1`,
        [normalised],
      );
    const user = rows[0];
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
    await preparedQuery(this.dataSource, `DELETE FROM login_throttle WHERE user_id = $1`, [user.id]);
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
    const [{ attempts }]: { attempts: number }[] = await preparedQuery(
      this.dataSource,
      `INSERT INTO login_throttle AS t (user_id, window_start, attempts) VALUES ($1, now(), 1)
       ON CONFLICT (user_id) DO UPDATE SET
         attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE t.attempts + 1 END,
         window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN now() ELSE t.window_start END
       RETURNING attempts`,
      [userId, this.config.loginWindowSeconds],
    );
    return attempts > this.config.loginMaxFailures;
  }

  /**
   * Creates the first admin when none exists: from BOOTSTRAP_ADMIN_EMAIL/PASSWORD, or — on the
   * embedded development database only — with a generated password printed once.
   */
  async bootstrapAdmin(print: (line: string) => void): Promise<void> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles)`);
    if (n > 0) return;
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
    const inserted = await this.dataSource.query(
      `INSERT INTO users (email, password_hash, display_name, roles, profession) VALUES ($1, $2, 'Administrator', ARRAY['admin'], 'none')
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [email, hash],
    );
    if (!inserted.length) return;
    await this.audit.record({ actorId: null, organisationId: null, action: 'admin.user.bootstrap', decision: 'allow', detail: { userId: inserted[0].id } });
    if (generated) {
      print(
        `\n  First start: an administrator account was created.\n    email:    ${email}\n    password: ${password}\n  It is shown this once; change it or create your own admin, then disable this one.\n`,
      );
    } else {
      this.logger.log(`Bootstrap administrator created`);
    }
  }
}
