/**
 * The words of the annual report's exports (CSV, PDF): French, as the workspace says them
 * (web/src/shared/labels.ts). A code without a label is printed as is.
 */
export const SECTION = {
  territories: 'Territoires réunis dans ce rapport',
  total: 'Saisines reçues dans l’année',
  byMonth: 'Saisines reçues chaque mois',
  byState: 'Étape où en sont les situations de l’année',
  byProblem: 'Difficultés rencontrées (une situation peut en avoir plusieurs)',
  byReferrerSector: 'Saisines par secteur du référent',
  byAgeBand: 'Saisines par tranche d’âge',
  byClosure: 'Comment elles ont été closes',
  sessionsHeld: 'Séances tenues',
  examined: 'Situations examinées en séance dans l’année',
  byOutcome: 'Résultats retenus à la clôture (situations closes dans l’année)',
  consents: 'Consentements',
  attendanceBySector: 'Présences en séance par secteur (personnes)',
  sessionsBySector: 'Séances où le secteur était présent',
  actions: 'Actions des plans',
  carriedOver: 'Actions reportées, par raison',
  cancelled: 'Actions annulées, par raison',
  delays: 'Délais médians (jours)',
  blocages: 'Ce qui bloque : actions reportées ou bloquées, par raison et secteur du porteur',
} as const;

export const STATE: Record<string, string> = {
  draft: 'Brouillon',
  submitted: 'Saisine envoyée',
  awaiting_consent: 'Consentement à recueillir',
  consent_refused: 'Consentement refusé',
  ready_for_review: 'Prête pour l’examen',
  scheduled: 'Inscrite à l’ordre du jour',
  in_review: 'En cours d’examen',
  plan_active: 'Plan d’action en cours',
  follow_up: 'Suivi à faire',
  suspended: 'En veille ou suspendue',
  closed: 'Clôturée',
  purged: 'Effacée',
};

export const SECTOR: Record<string, string> = {
  health: 'Santé (CMP, hôpital, médecin)',
  social: 'Action sociale (CCAS, service social)',
  housing: 'Logement (bailleur)',
  municipal: 'Services de la ville',
  association: 'Associations',
  justice: 'Justice',
  education: 'Éducation',
  coordination: 'Coordination du CLSM',
  other: 'Autre (invité sans organisation enregistrée)',
};

export const AGE_BAND: Record<string, string> = {
  '0-17': 'Moins de 18 ans',
  '18-24': '18 à 24 ans',
  '25-29': '25 à 29 ans',
  '30-39': '30 à 39 ans',
  '40-49': '40 à 49 ans',
  '50-59': '50 à 59 ans',
  '60-69': '60 à 69 ans',
  '70-79': '70 à 79 ans',
  '80+': '80 ans et plus',
};

export const PROBLEM: Record<string, string> = {
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
};

export const CLOSURE: Record<string, string> = {
  open: 'Non clôturée',
  rejected: 'Saisine non retenue',
  refused: 'Close après un refus de consentement',
  outcome: 'Close avec un résultat',
  withdrawn: 'Consentement retiré',
  expired: 'Données effacées (durée de conservation)',
};

export const OUTCOME: Record<string, string> = {
  resolved: 'La situation est résolue',
  improved: 'La situation s’est améliorée',
  oriented: 'Orientée vers un autre dispositif',
  advice_given: 'Avis donné au référent',
  no_change: 'Sans évolution',
  person_declined: 'La personne a refusé l’accompagnement',
  lost_contact: 'La personne n’a plus pu être contactée',
  other: 'Autre résultat',
};

export const REASON: Record<string, string> = {
  circumstances_changed: 'La situation a changé',
  agency_did_not_act: 'L’organisation n’a pas pu agir',
  person_declined: 'La personne a refusé',
  no_longer_needed: 'N’est plus nécessaire',
  care_waiting_list: 'Liste d’attente pour des soins (CMP…)',
  no_adapted_housing: 'Pas de logement adapté',
  person_unreachable: 'La personne est injoignable',
  awaiting_other_body: 'En attente d’un autre organisme',
  other: 'Autre raison',
  not_given: 'Raison non précisée',
};

export const BLOCAGE_KIND: Record<string, string> = { carried_over: 'Reportée', blocked: 'Bloquée' };

export const MONTH = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

export const label = (labels: Record<string, string>, key: string) => labels[key] ?? (key === 'unknown' ? 'Non renseigné' : key);
