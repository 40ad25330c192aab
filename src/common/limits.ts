/**
 * Limits that are enforced and published from one number: each decorator sets the class-validator
 * rule (a value beyond it is a 400 naming the field) and the OpenAPI keyword of the property, so
 * the document cannot promise a limit the server does not hold, nor forget one it holds (issue 14:
 * every string and array of a request has a maximum). class-validator's MaxLength and ArrayMaxSize
 * are imported here only (eslint.config.js).
 *
 * For an array of strings, `MaxChars(n, { each: true })` limits each element: @nestjs/swagger moves
 * `maxLength` into the array's `items`.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, MaxLength, MinLength, type ValidationOptions } from 'class-validator';

/** At most `max` characters (UTF-16 code units, as JSON Schema's maxLength counts them in practice). */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(MaxLength(max, options), ApiProperty({ maxLength: max }));
}

/** Between `min` and `max` characters. */
export function Chars(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(MinLength(min, options), MaxLength(max, options), ApiProperty({ minLength: min, maxLength: max }));
}

/** An array of at most `max` elements. */
export function MaxItems(max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(ArrayMaxSize(max, options), ApiProperty({ maxItems: max }));
}

/** An array of `min` to `max` elements. */
export function Items(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(ArrayMinSize(min, options), ArrayMaxSize(max, options), ApiProperty({ minItems: min, maxItems: max }));
}

/** At least `min` elements (the upper bound set apart with MaxItems, e.g. with its own message). */
export function MinItems(min: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(ArrayMinSize(min, options), ApiProperty({ minItems: min }));
}
