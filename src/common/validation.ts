import { applyDecorators, ValidationPipe, type ValidationError } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsObject, registerDecorator, ValidateNested, type ValidationOptions } from 'class-validator';
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

// A lone surrogate (half of a UTF-16 pair): JSON allows it as \uD800, UTF-8 has no form for it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than this, a body is refused before anything reads it (no DTO of the API nests beyond 4). */
export const MAX_INPUT_DEPTH = 16;

/**
 * What no request input may hold, whatever the route, checked before the route's pipes and
 * handler run (src/common/input.guard.ts): nesting deeper than MAX_INPUT_DEPTH (a recursive
 * reader would overflow its stack), a NUL byte in a string or a member name (PostgreSQL refuses it
 * in text, so it would fail mid-transaction), text that is not well-formed Unicode (a lone
 * surrogate has no UTF-8 form). Answers the first problem as a field path and a message — never
 * the value — or null. Iterative: the input itself cannot exhaust the stack.
 */
export function inputProblem(input: unknown, root: string): { field: string; message: string } | null {
  const pending: { value: unknown; field: string; depth: number }[] = [{ value: input, field: root, depth: 0 }];
  while (pending.length) {
    const { value, field, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field, message: 'must not contain a NUL character' };
      if (LONE_SURROGATE.test(value)) return { field, message: 'must be well-formed Unicode text' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field, message: `is nested too deep (at most ${MAX_INPUT_DEPTH} levels)` };
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000') || LONE_SURROGATE.test(key)) return { field, message: 'has a member name with a NUL character or ill-formed Unicode' };
      pending.push({ value: child, field: field ? `${field}.${key}` : key, depth: depth + 1 });
    }
  }
  return null;
}

/** The years an instant of the workflow may fall in: JavaScript, PostgreSQL and the domain agree on them. */
export const INSTANT_YEARS = { min: 1900, max: 2200 } as const;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * An ISO-8601 date (`2026-05-01`, midnight UTC) or date-time with an offset (`Z`, `+02:00`), on a
 * real calendar day (no 31 February, no 24:00) of a year in INSTANT_YEARS. A date-time without an
 * offset is refused: JavaScript would read it in the host's time zone.
 */
export function isInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < INSTANT_YEARS.min || year > INSTANT_YEARS.max || month < 1 || month > 12) return false;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  if (m[4] !== undefined) {
    if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false;
    if (m[8] !== undefined && (Number(m[8]) > 14 || Number(m[9]) > 59)) return false;
  }
  return Number.isFinite(Date.parse(value));
}

/** Validates an instant of the workflow (see isInstant); the message names the field only. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `$property must be an ISO-8601 date or date-time with an offset, between ${INSTANT_YEARS.min} and ${INSTANT_YEARS.max}`,
        ...options,
      },
      validator: { validate: (value: unknown) => isInstant(value) },
    });
}

/** A member that is one object of the given class (an array or a scalar is refused, not looked into). */
export function NestedObject(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsObject(), ValidateNested(), Type(type));
}

/** A member that is an array of objects of the given class (each element must be an object). */
export function NestedObjects(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsArray(), IsObject({ each: true }), ValidateNested({ each: true }), Type(type));
}
