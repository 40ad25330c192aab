import type { Profession } from '../../access/policy.types.js';
import type { ProviderKind } from './oidc.config.js';

/**
 * What a provider's claims prove, read as ProConnect and Pro Santé Connect document them.
 *
 * Assurance: both express the level of the authentication in `acr` with the eIDAS levels
 * (`eidas1` low, a password; `eidas2` substantial; `eidas3` high). ProConnect adds levels whose
 * authentication had two factors — `eidas0-mfa`, `eidas1-mfa` (its « Niveaux d'assurance eidas
 * pour les Fournisseurs de Service », proconnect-gouv/proconnect-espace-partenaires,
 * docs/fournisseur-service/niveaux-eidas.md) and the older `…/self-asserted-2fa`,
 * `…/consistency-checked-2fa` (double_authentification.md) — and lists the methods used in `amr`
 * (`mfa` when more than one factor was used). A sign-in at eidas2 or above, at one of ProConnect's
 * two-factor levels, or with `mfa` in `amr`, already passed two factors: the local second factor
 * is not asked again. A `generic` provider's claims are not trusted for that.
 *
 * Pro Santé Connect answers `eidas1` (its only level, per the ANS's connector) for means that all
 * have two factors: the CPS card read with its PIN, or the e-CPS application with its password
 * and, since June 2022, a dynamic code confirmed on the enrolled phone (the ANS's announcement as
 * reported by DSIH, « Plus de garanties pour la carte e-CPS », 2022-06-14; the PGSSI-S's means of
 * electronic identification, « authentification forte » for health professionals). Its `eidas1`
 * is therefore strong; a PSC token below it is refused altogether (acrAccepted).
 */
const STRONG_ACR = new Set(['eidas2', 'eidas3']);
const PROCONNECT_MFA_ACR = new Set([
  'eidas0-mfa',
  'eidas1-mfa',
  'https://proconnect.gouv.fr/assurance/self-asserted-2fa',
  'https://proconnect.gouv.fr/assurance/consistency-checked-2fa',
]);

export function strongAssurance(kind: ProviderKind, claims: { acr?: unknown; amr?: unknown }): boolean {
  if (kind === 'generic') return false;
  if (kind === 'prosanteconnect' && acrAccepted(kind, claims.acr)) return true;
  if (typeof claims.acr === 'string' && (STRONG_ACR.has(claims.acr) || (kind === 'proconnect' && PROCONNECT_MFA_ACR.has(claims.acr)))) return true;
  return Array.isArray(claims.amr) && claims.amr.includes('mfa');
}

/**
 * The `acr_values` sent. Pro Santé Connect: `eidas1`, the level the ANS's own connector asks
 * (ansforge/keycloak-prosanteconnect: « Seul le niveau eIDAS 1 est pris en charge », sent as
 * acr_values). ProConnect: none — its authorization endpoint takes only the parameters its guide
 * lists, « tout paramètre supplémentaire dans l'URL génèrera une erreur Y000400 »
 * (docs/fournisseur-service/implementation_technique.md), and `acr` is asked in `claims` instead.
 */
export function requestedAcr(kind: ProviderKind): string | undefined {
  return kind === 'prosanteconnect' ? 'eidas1' : undefined;
}

/**
 * Whether the ID token's `acr` is a level the sign-in may stand on. Pro Santé Connect's must be
 * one of the eIDAS levels, at least the `eidas1` asked: the ANS's connector refuses an ID token
 * whose level is missing or lower (« The returned eIDAS level cannot be retrieved » /
 * « … is insufficient »). The others answer what their users have; their `acr` only decides the
 * second factor (above).
 */
export function acrAccepted(kind: ProviderKind, acr: unknown): boolean {
  if (kind !== 'prosanteconnect') return true;
  return acr === 'eidas1' || (typeof acr === 'string' && STRONG_ACR.has(acr));
}

/**
 * The `claims` request parameter, ProConnect's way to ask for the claims of the ID token: `amr`,
 * which it puts in the ID token only when asked (« Par défaut, ce claim n'est pas inclus dans l'ID
 * Token et doit être explicitement demandé », niveaux-acr.md; the form of its guide's
 * authorization parameters, `{"amr":{"essential":true}}`), and `acr`, the level (« consulter le
 * niveau ACR de l'authentification », `{"acr":null}`). Without `amr` a sign-in with two factors
 * at ProConnect would still be asked Cellule's second factor.
 */
export function requestedClaims(kind: ProviderKind): string | undefined {
  return kind === 'proconnect' ? JSON.stringify({ id_token: { amr: { essential: true }, acr: null } }) : undefined;
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
