import { createHash } from 'node:crypto';
import { applyDecorators, type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/viewer.js';
import { execute, returning, select, type SqlRunner } from '../database/sql.js';
import { Vault } from '../vault/vault.js';
import { VAULT } from '../vault/vault.service.js';
import { AppError } from './errors.js';

/** How long a first answer is kept for replays. */
export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY = /^[\x21-\x7e]{1,200}$/;

interface StoredKey {
  route: string;
  requestHash: Buffer;
  status: number | null;
  kekId: string | null;
  answer: Buffer | null;
  resourceId: string | null;
  expired: boolean;
}

/**
 * `Idempotency-Key` on the POSTs that create (IETF draft "The Idempotency-Key HTTP Header Field"):
 * the first request with a key runs and its answer is kept (sealed by the vault) for 24 hours; a
 * replay of the same request with the same key gets that answer again (`Idempotent-Replayed: true`)
 * and creates nothing. The same key with another body or route: 422. While the first request runs:
 * 409 with Retry-After. A request that fails keeps no answer (it may be sent again). Keys are per
 * account. What remains possible: the process dying between the creation's commit and the record
 * of its answer (one statement later) leaves the key "running" until it expires.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(VAULT) private readonly vault: Vault,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.around(request, reply, header, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }

  private async around(request: AuthenticatedRequest, reply: FastifyReply, header: string | string[], run: () => Promise<unknown>): Promise<unknown> {
    if (typeof header !== 'string' || !KEY.test(header)) {
      throw AppError.validation('Idempotency-Key', 'must be 1 to 200 visible ASCII characters (a UUID is a good key)');
    }
    const userId = request.viewer?.userId;
    if (!userId) return run();
    const keyHash = createHash('sha256').update(header).digest();
    const route = `${request.method} ${request.url.split('?')[0]}`.slice(0, 500);
    const requestHash = this.vault.requestDigest(userId, JSON.stringify(request.body ?? null));
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed = await select(
        this.dataSource,
        `INSERT INTO idempotency_keys (user_id, key_hash, route, request_hash, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) ON CONFLICT (user_id, key_hash) DO NOTHING RETURNING 1`,
        [userId, keyHash, route, requestHash, IDEMPOTENCY_TTL_HOURS],
      );
      if (claimed.length) return this.first(userId, keyHash, run);
      const [stored] = await select<StoredKey>(
        this.dataSource,
        `SELECT route, request_hash AS "requestHash", status, kek_id AS "kekId", answer, resource_id AS "resourceId", expires_at < now() AS expired
           FROM idempotency_keys WHERE user_id = $1 AND key_hash = $2`,
        [userId, keyHash],
      );
      if (!stored) continue;
      if (stored.expired) {
        await execute(this.dataSource, `DELETE FROM idempotency_keys WHERE user_id = $1 AND key_hash = $2 AND expires_at < now()`, [userId, keyHash]);
        continue;
      }
      if (stored.route !== route || !stored.requestHash.equals(requestHash)) {
        throw new AppError('unprocessable', 'This Idempotency-Key was used for another request: use a new key for a new request', {
          errors: [{ field: 'Idempotency-Key', message: 'was used for another request' }],
        });
      }
      if (stored.status === null || !stored.answer || !stored.kekId) {
        throw AppError.retryLater('unavailable', 'The first request with this Idempotency-Key is still running', 1);
      }
      let answer: string;
      try {
        answer = this.vault.openAnswer(userId, keyHash.toString('hex'), stored.kekId, stored.answer);
      } catch {
        throw new AppError('conflict', 'A request with this Idempotency-Key was already applied; its answer is no longer available', {
          resourceId: stored.resourceId,
        });
      }
      void reply.header('idempotent-replayed', 'true');
      return JSON.parse(answer) as unknown;
    }
    throw AppError.retryLater('unavailable', 'The first request with this Idempotency-Key is still running', 1);
  }

  /** Runs the request for the first time, then keeps its answer (or forgets the key if it failed). */
  private async first(userId: string, keyHash: Buffer, run: () => Promise<unknown>): Promise<unknown> {
    let answer: unknown;
    try {
      answer = await run();
    } catch (error) {
      await execute(this.dataSource, `DELETE FROM idempotency_keys WHERE user_id = $1 AND key_hash = $2 AND status IS NULL`, [userId, keyHash]).catch(
        () => undefined,
      );
      throw error;
    }
    const text = JSON.stringify(answer ?? null);
    const { kekId, sealed } = this.vault.sealAnswer(userId, keyHash.toString('hex'), text);
    const id = (answer as { id?: unknown } | null)?.id;
    await returning(
      this.dataSource,
      `UPDATE idempotency_keys SET status = 200, kek_id = $3, answer = $4, resource_id = $5 WHERE user_id = $1 AND key_hash = $2 RETURNING 1`,
      [userId, keyHash, kekId, sealed, typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null],
    );
    return answer;
  }
}

/**
 * Marks a creating POST as idempotent: an `Idempotency-Key` header makes a replay answer the
 * first answer instead of creating again (IdempotencyInterceptor).
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A key of your choosing (a UUID), unique per request to create: a replay within 24 hours answers the first answer and creates nothing',
      schema: { type: 'string', maxLength: 200, pattern: '^[\\x21-\\x7e]{1,200}$' },
    }),
  );
}

/** Drops the answers kept longer than IDEMPOTENCY_TTL_HOURS (a scheduled task). */
export async function expireIdempotencyKeys(db: SqlRunner): Promise<number> {
  return execute(db, `DELETE FROM idempotency_keys WHERE expires_at < now()`);
}
