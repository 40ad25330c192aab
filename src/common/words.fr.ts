/**
 * The French words of the codes that both the server's exports (the annual report's CSV and PDF,
 * src/stats/report.labels.ts) and the workspace (web/src/shared/labels.ts) print: one list, so
 * that a screen and a report never name one code two ways. No import: the workspace builds this
 * file too, and types each list against the API's generated schema, so a code the server adds
 * without its word here stops the workspace's typecheck.
 */

export const STATE_WORDS = {
  draft: 'Brouillon',
  submitted: 'Saisine envoyée',
  awaiting_consent: 'Consentement à recueillir',
  consent_refused: 'Consentement refusé',
  ready_for_review: "Prête pour l'examen",
  scheduled: "Inscrite à l'ordre du jour",
  in_review: 'En cours d’examen',
  plan_active: "Plan d'action en cours",
  follow_up: 'Suivi à faire',
  suspended: 'En veille ou suspendue',
  closed: 'Clôturée',
  purged: 'Effacée',
} as const;

export const SECTOR_WORDS = {
  health: 'Santé (CMP, hôpital, médecin)',
  social: 'Action sociale (CCAS, service social)',
  housing: 'Logement (bailleur)',
  municipal: 'Services de la ville',
  association: 'Associations',
  justice: 'Justice',
  education: 'Éducation',
  coordination: 'Coordination du CLSM',
} as const;

/** Statistics only: a partner present at a session without an organisation of the directory. */
export const OTHER_SECTOR_WORD = 'Autre (invité sans organisation enregistrée)';

export const AGE_BAND_WORDS = {
  '0-17': 'Moins de 18 ans',
  '18-24': '18 à 24 ans',
  '25-29': '25 à 29 ans',
  '30-39': '30 à 39 ans',
  '40-49': '40 à 49 ans',
  '50-59': '50 à 59 ans',
  '60-69': '60 à 69 ans',
  '70-79': '70 à 79 ans',
  '80+': '80 ans et plus',
} as const;

export const PROBLEM_WORDS = {
  care_refusal: 'Refus de soins',
  rent_arrears: 'Impayés de loyer',
  eviction_risk: 'Risque d’expulsion',
  self_neglect: 'Incurie',
  violence: 'Violences',
  suicide_risk: 'Risque suicidaire',
  loss_of_autonomy: 'Perte d’autonomie',
  housing: 'Logement (impayés, risque d’expulsion, insalubrité)',
  care_continuity: 'Rupture ou continuité des soins',
  hoarding: 'Syllogomanie (accumulation)',
  neighbourhood_conflict: 'Troubles du voisinage',
  isolation: 'Isolement',
  addiction: 'Addictions',
  financial: 'Difficultés financières',
  access_to_rights: 'Accès aux droits',
  family: 'Difficultés familiales',
  behaviour: 'Troubles du comportement',
  hygiene: 'Hygiène',
  ageing: 'Vieillissement, perte d’autonomie',
  other: 'Autre',
} as const;

/** How a situation was closed (`open`: not closed). */
export const CLOSURE_WORDS = {
  open: 'Non clôturée',
  rejected: 'Saisine non retenue',
  refused: 'Close après un refus de consentement',
  outcome: 'Close avec un résultat',
  withdrawn: 'Consentement retiré',
  expired: 'Données effacées (durée de conservation)',
  deleted: 'Brouillon supprimé par le référent',
} as const;

/** The outcome categories chosen at closure (CLOSE). */
export const OUTCOME_WORDS = {
  resolved: 'La situation est résolue',
  improved: 'La situation s’est améliorée',
  oriented: 'Orientée vers un autre dispositif',
  advice_given: 'Avis donné au référent',
  no_change: 'Sans évolution',
  person_declined: 'La personne a refusé l’accompagnement',
  lost_contact: 'La personne n’a plus pu être contactée',
  other: 'Autre résultat',
} as const;

/** Why an unfinished action is carried over at a plan revision (REVISE_PLAN). */
export const CARRY_REASON_WORDS = {
  circumstances_changed: 'La situation a changé',
  agency_did_not_act: 'L’organisation n’a pas pu agir',
  person_declined: 'La personne a refusé',
} as const;

/** Why an action is cancelled at a plan revision. */
export const CANCEL_REASON_WORDS = { ...CARRY_REASON_WORDS, no_longer_needed: 'N’est plus nécessaire' } as const;

/** Why an action is blocked (the « Ce qui bloque » table). */
export const BLOCK_REASON_WORDS = {
  care_waiting_list: 'Liste d’attente pour des soins (CMP…)',
  no_adapted_housing: 'Pas de logement adapté',
  person_unreachable: 'La personne est injoignable',
  person_declined: 'La personne a refusé',
  awaiting_other_body: 'En attente d’un autre organisme',
  other: 'Autre raison',
} as const;

/** A reason the statistics could not tell (an action carried over before reasons were asked). */
export const REASON_NOT_GIVEN_WORD = 'Raison non précisée';

export const MONTH_WORDS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;
