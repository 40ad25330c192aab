import {
  AGE_BAND_WORDS,
  BLOCK_REASON_WORDS,
  CANCEL_REASON_WORDS,
  CLOSURE_WORDS,
  MONTH_WORDS,
  OTHER_SECTOR_WORD,
  OUTCOME_WORDS,
  PROBLEM_WORDS,
  REASON_NOT_GIVEN_WORD,
  SECTOR_WORDS,
  STATE_WORDS,
} from '../common/words.fr.js';

/**
 * The words of the annual report's exports (CSV, PDF): the codes' words are the workspace's
 * (src/common/words.fr.ts, one list for both); the sections' titles are the report's own. A code
 * without a word is printed as is.
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

export const STATE: Record<string, string> = STATE_WORDS;

export const SECTOR: Record<string, string> = { ...SECTOR_WORDS, other: OTHER_SECTOR_WORD };

export const AGE_BAND: Record<string, string> = AGE_BAND_WORDS;

export const PROBLEM: Record<string, string> = PROBLEM_WORDS;

export const CLOSURE: Record<string, string> = CLOSURE_WORDS;

export const OUTCOME: Record<string, string> = OUTCOME_WORDS;

export const REASON: Record<string, string> = { ...BLOCK_REASON_WORDS, ...CANCEL_REASON_WORDS, not_given: REASON_NOT_GIVEN_WORD };

export const BLOCAGE_KIND: Record<string, string> = { carried_over: 'Reportée', blocked: 'Bloquée' };

export const MONTH: readonly string[] = MONTH_WORDS;

export const label = (labels: Record<string, string>, key: string) => labels[key] ?? (key === 'unknown' ? 'Non renseigné' : key);
