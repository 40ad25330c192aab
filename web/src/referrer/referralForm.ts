import type { CreateCaseBody } from '../api/queries';
import { parisDay, parseFrenchDate } from '../shared/format';

/**
 * The fiche de saisine as the screen holds it (strings as typed), its checks before sending, and
 * the body of POST /cases. Errors are keyed by the request's field paths (`summary.narrative`),
 * the same keys the server's refusals use, so both land under the same field.
 */
type Summary = CreateCaseBody['summary'];
type ProtectionMeasure = NonNullable<CreateCaseBody['protection']>['measure'];
type ParentRelation = NonNullable<CreateCaseBody['parentalAuthority']>[number]['relation'];

/** A holder of parental authority of a minor person, as typed. */
export interface ParentForm {
  key: string;
  relation: ParentRelation | '';
  lastName: string;
  firstName: string;
  phone: string;
}

let parentKeys = 0;
export const emptyParent = (): ParentForm => ({ key: `parent-${++parentKeys}`, relation: '', lastName: '', firstName: '', phone: '' });

export interface ReferralForm {
  commissionId: string;
  lastName: string;
  firstName: string;
  /** As typed: JJ/MM/AAAA, or the year alone (AAAA) when that is all that is known; may stay empty. */
  birthDate: string;
  address: string;
  phone: string;
  email: string;
  ageBand: Summary['ageBand'] | '';
  district: string;
  household: Summary['household'] | '';
  problems: Summary['problems'];
  question: string;
  narrative: string;
  alreadyTried: string;
  partnersInvolved: NonNullable<Summary['partnersInvolved']>;
  expectations: string;
  minorInHousehold: '' | 'yes' | 'no';
  urgent: '' | 'yes' | 'no';
  social: string;
  health: string;
  /** The protective measure the person is under, if any, and the mandataire's organisation. */
  protectionMeasure: ProtectionMeasure | '';
  protectionOrganisation: string;
  /** For a minor person (age band 0-17): the holders of parental authority. */
  parents: ParentForm[];
}

export function emptyReferral(commissionId = ''): ReferralForm {
  return {
    commissionId,
    lastName: '',
    firstName: '',
    birthDate: '',
    address: '',
    phone: '',
    email: '',
    ageBand: '',
    district: '',
    household: '',
    problems: [],
    question: '',
    narrative: '',
    alreadyTried: '',
    partnersInvolved: [],
    expectations: '',
    minorInHousehold: '',
    urgent: '',
    social: '',
    health: '',
    protectionMeasure: '',
    protectionOrganisation: '',
    parents: [],
  };
}

/** The pseudonymised texts: the ones the cellule reads, checked for the person's name. */
export const PSEUDONYMISED_FIELDS = ['question', 'narrative', 'alreadyTried', 'expectations', 'district'] as const;

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Whether a text names the person (a first check in the page; the server's leak guard is the
 * authority and also looks for birth dates, phones, addresses, emails and NIR).
 */
export function namesPerson(text: string, lastName: string, firstName: string): boolean {
  const words = new Set(fold(text).split(/[^\p{L}]+/u));
  const parts = [...fold(lastName).split(/[^\p{L}]+/u), ...fold(firstName).split(/[^\p{L}]+/u)].filter((p) => p.length >= 3);
  return parts.some((part) => words.has(part));
}

const NAME_IN_TEXT = "Ce texte contient le nom ou le prénom de la personne. Pseudonymisez-le avant d'enregistrer (par exemple « Mme X », « la personne »).";

