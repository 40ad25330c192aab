/**
 * The one rule of consent validity (DESIGN.md, "Consent"): a consent counts only when it was
 * granted, has not been withdrawn and has not expired — an expired consent counts as none until
 * renewed. Expiry is exclusive: at `expiresAt` it is over.
 *
 * The machine asks it of its context (guards), the policy of the latest consent row (release),
 * the case view to answer `consent.valid`: all three through this function.
 */
export type ConsentStatus = 'none' | 'granted' | 'refused' | 'withdrawn';

/** What validity depends on; `expiresAt` null means no expiry. */
export interface ConsentStanding {
  status: ConsentStatus;
  expiresAt: string | Date | null;
}

function epochMs(value: string | Date): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

export function consentValidAt(consent: ConsentStanding | null | undefined, at: string | Date): boolean {
  if (!consent || consent.status !== 'granted') return false;
  if (consent.expiresAt === null) return true;
  const now = epochMs(at);
  const expires = epochMs(consent.expiresAt);
  return Number.isFinite(now) && Number.isFinite(expires) && expires > now;
}

/** The standing of a recorded consent row (decision, withdrawal, expiry). */
export function standingOf(row: { decision: 'granted' | 'refused'; withdrawnAt: string | Date | null; expiresAt: string | Date | null }): ConsentStanding {
  return { status: row.withdrawnAt ? 'withdrawn' : row.decision, expiresAt: row.expiresAt };
}
