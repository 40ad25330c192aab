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
