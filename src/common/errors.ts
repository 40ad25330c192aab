/**
 * Domain errors: one class with a code; the problem-details filter maps them to HTTP in one
 * place. Messages name fields and states, never a protected value.
 */
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'event_not_allowed'
  | 'stale_version'
  | 'unprocessable'
  | 'identifying_text'
  | 'emergency'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'erased'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  event_not_allowed: 409,
  stale_version: 409,
  unprocessable: 422,
  identifying_text: 422,
  emergency: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  erased: 410,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

const TITLE: Record<ErrorCode, string> = {
  validation: 'Invalid request',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  event_not_allowed: 'Event not allowed in the current state',
  stale_version: 'Stale version',
  unprocessable: 'Unprocessable request',
  identifying_text: 'Text would identify the person',
  emergency: 'Not an emergency service',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  erased: 'Erased',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
};

export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    /** Extra members of the problem detail (e.g. `allowedEvents`, `errors`). Never protected values. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = STATUS[code];
    this.title = TITLE[code];
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }

  static forbidden(detail = 'This account may not do that'): AppError {
    return new AppError('forbidden', detail);
  }

  /** 429 or 503 whose answer carries `Retry-After` (whole seconds, at least 1). */
  static retryLater(code: 'rate_limited' | 'unavailable', detail: string, retryAfterSeconds: number): AppError {
    const error = new AppError(code, detail);
    error.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return error;
  }

  /** Sent as the `Retry-After` header (RFC 9110) by the problem-details filter. */
  retryAfterSeconds?: number;

  static validation(field: string, message: string): AppError {
    return new AppError('validation', `${field}: ${message}`, { errors: [{ field, message }] });
  }
}
