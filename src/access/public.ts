/**
 * The actions open without an account (access.yaml `public`; issue 15): each rests on one fact
 * the server checks — for the transparency page, that the caller gave a situation's reference and
 * the code of its latest consent receipt. Decided here like every other access, never in a
 * controller: the service loads the facts, this says whether they open the action.
 */
import type { Policy, PublicAction, PublicFact } from './policy.types.js';

/** What the server established about an anonymous caller and one situation. */
export interface PublicFacts {
  /** The code given matches the digest of the situation's latest receipt (compared in the vault, in constant time). */
  codeMatches: boolean;
}

const PUBLIC_FACT_CHECKS: Record<PublicFact, (facts: PublicFacts) => boolean> = {
  holds_transparency_code: (facts) => facts.codeMatches,
};

export function decidePublic(policy: Policy, action: PublicAction, facts: PublicFacts): boolean {
  return PUBLIC_FACT_CHECKS[policy.public[action].fact](facts);
}
