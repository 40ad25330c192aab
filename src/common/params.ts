import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from './errors.js';

/** A UUID path parameter; anything else is a 400 naming the parameter. */
export const uuidParam = (name = 'id') => new ParseUUIDPipe({ exceptionFactory: () => AppError.validation(name, 'must be a UUID') });
