import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { AppError } from './errors.js';
import { inputProblem } from './validation.js';

/**
 * Every request's body and query string, whatever the route and whether it reads them, are
 * checked for what no input may hold (inputProblem: NUL bytes, ill-formed Unicode, deep nesting)
 * before its pipes and handler run: such input is a 400 naming the field, never a 500 half-way
 * through a transaction (issue 10: a 500 that rolls back is an oracle too).
 */
@Injectable()
export class InputInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const problem = inputProblem(request.body, '') ?? inputProblem(request.query, '');
      if (problem) throw AppError.validation(problem.field || 'body', problem.message);
    }
    return next.handle();
  }
}
