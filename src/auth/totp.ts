import { generateSecret, generateURI, verifySync } from 'otplib';

/**
 * The second factor: TOTP as API.md and RFC 6238 describe it (HMAC-SHA-1, 6 digits, 30-second
 * steps), computed by otplib (a library made for it, checked against the RFC's vectors). A code
 * of the step before or after the server's is accepted too (clocks of phones drift), and only
 * for a step later than the last code the account used: no code is accepted twice.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = 'Cellule';

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), in base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app reads (as a QR code) to enrol the secret. */
export function otpauthUrl(secret: string, accountEmail: string): string {
  return generateURI({ issuer: ISSUER, label: accountEmail, secret, algorithm: 'sha1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
}

/**
 * The time step of `code` if it is valid now (within one step either side) and later than
 * `lastStep`; null otherwise (a wrong code, an old one, one used already).
 */
export function totpStep(secret: string, code: string, lastStep: number | null, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = verifySync({
      secret,
      token: code,
      algorithm: 'sha1',
      digits: TOTP_DIGITS,
      period: TOTP_PERIOD_SECONDS,
      epoch: Math.floor(now / 1000),
      epochTolerance: TOTP_PERIOD_SECONDS,
      ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}
