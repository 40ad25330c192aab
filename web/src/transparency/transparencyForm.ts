import type { Schemas } from '../api/client';
import { longDate } from '../shared/format';

export type TransparencyAnswer = Schemas['TransparencyAnswerDto'];

/** What the person typed, checked before it is sent: the field that is missing, in plain words. */
export function transparencyProblems(reference: string, code: string): { reference?: string; code?: string } {
  const problems: { reference?: string; code?: string } = {};
  if (!reference.trim()) problems.reference = 'Écrivez la référence de votre situation. Elle est sur votre récépissé.';
  const symbols = code.replace(/[\s-]/g, '');
  if (!symbols) problems.code = 'Écrivez le code. Il est dans le cadre de votre récépissé.';
  else if (symbols.length !== 20) problems.code = 'Le code a 20 signes (5 groupes de 4). Vérifiez sur votre récépissé.';
  return problems;
}

/** The server's refusal, in plain words: the same for a wrong code and an unknown reference. */
export function refusalText(status: number | undefined): string {
  if (status === 404)
    return 'La référence et le code ne correspondent pas. Vérifiez-les sur votre récépissé. Si on vous a donné un nouveau récépissé, utilisez le nouveau code.';
  if (status === 429) return 'Il y a eu trop d’essais. Pour protéger votre dossier, attendez une heure avant de réessayer.';
  if (status === 400) return 'Vérifiez la référence et le code.';
  return 'La page n’a pas pu répondre. Réessayez plus tard.';
}

/** The consent, in one sentence. */
export function consentSentence(consent: TransparencyAnswer['consent']): string {
  switch (consent.state) {
    case 'given':
      return consent.expiresAt ? `Votre accord est valable jusqu’au ${longDate(consent.expiresAt)}.` : 'Votre accord est valable.';
    case 'withdrawn':
      return `Vous avez retiré votre accord le ${longDate(consent.withdrawnAt)}. Plus rien n’est partagé.`;
    case 'expired':
      return `Votre accord s’est arrêté le ${longDate(consent.expiresAt)}. Plus rien n’est partagé.`;
    case 'refused':
      return 'Vous n’avez pas donné votre accord. Rien sur vous n’est partagé.';
    default:
      return 'Votre accord n’a pas encore été enregistré.';
  }
}
