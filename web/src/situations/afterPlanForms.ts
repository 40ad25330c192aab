import type { EventFields } from '../api/queries';
import type { Schemas } from '../api/client';
import { parisDay, parisInstant, parseFrenchDate, pastDayInstant } from '../shared/format';
import { planBody, planProblems, type PlanActionRow } from './planForm';
import { CANCEL_REASON_WORDS, CARRY_REASON_WORDS } from '../../../src/common/words.fr';

/**
 * The forms of issue 12 (after the plan; reports made elsewhere), as pure functions: what is
 * missing, keyed by the request's field paths so the server's refusals land on the same fields,
 * and the request body. Dates are typed JJ/MM/AAAA (French days).
 */

// ---- SUSPEND ---------------------------------------------------------------------------------

export type HoldMode = EventFields<'SUSPEND'>['mode'];
export type HoldReason = EventFields<'SUSPEND'>['reason'];

export const HOLD_MODE_LABEL: Record<HoldMode, string> = {
  watch: 'En veille : la situation est apaisée, la cellule garde un œil dessus',
  suspended: 'Suspendue : le plan ne peut pas avancer pour l’instant',
};

export const HOLD_REASON_LABEL: Record<HoldReason, string> = {
  hospitalisation: 'Hospitalisation',
  incarceration: 'Incarcération',
  unreachable: 'Personne injoignable',
  stabilised: 'Situation stabilisée',
  other: 'Autre raison',
};

export interface HoldForm {
  mode: HoldMode | '';
  reason: HoldReason | '';
}

export function holdProblems(form: HoldForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.mode) problems.mode = 'Choisissez : en veille ou suspendue.';
  if (!form.reason) problems.reason = 'Choisissez la raison.';
  return problems;
}

export function holdBody(form: HoldForm): EventFields<'SUSPEND'> {
  return { mode: form.mode as HoldMode, reason: form.reason as HoldReason };
}

// ---- RECORD_EXTERNAL_REPORT --------------------------------------------------------------------

type Report = EventFields<'RECORD_EXTERNAL_REPORT'>;
export type ReportKind = Report['kind'];
export type LegalBasis = Report['legalBasis'];
export type ReportAuthor = Report['madeBy'];

export const REPORT_KIND_LABEL: Record<ReportKind, string> = {
  prosecutor_report: 'Signalement au procureur de la République',
  crip_information: 'Information préoccupante à la CRIP',
  care_without_consent: 'Soins psychiatriques sans consentement',
  protection_measure_request: 'Demande de mesure de protection',
};

/** The bases each kind admits: the server's policy (policies/events.yaml), repeated to offer only those. */
export const LEGAL_BASES_OF: Record<ReportKind, LegalBasis[]> = {
  prosecutor_report: ['cpp_40', 'cp_226_14'],
  crip_information: ['casf_l226_2_1', 'casf_l226_2_2'],
  care_without_consent: ['csp_l3212_1_tiers', 'csp_l3212_1_peril', 'csp_l3212_3', 'csp_l3213_1', 'csp_l3213_2'],
  protection_measure_request: ['cc_430', 'cc_494_3', 'casf_l271_6'],
};

export const LEGAL_BASIS_LABEL: Record<LegalBasis, string> = {
  cpp_40: 'Article 40 du code de procédure pénale (agent public)',
  cp_226_14: 'Article 226-14 du code pénal (personne vulnérable)',
  casf_l226_2_1: 'Article L226-2-1 du CASF (information préoccupante)',
  casf_l226_2_2: 'Article L226-2-2 du CASF (secret partagé en protection de l’enfance)',
  csp_l3212_1_tiers: 'Article L3212-1 du CSP, à la demande d’un tiers',
  csp_l3212_1_peril: 'Article L3212-1 du CSP, en cas de péril imminent',
  csp_l3212_3: 'Article L3212-3 du CSP, en urgence',
  csp_l3213_1: 'Article L3213-1 du CSP, sur décision du préfet',
  csp_l3213_2: 'Article L3213-2 du CSP, mesure provisoire du maire',
  cc_430: 'Article 430 du code civil (tutelle, curatelle)',
  cc_494_3: 'Article 494-3 du code civil (habilitation familiale)',
  casf_l271_6: 'Article L271-6 du CASF (mesure d’accompagnement judiciaire)',
};

