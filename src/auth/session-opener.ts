import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors.js';
import { Vault } from '../vault/vault.js';
import type { LoginAnswer } from './auth.service.js';
import type { SessionOpenedDto } from './dto/session.dto.js';
import { markSessionOidc } from './oidc/oidc.repository.js';
import { hashOf } from './oidc/oidc.service.js';
import { TokenSigner } from './tokens.js';
import { cookieSecret, WebSessions } from './web-sessions.js';

/**
 * A login answer as the browser gets it (POST /auth/session and its steps, the OpenID Connect
 * sign-in): a further step (API.md: `mfa`, `passwordChange`) passes through as it is (no session
 * yet); a token becomes a session cookie. A session opened through a provider keeps which one, and
 * its ID token sealed, for the logout of both.
 */
@Injectable()
export class SessionOpener {
  constructor(
    private readonly tokens: TokenSigner,
    private readonly sessions: WebSessions,
    private readonly dataSource: DataSource,
    private readonly vault: Vault,
  ) {}

  async open(
    answer: LoginAnswer,
    request: FastifyRequest,
    reply: FastifyReply,
    provider?: { name: string; idToken: string | undefined },
  ): Promise<SessionOpenedDto | object> {
    if (!('accessToken' in answer)) return answer;
    // The token the login minted is only read here, to know the account; it never leaves the server.
    const userId = this.tokens.verify(answer.accessToken)?.sub;
    if (!userId) throw new AppError('internal', 'The login answered an unreadable token');
    const previous = cookieSecret(request);
    if (previous) await this.sessions.close(previous);
    const opened = await this.sessions.open(userId);
    if (provider) {
      const secretHash = hashOf(opened.secret);
      const sealed = provider.idToken ? this.vault.sealIdToken(secretHash.toString('hex'), provider.idToken) : undefined;
      await markSessionOidc(this.dataSource, secretHash, provider.name, sealed?.kekId ?? '', sealed?.sealed ?? Buffer.alloc(0));
    }
    void reply.header('set-cookie', this.sessions.setCookie(opened.secret));
    return { ...this.describe(opened.secret, opened.expiresAt), ...(answer.notices ? { notices: answer.notices } : {}) };
  }

  describe(secret: string, expiresAt: Date): SessionOpenedDto {
    return { csrfToken: this.sessions.csrfToken(secret), idleTimeoutSeconds: this.sessions.idleSeconds, expiresAt: expiresAt.toISOString() };
  }
}
