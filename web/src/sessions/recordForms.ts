/**
 * The forms of the session as prepared and held (issue 12): a member's written contribution, a
 * partner without an account on the attendance sheet, the record of one situation examined. Each
 * checks what the server would refuse, in French, on the field; the leak guard stays the server's
 * (its refusal is shown on the field it names).
 */

import type { Outcome } from '../shared/labels';

export const CONTRIBUTION_MAX = 2000;
export const RECORD_TEXT_MAX = 4000;

export const DECISION_LABEL = {
  plan_adopted: 'Plan d’action adopté',
  deferred: 'Examen reporté',
  advice: 'Avis donné au référent',
  closed: 'Situation clôturée',
} as const;
export type Decision = keyof typeof DECISION_LABEL;

export const DEFERRAL_LABEL = {
  information_missing: 'Informations manquantes',
  person_not_consulted: 'Personne pas encore consultée',
  partner_absent: 'Partenaire concerné absent',
  out_of_time: 'Temps insuffisant en séance',
  other: 'Autre motif',
} as const;
export type DeferralReason = keyof typeof DEFERRAL_LABEL;

export const SHEET_ROLE_LABEL = { member: 'membre', deputy: 'suppléant·e', invited: 'invité·e' } as const;

/** A contribution: not empty, at most 2 000 characters. */
export function contributionProblems(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (!trimmed) return { text: 'Écrivez votre contribution, ou laissez ce champ pour une autre situation.' };
  if (trimmed.length > CONTRIBUTION_MAX) return { text: `${CONTRIBUTION_MAX} caractères au plus (actuellement ${trimmed.length}).` };
  return {};
}

export interface GuestForm {
  /** An organisation of the directory (its id), or '' when it is named below. */
  organisationId: string;
  organisationLabel: string;
  functionLabel: string;
  caseId: string;
}

export const EMPTY_GUEST: GuestForm = { organisationId: '', organisationLabel: '', functionLabel: '', caseId: '' };

/** A partner present without an account: an organisation (from the directory, or named), a function — never a person's name. */
export function guestProblems(form: GuestForm): Record<string, string> {
  const problems: Record<string, string> = {};
  const label = form.organisationLabel.trim();
  if (!form.organisationId && !label) problems.organisationId = 'Choisissez l’organisation, ou écrivez son nom si elle n’est pas dans l’annuaire.';
  if (form.organisationId && label) problems.organisationLabel = 'Choisissez l’organisation dans la liste, ou écrivez son nom : pas les deux.';
  if (label && label.length < 2) problems.organisationLabel = 'Le nom de l’organisation est trop court.';
  if (label.length > 120) problems.organisationLabel = '120 caractères au plus.';
  if (form.functionLabel.trim().length > 80) problems.functionLabel = '80 caractères au plus.';
  return problems;
}

export function guestBody(form: GuestForm): { organisationId?: string; organisationLabel?: string; functionLabel?: string; caseId?: string } {
  const label = form.organisationLabel.trim();
  const fn = form.functionLabel.trim();
  return {
    ...(form.organisationId ? { organisationId: form.organisationId } : { organisationLabel: label }),
    ...(fn ? { functionLabel: fn } : {}),
    ...(form.caseId ? { caseId: form.caseId } : {}),
  };
}

export interface RecordItemForm {
  /** '' when the situation's events say it (then it is not sent). */
  decision: Decision | '';
  deferralReason: DeferralReason | '';
  /** An outcome category of CLOSE (shared/labels OUTCOMES), or ''. */
  outcome: Outcome | '';
  analysis: string;
  recommendations: string;
}

/**
 * The record of one situation: the decision is the events' when they say it (`derived`); else
 * the coordinator chooses it. A reason only for a deferral, an outcome only for a closing not sent
 * as an event; texts of at most 4 000 characters.
 */
export function recordItemProblems(form: RecordItemForm, derived: Decision | null): Record<string, string> {
  const problems: Record<string, string> = {};
  const decision = derived ?? form.decision;
  if (!decision) problems.decision = 'Indiquez la décision de la commission.';
  if (form.deferralReason && decision !== 'deferred') problems.deferralReason = 'Un motif de report ne va qu’avec un examen reporté.';
  if (decision === 'deferred' && !form.deferralReason) problems.deferralReason = 'Indiquez le motif du report.';
  if (decision === 'closed' && derived !== 'closed' && !form.outcome) problems.outcome = 'Indiquez l’issue de la situation.';
  for (const field of ['analysis', 'recommendations'] as const) {
    if (form[field].trim().length > RECORD_TEXT_MAX) problems[field] = `${RECORD_TEXT_MAX} caractères au plus.`;
  }
  return problems;
}

export function recordItemBody(
  form: RecordItemForm,
  derived: Decision | null,
): { decision?: Decision; deferralReason?: DeferralReason; outcome?: Outcome; analysis: string | null; recommendations: string | null } {
  const decision = derived ?? (form.decision || undefined);
  return {
    ...(derived ? {} : decision ? { decision } : {}),
    ...(decision === 'deferred' && form.deferralReason ? { deferralReason: form.deferralReason } : {}),
    ...(decision === 'closed' && derived !== 'closed' && form.outcome ? { outcome: form.outcome } : {}),
    analysis: form.analysis.trim() || null,
    recommendations: form.recommendations.trim() || null,
  };
}
