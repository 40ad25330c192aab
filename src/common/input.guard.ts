import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { inputProblem } from './validation.js';

/**
 * Every request's body and query string, whatever the route and whether it reads them, are
 * checked for what no input may hold (inputProblem: NUL bytes, ill-formed Unicode, deep nesting)
 * before its pipes and handler run: such input is a 400 naming the field, never a 500 half-way
 * through a transaction (issue 10: a 500 that rolls back is an oracle too).
 *
 * A global guard, not an interceptor: it only refuses, it wraps nothing, and an interceptor costs
 * every request one more layer of observables (measured in the benchmark's profiles, issue 9). It
 * is registered right after AuthGuard (src/auth/auth.module.ts): an anonymous caller still gets
 * 401 and a caller without the route's role 403 with its access-log row, whatever the body.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const problem = inputProblem(request.body, '') ?? inputProblem(request.query, '');
      if (problem) throw AppError.validation(problem.field || 'body', problem.message);
    }
    return true;
  }
}