export const REPORT_AUTHOR_LABEL: Record<ReportAuthor, string> = {
  referrer: 'Le référent de la situation',
  partner_organisation: 'Une organisation partenaire',
  mayor: 'Le maire',
  prefect: 'Le préfet',
  physician: 'Un médecin',
  relative: 'Un proche',
  person: 'La personne elle-même',
  other: 'Autre',
};

export interface ReportForm {
  kind: ReportKind | '';
  legalBasis: LegalBasis | '';
  /** JJ/MM/AAAA */
  madeOn: string;
  madeBy: ReportAuthor | '';
  madeByOrganisationId: string;
  note: string;
}

export const emptyReport = (): ReportForm => ({ kind: '', legalBasis: '', madeOn: '', madeBy: '', madeByOrganisationId: '', note: '' });

export function reportProblems(form: ReportForm, today: Date = new Date()): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.kind) problems.kind = 'Choisissez la nature du signalement ou de la mesure.';
  if (!form.legalBasis) problems.legalBasis = 'Choisissez le fondement légal.';
  else if (form.kind && !LEGAL_BASES_OF[form.kind].includes(form.legalBasis)) problems.legalBasis = 'Ce fondement ne correspond pas à cette nature.';
  const day = parseFrenchDate(form.madeOn);
  if (!day) problems.madeAt = 'Indiquez la date au format JJ/MM/AAAA.';
  else if (day > parisDay(today)) problems.madeAt = 'La date ne peut pas être à venir.';
  if (!form.madeBy) problems.madeBy = 'Indiquez qui l’a fait.';
  else if (form.madeBy === 'partner_organisation' && !form.madeByOrganisationId) problems.madeByOrganisationId = 'Choisissez l’organisation.';
  return problems;
}

/** Made at noon of its day, Paris time (the day is what is known), or now if that noon is to come. */
export function reportBody(form: ReportForm, now: Date = new Date()): EventFields<'RECORD_EXTERNAL_REPORT'> {
  return {
    kind: form.kind as ReportKind,
    legalBasis: form.legalBasis as LegalBasis,
    madeAt: pastDayInstant(parseFrenchDate(form.madeOn)!, now),
    madeBy: form.madeBy as ReportAuthor,
    ...(form.madeBy === 'partner_organisation' ? { madeByOrganisationId: form.madeByOrganisationId } : {}),
    ...(form.note.trim() ? { note: form.note.trim() } : {}),
  };
}

// ---- REVISE_PLAN --------------------------------------------------------------------------------

type PlanAction = Schemas['PlanActionDto'];
export type CarryReason = NonNullable<PlanAction['carryReason']>;
export type CancelReason = NonNullable<PlanAction['cancelReason']>;

export const CARRY_REASON_LABEL: Record<CarryReason, string> = CARRY_REASON_WORDS;
export const CANCEL_REASON_LABEL: Record<CancelReason, string> = CANCEL_REASON_WORDS;

/** What the revision does with one unfinished action of the current plan. */
export interface ExistingDecision {
  actionId: string;
  title: string;
  overdue: boolean;
  decision: 'keep' | 'carry' | 'cancel';
  /** carry: why (required when overdue); cancel: why (required) */
  reason: CarryReason | CancelReason | '';
  /** carry: a new due date, JJ/MM/AAAA (empty: unchanged) */
  due: string;
}

export interface RevisionForm {
  existing: ExistingDecision[];
  added: PlanActionRow[];
  /** JJ/MM/AAAA; empty: unchanged (the server's default in review) */
  followUp: string;
}

/** The actions a revision decides on: the unfinished ones of the latest plan version. */
export function revisionOf(actions: readonly PlanAction[]): RevisionForm {
  const latest = Math.max(0, ...actions.map((a) => a.planVersion));
  return {
    existing: actions
      .filter((a) => a.planVersion === latest && a.status !== 'done' && a.status !== 'cancelled')
      .map((a) => ({ actionId: a.id, title: a.title, overdue: a.overdue, decision: a.overdue ? 'carry' : 'keep', reason: '', due: '' })),
    added: [],
    followUp: '',
  };
}

