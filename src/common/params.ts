import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { AppError } from './errors.js';

/** A UUID path parameter; anything else is a 400 naming the parameter. */
export const uuidParam = (name = 'id') => new ParseUUIDPipe({ exceptionFactory: () => AppError.validation(name, 'must be a UUID') });

/**
 * `@UuidParam('id')`: the path parameter read through uuidParam, and published as what it then is
 * (a UUID: format uuid, 36 characters), from one declaration.
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  return (target, key, index) => {
    Param(name, uuidParam(name))(target, key, index);
    const method = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key === undefined || !method) throw new Error(`@UuidParam('${name}') belongs on a route handler's parameter`);
    ApiParam({ name, schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 } })(target, key, method);
  };
}
