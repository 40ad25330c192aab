import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from './errors.js';

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator messages name the property and the rule, never the rejected value
      // (no message here uses $value), so they are safe to return.
      out.push({ field, message: message.replace(/^\S+ /, '') });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

/**
 * Global validation: unknown properties refused, payloads transformed to their DTO classes.
 * `stopAtFirstError`: one message per field (a missing member: only "is required").
 */
export function createValidationPipe(options: { stopAtFirstError?: boolean } = {}): ValidationPipe {
  return new ValidationPipe({
    stopAtFirstError: options.stopAtFirstError ?? false,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      const detail = list.map((e) => `${e.field}: ${e.message}`).join('; ') || 'Invalid request';
      return new AppError('validation', detail, { errors: list });
    },
  });
}
