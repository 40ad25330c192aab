import { ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VaultError } from '../vault/vault-error.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnreachable } from './database-errors.js';
import { AppError } from './errors.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://cellule.invalid/problems/';

/**
 * The longest each member of a problem detail gets (the OpenAPI document publishes them,
 * src/common/dto/problem.response.ts): a field path comes from the request's own member names,
 * `instance` from its URL, so they are cut rather than echoed at any length.
 */
export const PROBLEM_LIMITS = { type: 100, title: 100, detail: 2000, instance: 2000, code: 50, field: 200, message: 500, text: 20000, errors: 100 } as const;

function clip(value: unknown, max: number): unknown {
  if (typeof value !== 'string' || value.length <= max) return value;
  const cut = value.slice(0, max - 1);
  // Never half of a surrogate pair.
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut) + '…';
}

function clipField(entry: unknown, textMax: number, textKey: string): unknown {
  if (entry === null || typeof entry !== 'object') return entry;
  const e = entry as Record<string, unknown>;
  return { ...e, field: clip(e.field, PROBLEM_LIMITS.field), [textKey]: clip(e[textKey], textMax) };
}

/** The problem within PROBLEM_LIMITS. */
export function boundedProblem(problem: ProblemDetails): ProblemDetails {
  const out: ProblemDetails = {
    ...problem,
    type: clip(problem.type, PROBLEM_LIMITS.type) as string,
    title: clip(problem.title, PROBLEM_LIMITS.title) as string,
    detail: clip(problem.detail, PROBLEM_LIMITS.detail) as string,
  };
  if (problem.instance !== undefined) out.instance = clip(problem.instance, PROBLEM_LIMITS.instance) as string;
  if (problem.reason !== undefined) out.reason = clip(problem.reason, PROBLEM_LIMITS.code);
  if (problem.kind !== undefined) out.kind = clip(problem.kind, PROBLEM_LIMITS.code);
  if (Array.isArray(problem.errors)) out.errors = problem.errors.slice(0, PROBLEM_LIMITS.errors).map((e) => clipField(e, PROBLEM_LIMITS.message, 'message'));
  if (problem.proposal !== undefined) out.proposal = clipField(problem.proposal, PROBLEM_LIMITS.text, 'text');
  if (Array.isArray(problem.proposals)) out.proposals = problem.proposals.slice(0, PROBLEM_LIMITS.errors).map((p) => clipField(p, PROBLEM_LIMITS.text, 'text'));
  return out;
}

/** Fastify's own errors (body parsing, limits) by code, with what the client can do about them. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; title: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', title: 'Payload too large', detail: 'The request body exceeds the size limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', title: 'Unsupported media type', detail: 'Send application/json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'validation', title: 'Invalid request', detail: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'validation', title: 'Invalid request', detail: 'The body is not valid JSON' },
  // @fastify/multipart (documents, issue 12): the form's own limits.
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'payload_too_large', title: 'Payload too large', detail: 'file: a document holds at most 10 MB' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
    detail: 'Send a multipart/form-data form',
  },
  FST_FILES_LIMIT: { status: 413, code: 'payload_too_large', title: 'Payload too large', detail: 'One file per request' },
  FST_PARTS_LIMIT: { status: 413, code: 'payload_too_large', title: 'Payload too large', detail: 'The form has too many parts: send class, then file' },
  FST_FIELDS_LIMIT: { status: 413, code: 'payload_too_large', title: 'Payload too large', detail: 'The form has too many fields: send class, then file' },
  CELLULE_RATE_LIMITED: {
    status: 429,
    code: 'rate_limited',
    title: 'Too many requests',
    detail: 'Too many requests from this address: wait before trying again',
  },
};

/**
 * Every error leaves as an RFC 9457 problem detail. Messages come from domain errors or fixed
 * texts: request bodies and protected values are never echoed, and unknown errors say nothing
 * beyond "internal error" (the log keeps the stack, without the request body).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const problem = boundedProblem(this.toProblem(exception, request));
    if (problem.status === 503 && isDatabaseUnreachable(exception)) {
      // Fast and retryable: the transaction was not applied; the pool reconnects by itself.
      this.logger.warn({ msg: 'database unreachable', reqId: request?.id, err: { message: (exception as Error).message } });
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    } else if (problem.status === 503 && exception instanceof HttpException) {
      // A refusal the server chose (readiness while the database is down or while draining): no stack.
      this.logger.warn({ msg: 'unavailable', reqId: request?.id, url: problem.instance });
    } else if (problem.status >= 500) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ msg: 'request failed', reqId: request?.id, err: { name: err.name, stack: err.stack } });
    }
    // AppError.retryLater, and the rate limiter's refusal (src/app.ts), carry the wait.
    const retryAfter = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number' && problem.status >= 400) void reply.header('retry-after', String(retryAfter));
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  }

  toProblem(exception: unknown, request?: FastifyRequest): ProblemDetails {
    const instance = request?.url?.split('?')[0];
    if (isDatabaseUnreachable(exception)) {
      return {
        type: PROBLEM_BASE + 'unavailable',
        title: 'Service unavailable',
        status: 503,
        // Not "nothing was changed": a connection lost while its COMMIT was on the way may have
        // committed. A retry is safe anyway: a transition names its expected version (409 if it
        // was applied), a creating POST its Idempotency-Key.
        detail: 'The database cannot be reached right now. Try again shortly (with the same expected version or Idempotency-Key).',
        instance,
      };
    }
    if (exception instanceof AppError) {
      // Extensions first: they must never replace a standard member (a non-numeric `status` would
      // make the reply itself fail).
      return {
        ...exception.extensions,
        type: PROBLEM_BASE + exception.code,
        title: exception.title,
        status: exception.status,
        detail: exception.detail,
        instance,
      };
    }
    if (exception instanceof VaultError && exception.code === 'shredded') {
      // Writing to a case whose data key was destroyed: its protected content is gone for good.
      return {
        type: PROBLEM_BASE + 'erased',
        title: 'Erased',
        status: 410,
        detail: 'The protected content of this case was erased (crypto-shredding)',
        instance,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === 404
          ? 'not_found'
          : status === 401
            ? 'unauthenticated'
            : status === 403
              ? 'forbidden'
              : status === 429
                ? 'rate_limited'
                : status === 413
                  ? 'payload_too_large'
                  : status === 503
                    ? 'unavailable'
                    : status < 500
                      ? 'bad_request'
                      : 'internal';
      const detail = status === 404 ? 'No such resource' : status >= 500 ? 'Internal error' : exception.message;
      return { type: PROBLEM_BASE + code, title: exception.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'), status, detail, instance };
    }
    const fastifyCode = (exception as { code?: string })?.code;
    if (fastifyCode && FASTIFY_ERRORS[fastifyCode]) {
      const known = FASTIFY_ERRORS[fastifyCode];
      return { type: PROBLEM_BASE + known.code, title: known.title, status: known.status, detail: known.detail, instance };
    }
    const statusCode = (exception as { statusCode?: number })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return { type: PROBLEM_BASE + 'bad_request', title: 'Bad request', status: statusCode, detail: 'The request could not be processed', instance };
    }
    return { type: PROBLEM_BASE + 'internal', title: 'Internal error', status: 500, detail: 'Internal error', instance };
  }
}
