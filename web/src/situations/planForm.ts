import type { EventFields } from '../api/queries';
import { addMonthsToDay, frenchDay, parisDay, parisInstant, parseFrenchDate } from '../shared/format';

/**
 * ADOPT_PLAN as the coordinator fills it in session: the actions (a pseudonymised title, the
 * organisation that owns it, a due date) and the next follow-up (default: in 3 months, the
 * policy's delay). Dates are typed JJ/MM/AAAA, French days; errors are keyed by the request's
 * field paths (`actions.0.title`) so the server's refusals land on the same fields.
 */
export interface PlanActionRow {
  /** A stable key for the row while the list is edited. */
  key: string;
  title: string;
  ownerOrganisationId: string;
  /** JJ/MM/AAAA */
  due: string;
}

export interface PlanForm {
  actions: PlanActionRow[];
  /** JJ/MM/AAAA */
  followUp: string;
}

export const FOLLOW_UP_MONTHS = 3;
export const TITLE_MAX = 300;

let rows = 0;
export function newActionRow(): PlanActionRow {
  return { key: `action-${++rows}`, title: '', ownerOrganisationId: '', due: '' };
}

export function emptyPlan(today: Date = new Date()): PlanForm {
  return { actions: [newActionRow()], followUp: frenchDay(addMonthsToDay(parisDay(today), FOLLOW_UP_MONTHS)) };
}

export function planProblems(form: PlanForm, today: Date = new Date()): Record<string, string> {
  const problems: Record<string, string> = {};
  const todayDay = parisDay(today);
  if (!form.actions.length) problems.actions = 'Un plan compte au moins une action.';
  form.actions.forEach((action, i) => {
    if (!action.title.trim()) problems[`actions.${i}.title`] = 'Décrivez l’action.';
    else if (action.title.trim().length > TITLE_MAX) problems[`actions.${i}.title`] = `Ce texte est trop long (au plus ${TITLE_MAX} caractères).`;
    if (!action.ownerOrganisationId) problems[`actions.${i}.ownerOrganisationId`] = 'Choisissez l’organisation qui s’en charge.';
    const due = parseFrenchDate(action.due);
    if (!due) problems[`actions.${i}.dueAt`] = 'Indiquez l’échéance au format JJ/MM/AAAA.';
    else if (due < todayDay) problems[`actions.${i}.dueAt`] = 'L’échéance ne peut pas être déjà passée.';
  });
  const followUp = parseFrenchDate(form.followUp);
  if (!followUp) problems.followUpAt = 'Indiquez la date du point d’étape au format JJ/MM/AAAA.';
  else if (followUp <= todayDay) problems.followUpAt = 'Le point d’étape doit être après aujourd’hui.';
  return problems;
}

/** The body of ADOPT_PLAN: an action is due at the end of its day, the follow-up in the morning of its own (Paris time). */
export function planBody(form: PlanForm): EventFields<'ADOPT_PLAN'> {
  return {
    actions: form.actions.map((a) => ({
      title: a.title.trim(),
      ownerOrganisationId: a.ownerOrganisationId,
      dueAt: parisInstant(parseFrenchDate(a.due)!, 23 * 60 + 59),
    })),
    followUpAt: parisInstant(parseFrenchDate(form.followUp)!, 9 * 60),
  };
}

/**
 * The server's refusals of a plan, by field. A coordinator never sees the person's identity, so
 * the leak guard names an action title without its position (`actions.title`: telling which one
 * would let guesses be tested): that refusal goes to the list as a whole.
 */
export function planErrors(byField: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(byField)) {
    if (field === 'actions.title')
      errors.actions = `L’un des intitulés d’action contient un élément qui identifie la personne. Pseudonymisez-les avant d’adopter le plan.`;
    else errors[field] = message;
  }
  return errors;
}