export function revisionProblems(form: RevisionForm, today: Date = new Date()): Record<string, string> {
  const problems: Record<string, string> = {};
  const todayDay = parisDay(today);
  form.existing.forEach((e) => {
    const at = `existing.${e.actionId}`;
    if (e.decision === 'keep' && e.overdue) problems[`${at}.decision`] = 'Cette action est en retard : reportez-la avec sa raison, ou annulez-la.';
    if (e.decision === 'carry' && e.overdue && !e.reason) problems[`${at}.reason`] = 'Dites pourquoi elle n’est pas faite.';
    if (e.decision === 'cancel' && !e.reason) problems[`${at}.reason`] = 'Dites pourquoi elle est annulée.';
    if (e.decision === 'carry' && e.due) {
      const day = parseFrenchDate(e.due);
      if (!day) problems[`${at}.due`] = 'Indiquez la nouvelle échéance au format JJ/MM/AAAA.';
      else if (day <= todayDay) problems[`${at}.due`] = 'La nouvelle échéance doit être après aujourd’hui.';
    }
  });
  if (form.added.length) {
    const added = planProblems({ actions: form.added, followUp: '01/01/2999' }, today);
    for (const [field, message] of Object.entries(added)) if (field !== 'followUpAt') problems[field.replace(/^actions\./, 'add.')] = message;
  }
  if (form.followUp) {
    const day = parseFrenchDate(form.followUp);
    if (!day) problems.followUpAt = 'Indiquez la date du point d’étape au format JJ/MM/AAAA.';
    else if (day <= todayDay) problems.followUpAt = 'Le point d’étape doit être après aujourd’hui.';
  }
  const changes = form.added.length || form.followUp || form.existing.some((e) => e.decision !== 'keep' || e.due);
  if (!changes) problems.add = 'La révision ajoute, reporte ou annule au moins une action, ou déplace le point d’étape.';
  if (form.existing.every((e) => e.decision === 'cancel') && !form.added.length) problems.add = 'Le plan révisé garde ou ajoute au moins une action.';
  return problems;
}

export function revisionBody(form: RevisionForm): EventFields<'REVISE_PLAN'> {
  const carry = form.existing.filter((e) => e.decision === 'carry' || (e.decision === 'keep' && e.due));
  const cancel = form.existing.filter((e) => e.decision === 'cancel');
  return {
    ...(form.added.length ? { add: planBody({ actions: form.added, followUp: '01/01/2999' }).actions } : {}),
    ...(carry.length
      ? {
          carryOver: carry.map((e) => ({
            actionId: e.actionId,
            ...(e.reason ? { reason: e.reason as CarryReason } : {}),
            ...(e.due ? { dueAt: parisInstant(parseFrenchDate(e.due)!, 23 * 60 + 59) } : {}),
          })),
        }
      : {}),
    ...(cancel.length ? { cancel: cancel.map((e) => ({ actionId: e.actionId, reason: e.reason as CancelReason })) } : {}),
    ...(form.followUp ? { followUpAt: parisInstant(parseFrenchDate(form.followUp)!, 9 * 60) } : {}),
  };
}

/** The server names existing actions by their position in carryOver/cancel: map them back to the rows. */
export function revisionErrors(byField: Record<string, string>, body: EventFields<'REVISE_PLAN'>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(byField)) {
    const m = /^(carryOver|cancel)\.(\d+)\.(\w+)$/.exec(field);
    const entry = m ? (m[1] === 'carryOver' ? body.carryOver : body.cancel)?.[Number(m[2])] : undefined;
    if (m && entry) errors[`existing.${entry.actionId}.${m[3] === 'dueAt' ? 'due' : m[3] === 'actionId' ? 'decision' : m[3]}`] = message;
    else if (field === 'carryOver') errors.add = 'Une action en retard doit être reportée avec sa raison, ou annulée.';
    else errors[field] = message;
  }
  return errors;
}
