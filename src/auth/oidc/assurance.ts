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

/**
 * The `claims` request parameter: ProConnect puts `amr` in the ID token only when the service
 * asks for it (« Quelles sont les valeurs possibles pour le champ amr ? », ProConnect's
 * documentation for service providers, resources/claim_amr.md); without it a sign-in with two
 * factors at ProConnect would still be asked Cellule's second factor.
 */
export function requestedClaims(kind: ProviderKind): string | undefined {
  return kind === 'proconnect' ? JSON.stringify({ id_token: { amr: { essential: true } } }) : undefined;
}

/** The scopes asked: Pro Santé Connect's `scope_all` releases the RPPS (SubjectNameID) and the professions (SubjectRefPro). */
export function scopesOf(kind: ProviderKind): string {
  if (kind === 'prosanteconnect') return 'openid scope_all';
  if (kind === 'proconnect') return 'openid email uid';
  return 'openid email';
}

/**
 * Pro Santé Connect's profession codes as Cellule's professions. `SubjectRefPro.exercices[].codeProfession`
 * carries a code of the ANS nomenclature TRE_G15-ProfessionSante (the health professions of the
 * code de la santé publique; version 20250328120000, https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/),
 * or, for the professionals registered in the RPPS under a protected title or a social
 * profession, a code of TRE_R95-UsagerTitre or TRE_R94-ProfessionSocial (the RPPS's
 * « TouteProfession »). Each health profession of TRE_G15 has its line: médecin, infirmier
 * (and infirmier psychiatrique) and psychologue (TRE_R95 93; TRE_G15 93 is the same code, kept
 * deprecated) are Cellule's own; every other one (pharmacien, chirurgien-dentiste, sage-femme,
 * masseur-kinésithérapeute, the other auxiliaires médicaux…) is `other_health`. The social
 * worker (TRE_R94 41, assistant de service social) is `social_worker`. A code that is not in
 * this table (ostéopathe, psychothérapeute, chiropracteur: titles, not health professions of
 * the CSP; or a code the ANS adds later) proves nothing: the declared profession stays.
 */
export const PSC_PROFESSIONS: Readonly<Record<string, Profession>> = {
  '10': 'physician', // Médecin
  '21': 'other_health', // Pharmacien
  '26': 'other_health', // Audioprothésiste
  '28': 'other_health', // Opticien-Lunetier
  '31': 'other_health', // Assistant dentaire
  '32': 'other_health', // Physicien médical
  '35': 'other_health', // Aide-soignant (deprecated 2024-12-13)
  '36': 'other_health', // Ambulancier (deprecated 2024-12-13)
  '37': 'other_health', // Auxiliaire de puériculture (deprecated 2024-12-13)
  '38': 'other_health', // Préparateur en pharmacie hospitalière (deprecated 2024-12-13)
  '39': 'other_health', // Préparateur en pharmacie (officine) (deprecated 2024-12-13)
  '40': 'other_health', // Chirurgien-Dentiste
  '50': 'other_health', // Sage-Femme
  '60': 'nurse', // Infirmier
  '69': 'nurse', // Infirmier psychiatrique
  '70': 'other_health', // Masseur-Kinésithérapeute
  '80': 'other_health', // Pédicure-Podologue
  '81': 'other_health', // Orthoprothésiste
  '82': 'other_health', // Podo-Orthésiste
  '83': 'other_health', // Orthopédiste-Orthésiste
  '84': 'other_health', // Oculariste
  '85': 'other_health', // Epithésiste
  '86': 'other_health', // Technicien de laboratoire médical
  '91': 'other_health', // Orthophoniste
  '92': 'other_health', // Orthoptiste
  '93': 'psychologist', // Psychologue (TRE_R95-UsagerTitre)
  '94': 'other_health', // Ergothérapeute
  '95': 'other_health', // Diététicien
  '96': 'other_health', // Psychomotricien
  '98': 'other_health', // Manipulateur ERM
  '41': 'social_worker', // Assistant de service social (TRE_R94-ProfessionSocial)
};

export interface ProvenProfession {
  rpps: string;
  profession: Profession;
}

/**
 * The RPPS number and profession of a Pro Santé Connect userinfo: `SubjectNameID` is the national
 * identifier (`8` followed by the 11 digits of the RPPS), `SubjectRefPro.exercices[].codeProfession`
 * the professions practised (the first one the table above knows counts). Undefined when either is
 * missing or malformed, or when no code is in the table.
 */
export function provenProfession(userinfo: Record<string, unknown>): ProvenProfession | undefined {
  const id = userinfo.SubjectNameID;
  if (typeof id !== 'string' || !/^8[0-9]{11}$/.test(id)) return undefined;
  const refPro = userinfo.SubjectRefPro as { exercices?: unknown } | undefined;
  const exercices = refPro && Array.isArray(refPro.exercices) ? (refPro.exercices as Array<Record<string, unknown>>) : [];
  const code = exercices
    .map((e) => e?.codeProfession)
    .find((c): c is string => typeof c === 'string' && Object.prototype.hasOwnProperty.call(PSC_PROFESSIONS, c));
  if (!code) return undefined;
  return { rpps: id.slice(1), profession: PSC_PROFESSIONS[code] };
}
