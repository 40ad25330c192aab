import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ThroughAccountDoor } from '../users/account-door.js';
import { deleteEndedWebSessions, deleteWebSession, deleteWebSessionsOf, findWebSession, insertWebSession, touchWebSession } from './web-sessions.repository.js';

/**
 * Browser sessions of the web workspace. A script in the page never holds a credential: the
 * session secret travels only in an httpOnly, Secure, SameSite=Strict cookie (the `__Host-`
 * prefix also pins it to this host and path /), and the database keeps only its SHA-256.
 *
 * CSRF: SameSite=Strict already keeps the cookie off cross-site requests; in addition every
 * unsafe method authenticated by the cookie must carry `X-Cellule-CSRF`, an HMAC of the session
 * secret that the page receives in the body of POST/GET /auth/session and keeps in memory
 * (another site can neither read it nor set a custom header without CORS, which is not enabled).
 *
 * A session ends at logout, after `web.session.idleSeconds` without a request (checked here on
 * every request, so the server enforces what the page's idle warning announces), or at the
 * latest `web.session.maxSeconds` after it opened.
 */
export const SESSION_COOKIE = '__Host-cellule-session';
export const CSRF_HEADER = 'x-cellule-csrf';

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A request refreshes last_seen_at at most this often: a burst of reads is one write. */
const TOUCH_EVERY_SECONDS = 15;

export type SessionEnd = 'idle' | 'expired' | 'unknown';

/** Who a request speaks for, and the account generation its token or session was issued under. */
export interface Credential {
  userId: string;
  generation: number;
}

/** The session that authenticated a request, when it was the cookie (not a bearer token). */
const sessionOfRequest = new WeakMap<object, { secret: string; expiresAt: Date }>();

export function sessionOf(request: FastifyRequest): { secret: string; expiresAt: Date } | undefined {
  return sessionOfRequest.get(request);
}

/** The session secret in the request's cookie header, if well formed. */
export function cookieSecret(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return SECRET_PATTERN.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function minutes(seconds: number): string {
  const n = Math.round(seconds / 60);
  return `${n} minute${n === 1 ? '' : 's'}`;
}

function hashOf(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

@Injectable()
export class WebSessions {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  get idleSeconds(): number {
    return this.config.web.session.idleSeconds;
  }

  @ThroughAccountDoor('web-session')
  async open(userId: string): Promise<{ secret: string; expiresAt: Date }> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = await insertWebSession(this.dataSource, hashOf(secret), userId, this.config.web.session.maxSeconds);
    // Ended sessions are removed as new ones open (and when presented): the table stays small.
    await deleteEndedWebSessions(this.dataSource, this.idleSeconds);
    return { secret, expiresAt };
  }

  /** The session's user, its last activity touched; or why it no longer opens anything. */
  async resume(secret: string): Promise<{ userId: string; generation: number; expiresAt: Date } | { ended: SessionEnd }> {
    const row = await findWebSession(this.dataSource, hashOf(secret), this.idleSeconds, TOUCH_EVERY_SECONDS);
    if (!row) return { ended: 'unknown' };
    if (row.idle || row.expired) {
      await deleteWebSession(this.dataSource, hashOf(secret));
      return { ended: row.expired ? 'expired' : 'idle' };
    }
    if (row.stale) await touchWebSession(this.dataSource, hashOf(secret));
    return { userId: row.user_id, generation: row.generation, expiresAt: row.expires_at };
  }

  /** Ends one session; answers its user when it existed. */
  close(secret: string): Promise<string | undefined> {
    return deleteWebSession(this.dataSource, hashOf(secret));
  }

  /** Ends every session of an account (password change, disabling). */
  async closeAll(userId: string): Promise<void> {
    await deleteWebSessionsOf(this.dataSource, userId);
  }

  csrfToken(secret: string): string {
    return createHmac('sha256', secret).update('cellule-csrf').digest('base64url');
  }

  csrfMatches(secret: string, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const expected = Buffer.from(this.csrfToken(secret));
    const offered = Buffer.from(given);
    return expected.length === offered.length && timingSafeEqual(expected, offered);
  }

  /** No Max-Age: the cookie also ends when the browser closes (a shared office computer). */
  setCookie(secret: string): string {
    return `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; Secure; SameSite=Strict`;
  }

  clearCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;
  }

  /**
   * The user a request speaks for: a bearer token (API clients) or else the session cookie (the
   * workspace), whose unsafe methods must carry the CSRF header. Throws 401/403 otherwise.
   */
  async authenticate(request: FastifyRequest, verifyBearer: (token: string) => Credential | undefined): Promise<Credential> {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const credential = verifyBearer(header.slice(7).trim());
      if (!credential) throw new AppError('unauthenticated', 'A valid bearer token is required');
      return credential;
    }
    const secret = cookieSecret(request);
    if (!secret) throw new AppError('unauthenticated', 'A valid bearer token is required');
    const session = await this.resume(secret);
    if ('ended' in session) {
      const detail =
        session.ended === 'idle'
          ? `The session ended after ${minutes(this.idleSeconds)} without activity`
          : session.ended === 'expired'
            ? 'The session reached its maximum duration'
            : 'No such session';
      throw new AppError('unauthenticated', detail, { reason: `session_${session.ended}` });
    }
    if (!SAFE_METHODS.has(request.method) && !this.csrfMatches(secret, request.headers[CSRF_HEADER])) {
      throw new AppError('forbidden', `A request authenticated by the session cookie must carry the ${CSRF_HEADER} header of its session`, {
        reason: 'csrf',
      });
    }
    sessionOfRequest.set(request, { secret, expiresAt: session.expiresAt });
    return { userId: session.userId, generation: session.generation };
  }
}
