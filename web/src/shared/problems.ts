import { ApiError, type Problem } from '../api/client';

/**
 * The server's refusals in French, attached to the field they name. The leak guard
 * (src/cases/case-text.ts) answers 422 with `errors: [{ field, message }]` and never the text;
 * the validation pipe answers 400 the same way.
 */
const LEAK_KIND: [RegExp, string][] = [
  [/the person's name/, 'le nom ou le prénom de la personne'],
  [/a birth date/, 'une date de naissance'],
  [/a phone number/, 'un numéro de téléphone'],
  [/an email address/, 'une adresse électronique'],
  [/an address/, 'une adresse'],
  [/a social security number/, 'un numéro de sécurité sociale'],
  [/an identifier of the person/, 'un élément qui identifie la personne'],
];

export const EMERGENCY_TEXT =
  "Une cellule de cas complexes n'est pas un service d'urgence. En cas d'urgence, appelez le 15 (SAMU) ou le 112, ou le service d'urgence psychiatrique de l'hôpital ; pour un enfant en danger, le 119.";

function frenchMessage(problem: Problem, message: string): string {
  if (problem.type.endsWith('/identifying_text')) {
    const kind = LEAK_KIND.find(([pattern]) => pattern.test(message))?.[1] ?? 'un élément qui identifie la personne';
    return `Ce texte contient ${kind}. Pseudonymisez-le avant d'enregistrer (par exemple « Mme X », « la personne »).`;
  }
  if (problem.type.endsWith('/emergency')) return EMERGENCY_TEXT;
  if (/should not be empty|longer than or equal to 1 characters/.test(message)) return 'Ce champ est obligatoire.';
  if (/must be shorter than or equal to (\d+)/.test(message)) return `Ce texte est trop long (au plus ${/(\d+)/.exec(message)![1]} caractères).`;
  return "Cette valeur n'est pas acceptée.";
}

/** field path (as in the request body, e.g. `summary.narrative`) → what to say under that field. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem?.errors) return {};
  const problem = error.problem;
  return Object.fromEntries(problem.errors!.map((e) => [e.field, frenchMessage(problem, e.message)]));
}

/** field path → the leak guard's rewording of the text refused there (only for a writer who may see what it replaces). */
export function proposalsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem) return {};
  const { proposals, proposal } = error.problem;
  return Object.fromEntries((proposals ?? (proposal ? [proposal] : [])).map((p) => [p.field, p.text]));
}

/** One sentence for an error that no single field explains. */
export function generalError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Le serveur ne répond pas. Vérifiez la connexion et réessayez.';
  switch (error.status) {
    case 403:
      return 'Votre compte ne permet pas cette action sur cette situation.';
    case 404:
      return "Cette situation n'existe pas, ou vous n'y avez pas accès.";
    case 409:
      return 'La situation a changé entre-temps (une autre personne a agi). La page a été mise à jour : vérifiez avant de recommencer.';
    case 422:
    case 400:
      return 'Certains champs sont à corriger : voyez les messages sous chacun.';
    case 429:
      return 'Trop de tentatives. Patientez quelques minutes avant de réessayer.';
    default:
      return 'Une erreur est survenue. Réessayez ; si elle persiste, prévenez la coordination.';
  }
}
