import { asSystem } from '../database/territory-scope.js';

/**
 * Why one account is read or written before any caller scope exists (see accountDoor).
 * - `authenticate`: the route guard reads the account of a token or browser session, by its id;
 * - `sign-in`: a login step reads the account by its email, or by the id of its open challenge,
 *   and writes what the step changes on that row (a new password, the accepted code step…);
 * - `own-password`: a signed-in user changes their own password (their row, whatever their scope);
 * - `web-session`: a browser session opens for the account that just signed in;
 * - `bootstrap`: at start, whether an administrator exists, and the first one created.
 */
export type AccountDoorReason = 'authenticate' | 'sign-in' | 'own-password' | 'web-session' | 'bootstrap';

/**
 * The explicit system path to ONE account, for the reads that come before a caller's scope (the
 * directory is under row-level security, migration DirectoryRowSecurity): it runs `fn` with the
 * wide scope (`asSystem('account:<reason>')`), and `fn` must only read or write the one account it
 * names, by its id or its sign-in email — never a list, never a territorial table. Not written to
 * the audit log as a cross-territory read: it reads the caller's own account (the sign-in steps
 * and the guard log what they decide themselves). Every use is in this list, and only here:
 * AuthGuard (authenticate), AuthService (sign-in, own-password, bootstrap), WebSessions.open.
 * A new way of signing in (OpenID Connect…) reads its account through this door too.
 */
export function accountDoor<T>(reason: AccountDoorReason, fn: () => T): T {
  return asSystem(`account:${reason}`, fn);
}

/** The method runs through the account door (`accountDoor(reason, …)`): the sign-in steps of AuthService. */
export function ThroughAccountDoor(reason: AccountDoorReason): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const method = descriptor.value as (...args: unknown[]) => unknown;
    descriptor.value = function (this: unknown, ...args: unknown[]) {
      return accountDoor(reason, () => method.apply(this, args));
    };
    return descriptor;
  };
}
