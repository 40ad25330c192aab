/**
 * What the admin is told about a password they set (creation, reset). One place, so that the day
 * the server makes such passwords temporary (API.md; issue 10) the screens say so at once.
 */
export const PASSWORD_HANDOVER =
  'Transmettez-le par un moyen sûr (de vive voix, par téléphone), jamais dans le même message que l’adresse électronique. Il ne sera plus affiché.';
