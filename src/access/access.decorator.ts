import { SetMetadata } from '@nestjs/common';
import type { Action } from './policy.types.js';

export const ACCESS_ACTION = 'cellule:access-action';

/**
 * The action a route performs (a key of policies/access.yaml `permissions`). The route guard
 * refuses (403) a caller none of whose roles could hold a relation permitting it; the service then
 * decides on the resource itself with `AccessService.require`. Every route but the @Public() ones
 * declares one (test/e2e/routes.test.ts).
 */
export const Access = (action: Action) => SetMetadata(ACCESS_ACTION, action);
