import type { Profession } from '../../access/policy.types.js';
import type { ProviderKind } from './oidc.config.js';

/**
 * What a provider's claims prove, read as ProConnect and Pro Santé Connect document them.
 *
 * Assurance: both express the level of the authentication in `acr` with the eIDAS levels
 * (`eidas1` substantial-less, a password; `eidas2` substantial; `eidas3` high), and ProConnect
 * lists the methods used in `amr` (`mfa` when more than one factor was used). A sign-in at
 * eidas2 or above, or with `mfa` in `amr`, already passed two factors: the local second factor
 * is not asked again. A `generic` provider's claims are not trusted for that.
 */
const STRONG_ACR = new Set(['eidas2', 'eidas3']);

export function strongAssurance(kind: ProviderKind, claims: { acr?: unknown; amr?: unknown }): boolean {
  if (kind === 'generic') return false;
  if (typeof claims.acr === 'string' && STRONG_ACR.has(claims.acr)) return true;
  return Array.isArray(claims.amr) && claims.amr.includes('mfa');
}

/** The acr values asked of the provider: the lowest level it accepts (the answer's acr says what was done). */
export function requestedAcr(kind: ProviderKind): string | undefined {
  return kind === 'generic' ? undefined : 'eidas1';
}

/** The scopes asked: Pro Santé Connect's `scope_all` releases the RPPS (SubjectNameID) and the professions (SubjectRefPro). */
export function scopesOf(kind: ProviderKind): string {
  if (kind === 'prosanteconnect') return 'openid scope_all';
  if (kind === 'proconnect') return 'openid email uid';
  return 'openid email';
}

/**
 * Pro Santé Connect's profession codes (nomenclature TRE_G15 of the ANS) as Cellule's
 * professions: médecin, infirmier (and infirmier psychiatrique), psychologue; every other health
 * profession of the RPPS is `other_health`.
 */
const PSC_PROFESSIONS: Record<string, Profession> = { '10': 'physician', '60': 'nurse', '69': 'nurse', '93': 'psychologist' };

export interface ProvenProfession {
  rpps: string;
  profession: Profession;
}

/**
 * The RPPS number and profession of a Pro Santé Connect userinfo: `SubjectNameID` is the national
 * identifier (`8` followed by the 11 digits of the RPPS), `SubjectRefPro.exercices[].codeProfession`
 * the professions practised (the first one counts). Undefined when either is missing or malformed.
 */
export function provenProfession(userinfo: Record<string, unknown>): ProvenProfession | undefined {
  const id = userinfo.SubjectNameID;
  if (typeof id !== 'string' || !/^8[0-9]{11}$/.test(id)) return undefined;
  const refPro = userinfo.SubjectRefPro as { exercices?: unknown } | undefined;
  const exercices = refPro && Array.isArray(refPro.exercices) ? (refPro.exercices as Array<Record<string, unknown>>) : [];
  const code = exercices.map((e) => e?.codeProfession).find((c): c is string => typeof c === 'string' && /^[0-9]{2}$/.test(c));
  if (!code) return undefined;
  return { rpps: id.slice(1), profession: PSC_PROFESSIONS[code] ?? 'other_health' };
}
