import type { FastifyRequest } from 'fastify';
import { OIDC_COOKIE } from './oidc.service.js';

/**
 * The cookie binding a sign-in at a provider to this browser: httpOnly, Secure, `__Host-`, and
 * SameSite=Lax — the provider's redirect back to the callback is a cross-site top-level
 * navigation, on which a Strict cookie would not be sent. It lives 10 minutes.
 */
export function setOidcCookie(secret: string): string {
  return `${OIDC_COOKIE}=${secret}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=600`;
}

export function clearOidcCookie(): string {
  return `${OIDC_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

export function oidcCookieSecret(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === OIDC_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}