export function validateReferral(form: ReferralForm, today = new Date()): Record<string, string> {
  const errors: Record<string, string> = {};
  const required = (key: string, value: string, message: string) => {
    if (!value.trim()) errors[key] = message;
  };
  required('commissionId', form.commissionId, 'Choisissez la cellule à saisir.');
  required('identity.lastName', form.lastName, 'Indiquez le nom de la personne.');
  required('identity.firstName', form.firstName, 'Indiquez le prénom de la personne.');
  const birth = form.birthDate.trim();
  if (/^\d{4}$/.test(birth)) {
    if (Number(birth) < 1900 || Number(birth) > Number(parisDay(today).slice(0, 4)))
      errors['identity.birthDate'] = `Cette année n'est pas possible : entre 1900 et ${parisDay(today).slice(0, 4)}.`;
  } else if (birth) {
    const iso = parseFrenchDate(birth);
    if (!iso) errors['identity.birthDate'] = "Cette date n'existe pas : écrivez-la au format JJ/MM/AAAA (par exemple 14/03/1957), ou l'année seule.";
    else if (iso > parisDay(today)) errors['identity.birthDate'] = 'La date de naissance ne peut pas être dans le futur.';
  }
  if (form.phone.trim() && !/^[+\d][\d .\-()]{5,24}$/.test(form.phone.trim()))
    errors['identity.phone'] = 'Écrivez un numéro de téléphone, par exemple 06 12 34 56 78.';
  if (form.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim()))
    errors['identity.email'] = 'Écrivez une adresse électronique, par exemple nom@exemple.fr.';
  if (!form.ageBand) errors['summary.ageBand'] = "Choisissez la tranche d'âge.";
  required('summary.district', form.district, 'Indiquez le quartier (sans numéro ni nom de rue).');
  if (!form.household) errors['summary.household'] = 'Choisissez la composition du foyer.';
  if (!form.problems.length) errors['summary.problems'] = 'Cochez au moins une difficulté.';
  required('summary.question', form.question, 'Formulez la question posée à la cellule.');
  if (!form.minorInHousehold) errors['summary.minorInHousehold'] = 'Répondez par oui ou par non.';
  if (!form.urgent) errors['summary.urgent'] = 'Répondez par oui ou par non.';
  if (form.protectionOrganisation.trim() && !form.protectionMeasure) errors['protection.measure'] = 'Choisissez la mesure que ce service exerce.';
  if (form.ageBand === '0-17')
    form.parents.forEach((parent, i) => {
      const at = `parentalAuthority.${i}`;
      if (!parent.relation) errors[`${at}.relation`] = 'Indiquez le lien avec l’enfant.';
      if (!parent.lastName.trim()) errors[`${at}.lastName`] = 'Indiquez le nom.';
      if (!parent.firstName.trim()) errors[`${at}.firstName`] = 'Indiquez le prénom.';
      if (parent.phone.trim() && !/^[+\d][\d .\-()]{5,24}$/.test(parent.phone.trim()))
        errors[`${at}.phone`] = 'Écrivez un numéro de téléphone, par exemple 06 12 34 56 78.';
    });
  for (const field of PSEUDONYMISED_FIELDS) {
    const key = `summary.${field}`;
    if (!errors[key] && form[field] && namesPerson(form[field], form.lastName, form.firstName)) errors[key] = NAME_IN_TEXT;
  }
  return errors;
}

function optional(value: string): string | undefined {
  return value.trim() ? value.trim() : undefined;
}

export function referralBody(form: ReferralForm): CreateCaseBody {
  return {
    commissionId: form.commissionId,
    identity: {
      lastName: form.lastName.trim(),
      firstName: form.firstName.trim(),
      birthDate: /^\d{4}$/.test(form.birthDate.trim()) ? form.birthDate.trim() : optional(parseFrenchDate(form.birthDate) ?? form.birthDate),
      address: optional(form.address),
      phone: optional(form.phone),
      email: optional(form.email),
    },
    summary: {
      ageBand: form.ageBand as Summary['ageBand'],
      district: form.district.trim(),
      household: form.household as Summary['household'],
      problems: form.problems,
      question: form.question.trim(),
      narrative: form.narrative.trim(),
      alreadyTried: optional(form.alreadyTried),
      partnersInvolved: form.partnersInvolved,
      expectations: optional(form.expectations),
      minorInHousehold: form.minorInHousehold === 'yes',
      urgent: form.urgent === 'yes',
    },
    ...(form.protectionMeasure
      ? { protection: { measure: form.protectionMeasure, ...(form.protectionOrganisation.trim() ? { organisation: form.protectionOrganisation.trim() } : {}) } }
      : {}),
    ...(form.ageBand === '0-17' && form.parents.length
      ? {
          parentalAuthority: form.parents.map((p) => ({
            relation: p.relation as ParentRelation,
            lastName: p.lastName.trim(),
            firstName: p.firstName.trim(),
            ...(p.phone.trim() ? { phone: p.phone.trim() } : {}),
          })),
        }
      : {}),
    ...(form.social.trim() ? { social: { narrative: form.social.trim() } } : {}),
    ...(form.health.trim() ? { health: { narrative: form.health.trim() } } : {}),
  };
}

/** The DOM id of the field a request path names (ids without dots, for links from the error summary). */
export function fieldId(path: string): string {
  return `champ-${path.replace(/\./g, '-')}`;
}
