import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { AppError } from '../../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { select } from '../../database/sql.js';
import { findAccount } from '../../users/users.repository.js';
import { Vault } from '../../vault/vault.js';
import type { RequestViewer } from '../viewer.js';
import type { LinkedIdentitiesDto, LinkInvitationDto } from './oidc.dto.js';
import { findSessionOidc, insertInvitation, listIdentities, unlinkIdentity } from './oidc.repository.js';
import { hashOf } from './oidc.service.js';

/** An invitation to link an account lives a week (the user may be on leave). */
const INVITATION_TTL_SECONDS = 7 * 24 * 3600;

/** The admin's side of the links between accounts and providers' identities (issue 16), each step in the access log. */
@Injectable()
export class OidcLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly vault: Vault,
  ) {}

  async invite(admin: RequestViewer, userId: string, kind: 'invitation' | 'email', requestId: string): Promise<LinkInvitationDto> {
    const account = await findAccount(this.dataSource, userId);
    if (!account) throw new AppError('not_found', 'No such account');
    if (account.disabled) throw new AppError('conflict', 'A disabled account cannot be invited to link an identity: enable it first');
    const token = randomBytes(32).toString('base64url');
    const created = await this.dataSource.transaction(async (m) => {
      const row = await insertInvitation(m, { tokenHash: hashOf(token), userId, kind, createdBy: admin.userId, ttlSeconds: INVITATION_TTL_SECONDS });
      await this.audit.record(
        {
          actorId: admin.userId,
          organisationId: admin.organisationId,
          action: 'admin.user.oidc.invite',
          decision: 'allow',
          purpose: kind,
          requestId,
          detail: { userId },
        },
        m,
      );
      return row;
    });
    return {
      kind,
      ...(kind === 'invitation' ? { link: `${this.config.mail.publicUrl}/app/connexion/invitation#${token}` } : {}),
      expiresAt: new Date(created.expiresAt).toISOString(),
    };
  }

  async identities(userId: string): Promise<LinkedIdentitiesDto> {
    const [user] = await select<{ rpps: string | null; professionSource: 'declared' | 'prosanteconnect' }>(
      this.dataSource,
      `SELECT rpps, profession_source AS "professionSource" FROM users WHERE id = $1`,
      [userId],
    );
    if (!user) throw new AppError('not_found', 'No such account');
    const items = await listIdentities(this.dataSource, userId);
    return { items: items.map((i) => ({ ...i, linkedAt: new Date(i.linkedAt).toISOString() })), rpps: user.rpps, professionSource: user.professionSource };
  }

  async unlink(admin: RequestViewer, userId: string, provider: string, requestId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await unlinkIdentity(m, userId, provider))) throw new AppError('not_found', 'This account is not linked to that provider');
      await this.audit.record(
        {
          actorId: admin.userId,
          organisationId: admin.organisationId,
          action: 'admin.user.oidc.unlink',
          decision: 'allow',
          purpose: provider.slice(0, 40),
          requestId,
          detail: { userId },
        },
        m,
      );
    });
  }

  /** The provider a browser session came from, and its ID token opened (for the logout's id_token_hint). */
  async sessionProvider(secret: string): Promise<{ name: string; idToken: string | undefined } | undefined> {
    const row = await findSessionOidc(this.dataSource, hashOf(secret));
    if (!row) return undefined;
    return { name: row.provider, idToken: row.sealed.length ? this.vault.openIdToken(hashOf(secret).toString('hex'), row.kekId, row.sealed) : undefined };
  }
}
