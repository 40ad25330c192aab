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
    if (user) await this.refuseIfLocked(user, requestId);
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'));
    const ok = await this.hasher.verify(user?.password_hash ?? (await this.dummyHash), password);
    if (!user || !ok || user.disabled_at) {
      await this.audit.record({
        actorId: user?.id ?? null,
        organisationId: user?.organisation_id ?? null,
        territoryId: user?.territory_id ?? null,
        action: 'auth.login',
        decision: 'deny',
        purpose: !user ? 'unknown_account' : user.disabled_at ? 'account_disabled' : 'wrong_password',
        requestId,
      });
      throw new AppError('unauthenticated', 'Wrong email or password');
    }
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
   * Per account, at most loginMaxFailures wrong passwords within loginWindowSeconds (a sliding
   * window, counted from the audit log since the last successful login, so every replica sees the
   * same count). Beyond it the login is refused with 429 and a Retry-After, without checking the
   * password: guessing stops, and the refusal costs no argon2id. Refusals do not count as failures,
   * so the account opens again when its oldest failure leaves the window.
   */
  private async refuseIfLocked(user: { id: string; organisation_id: string | null; territory_id: string | null }, requestId?: string): Promise<void> {
    // The window is reckoned on the database's clock, as the audit times are.
    const [{ failures, reopensIn }]: { failures: number; reopensIn: number | null }[] = await preparedQuery(
      this.dataSource,
      `SELECT count(*)::int AS failures, ceil(extract(epoch FROM min(e.at) + make_interval(secs => $2) - now()))::int AS "reopensIn" FROM audit_events e
        WHERE e.actor_id = $1 AND e.action = 'auth.login' AND e.decision = 'deny' AND e.purpose = 'wrong_password'
          AND e.at > now() - make_interval(secs => $2)
          AND e.at > coalesce((SELECT max(s.at) FROM audit_events s
                                WHERE s.actor_id = $1 AND s.action = 'auth.login' AND s.decision = 'allow' AND s.at > now() - make_interval(secs => $2)), '-infinity')`,
      [user.id, this.config.loginWindowSeconds],
    );
    if (failures < this.config.loginMaxFailures) return;
    const retryAfterSeconds = Math.max(1, reopensIn ?? 1);
    await this.audit.record({
      actorId: user.id,
      organisationId: user.organisation_id,
      territoryId: user.territory_id,
      action: 'auth.login',
      decision: 'deny',
      purpose: 'account_locked',
      requestId,
      detail: { failures },
    });
    throw new AppError('rate_limited', `Too many wrong passwords for this account: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
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
