import { createHmac, timingSafeEqual } from 'node:crypto';

/** No access token lives longer than this, whatever the configuration says (issue 10). */
export const MAX_TOKEN_TTL_SECONDS = 3600;

export interface TokenClaims {
  sub: string;
  iat: number;
  exp: number;
  /** What the token is for: API access. */
  typ: 'access';
  /**
   * The account's token generation when it was issued (users.token_generation): a password
   * change, a disabled account, a role change or a removed second factor moves it on, and every
   * token of an earlier generation is refused (src/auth/auth.guard.ts).
   */
  gen: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** Compact HS256 JWTs signed with a server secret; short-lived, checked against the user row on use. */
export class TokenSigner {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('The token secret must be at least 32 bytes');
  }

  /** A token for the account at that generation, living `ttlSeconds` at most MAX_TOKEN_TTL_SECONDS. */
  sign(sub: string, generation: number, ttlSeconds: number, now = Date.now()): string {
    const iat = Math.floor(now / 1000);
    const ttl = Math.min(ttlSeconds, MAX_TOKEN_TTL_SECONDS);
    const payload = Buffer.from(JSON.stringify({ sub, iat, exp: iat + ttl, typ: 'access', gen: generation } satisfies TokenClaims)).toString('base64url');
    return `${HEADER}.${payload}.${this.mac(`${HEADER}.${payload}`)}`;
  }

  /** The claims of a valid, unexpired access token; undefined otherwise. */
  verify(token: string, now = Date.now()): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return undefined;
    if (!Number.isInteger(claims.gen) || claims.gen < 0) return undefined;
    // Expired, or issued for longer than the maximum (a token signed before the cap, or by hand).
    if (claims.exp * 1000 <= now || claims.exp - claims.iat > MAX_TOKEN_TTL_SECONDS) return undefined;
    return claims;
  }

  private mac(input: string): string {
    return createHmac('sha256', this.secret).update(input).digest('base64url');
  }
}
