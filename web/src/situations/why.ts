import type { CaseView, Schemas } from '../api/client';
import { longDate } from '../shared/format';
import { RELATION_LABEL } from '../shared/labels';

/**
 * Why this account sees the situation, and until when: one line per relation the server
 * answered, each with the end of that access, and the consent's end for what it releases. The
 * server decides again at every request; these words say what ends it.
 */
const UNTIL: Record<Schemas['Relation'], (view: CaseView) => string> = {
  referrer: (view) =>
    view.meta?.closedAt
      ? `tant qu’elle est conservée : elle est close depuis le ${longDate(view.meta.closedAt)}, et ses informations protégées seront effacées au terme de la durée de conservation`
      : 'tant qu’elle est conservée ; ses informations protégées sont effacées au terme de la durée de conservation qui suit sa clôture',
  referring_service: () =>
    'tant que vous travaillez dans le service qui l’a adressée (son état et le consentement seulement, pour pouvoir enregistrer un retrait)',
  coordinator: () => 'tant que vous coordonnez la cellule de ce territoire (sans jamais l’identité ni les récits)',
  attending_member: () => 'pendant la séance, jusqu’à sa clôture par la coordination',
  action_owner: () => 'tant que le plan d’action est en cours',
};

/** The relations that receive protected classes only with the person's consent (policies/visibility.yaml). */
const UNDER_CONSENT: readonly Schemas['Relation'][] = ['attending_member', 'action_owner'];

export function whyAndUntil(view: CaseView): { lines: string[]; consent?: string } {
  const lines = view.relations.map((r) => `${RELATION_LABEL[r].charAt(0).toUpperCase()}${RELATION_LABEL[r].slice(1)} : ${UNTIL[r](view)}.`);
  const consent = view.consent;
  const shared = view.released.some((c) => c === 'identity' || c === 'health' || c === 'social');
  const underConsent = view.relations.some((r) => UNDER_CONSENT.includes(r));
  return {
    lines,
    consent:
      underConsent && shared && consent?.valid && consent.expiresAt
        ? `Les informations protégées vous sont communiquées au plus tard jusqu’au ${longDate(consent.expiresAt)}, fin du consentement de la personne, ou jusqu’à son retrait.`
        : undefined,
  };
}
