import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs (pino), shared by Fastify's request log and Nest's logger. Request bodies
 * are never logged (Fastify's serialisers log method, url and status only) and the authorization
 * header is redacted should a serialiser ever include headers.
 */
export function createRootLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'cellule' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.password', 'password'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** The parts of a request Fastify's request log may see (its own serialiser's, less the query). */
interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * The request serialiser of the request log: method, path, host and peer — never the query
 * string. Credentials travel there (the OpenID Connect callback's code and state, a sign-in
 * invitation) and so may search terms, so the logged URL stops at the path.
 */
export function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  const query = req.url.indexOf('?');
  return {
    method: req.method,
    url: query === -1 ? req.url : `${req.url.slice(0, query)}?[query omitted]`,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * The logger given to Fastify: the application's, with the request serialiser above (it overrides
 * Fastify's, which writes the whole URL). The one place the request log's fields are chosen.
 */
export function requestLogger(logger: Logger): Logger {
  return logger.child({}, { serializers: { req: serializeRequest } });
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context?: unknown): void {
    const ctx = typeof context === 'string' ? context : undefined;
    if (message && typeof message === 'object') this.logger[level]({ context: ctx, ...(message as object) });
    else this.logger[level]({ context: ctx }, String(message));
  }

  log(message: unknown, context?: unknown): void {
    this.write('info', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack?, context?) — keep the stack, it holds no request data.
    const context = rest.length > 1 ? rest[rest.length - 1] : rest[0];
    this.write('error', message, context);
  }
  warn(message: unknown, context?: unknown): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: unknown): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: unknown): void {
    this.write('trace', message, context);
  }
}
