/**
 * What the admin is told about a password they set (creation, reset): since issue 10 the server
 * makes it temporary (API.md) — the person replaces it at their next sign-in — and an admin's reset
 * never touches the person's second factor. One place for these words.
 */
export const PASSWORD_HANDOVER =
  'C’est un mot de passe provisoire : la personne en choisira un à elle à sa prochaine connexion. Transmettez-le par un moyen sûr (de vive voix, par téléphone), jamais dans le même message que l’adresse électronique. Il ne sera plus affiché.';

/** Under the first password of a new account. */
export const FIRST_PASSWORD_HINT =
  'Au moins 12 caractères, ni courant ni tiré du nom. Il est provisoire : la personne le remplacera à sa première connexion, puis ajoutera son second facteur (une application d’authentification). « Générer » en propose un sûr.';

/** Above an admin's reset. */
export const RESET_HELP =
  'Pour une personne qui a oublié le sien. Le nouveau mot de passe est provisoire : elle le remplacera à sa prochaine connexion. Son second facteur reste en place ; un mot de passe enregistré ici efface aussi ses tentatives de connexion échouées.';
