import type { CaseView } from '../api/client';

/**
 * EDIT_DRAFT and RECTIFY as the referrer fills them in on the situation page (issue 12): the
 * identity and the summary's texts, pre-filled with what the record holds; only what was changed is
 * sent (a rectification keeps the previous value of each field it sends, sealed, in the history).
 * An emptied optional field is sent as null (removed); the names, the question and the narrative
 * cannot be emptied.
 */
export const IDENTITY_FIELDS = ['lastName', 'firstName', 'birthDate', 'address', 'phone', 'email'] as const;
export const SUMMARY_FIELDS = ['district', 'question', 'narrative', 'alreadyTried', 'expectations'] as const;
type IdentityField = (typeof IDENTITY_FIELDS)[number];
type SummaryField = (typeof SUMMARY_FIELDS)[number];

export type ReferralChangeForm = Record<`identity.${IdentityField}` | `summary.${SummaryField}`, string>;

export const FIELD_LABEL: Record<keyof ReferralChangeForm, string> = {
  'identity.lastName': 'Nom',
  'identity.firstName': 'Prénom',
  'identity.birthDate': 'Date ou année de naissance (AAAA-MM-JJ ou AAAA)',
  'identity.address': 'Adresse',
  'identity.phone': 'Téléphone',
  'identity.email': 'Courriel',
  'summary.district': 'Quartier',
  'summary.question': 'Question posée à la cellule',
  'summary.narrative': 'Récit pseudonymisé',
  'summary.alreadyTried': 'Ce qui a déjà été tenté',
  'summary.expectations': 'Ce que vous attendez de la cellule',
};

const REQUIRED: (keyof ReferralChangeForm)[] = ['identity.lastName', 'identity.firstName', 'summary.district', 'summary.question', 'summary.narrative'];

const stored = (view: CaseView, key: keyof ReferralChangeForm): string => {
  const [group, field] = key.split('.') as ['identity' | 'summary', string];
  const value = (view[group] as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : '';
};

/** The form as the record stands (identity only where this viewer receives it). */
export function referralChangeForm(view: CaseView): ReferralChangeForm {
  return Object.fromEntries(
    [...IDENTITY_FIELDS.map((f) => `identity.${f}`), ...SUMMARY_FIELDS.map((f) => `summary.${f}`)].map((key) => [
      key,
      stored(view, key as keyof ReferralChangeForm),
    ]),
  ) as ReferralChangeForm;
}

/** Problems keyed like the server's fields; and the body of the event with only what changed. */
export function referralChanges(view: CaseView, form: ReferralChangeForm): [Record<string, string>, Record<string, unknown>] {
  const problems: Record<string, string> = {};
  const body: { identity?: Record<string, string | null>; summary?: Record<string, string | null> } = {};
  for (const key of Object.keys(form) as (keyof ReferralChangeForm)[]) {
    const value = form[key].trim();
    if (value === stored(view, key).trim()) continue;
    if (!value && REQUIRED.includes(key)) {
      problems[key] = 'Ce champ ne peut pas être vidé.';
      continue;
    }
    if (key === 'identity.birthDate' && value && !/^\d{4}(-\d{2}-\d{2})?$/.test(value)) {
      problems[key] = 'Une date AAAA-MM-JJ, ou seulement l’année AAAA.';
      continue;
    }
    const [group, field] = key.split('.') as ['identity' | 'summary', string];
    (body[group] ??= {})[field] = value || null;
  }
  if (!Object.keys(problems).length && !body.identity && !body.summary) problems.form = 'Rien n’a été modifié.';
  return [problems, body];
}
