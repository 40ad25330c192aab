import { ApiError, type Schemas } from '../api/client';
import { ROLE_LABEL } from '../shared/labels';
import { fieldErrors } from '../shared/problems';

/**
 * An account as the admin's form holds it, its checks before sending, the bodies of POST /users
 * and PATCH /users/:id, and the server's refusals in French on the field they concern — the
 * separation of duties (policies/access.yaml `accounts`) on the roles, an email already used on
 * the email. What the roles allow together is the server's to say: the form does not guess it.
 */
export type Role = Schemas['Role'];
export type Profession = Schemas['Profession'];

export interface AccountForm {
  email: string;
  displayName: string;
  organisationId: string;
  roles: Role[];
  profession: Profession | '';
  password: string;
}

export const EMPTY_ACCOUNT: AccountForm = { email: '', displayName: '', organisationId: '', roles: [], profession: '', password: '' };

export const MIN_PASSWORD = 12;

export function accountProblems(form: AccountForm, creating: boolean): Partial<Record<keyof AccountForm, string>> {
  const problems: Partial<Record<keyof AccountForm, string>> = {};
  if (creating && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim()))
    problems.email = 'Écrivez une adresse électronique complète, par exemple a.martin@cmp-exemple.fr.';
  if (!form.displayName.trim()) problems.displayName = 'Ce champ est obligatoire.';
  if (!form.roles.length) problems.roles = 'Choisissez au moins un rôle.';
  if (!form.profession) problems.profession = 'Choisissez une catégorie, ou « Aucune de ces catégories ».';
  if ((creating || form.password) && form.password.length < MIN_PASSWORD) problems.password = `Au moins ${MIN_PASSWORD} caractères.`;
  return problems;
}

export function createBody(form: AccountForm): Schemas['CreateUserDto'] {
  return {
    email: form.email.trim().toLowerCase(),
    displayName: form.displayName.trim(),
    ...(form.organisationId ? { organisationId: form.organisationId } : {}),
    roles: form.roles,
    profession: form.profession as Profession,
    password: form.password,
  };
}

/** What changed, for PATCH /users/:id (roles compared as sets). */
export function updateBody(before: Schemas['UserDto'], form: AccountForm): Schemas['UpdateUserDto'] {
  const body: Schemas['UpdateUserDto'] = {};
  if (form.displayName.trim() !== before.displayName) body.displayName = form.displayName.trim();
  if ([...form.roles].sort().join() !== [...before.roles].sort().join()) body.roles = form.roles;
  if (form.profession && form.profession !== before.profession) body.profession = form.profession;
  return body;
}

/** The roles a refusal names (« the roles admin and member are not held by one account »), in French. */
function clashInFrench(message: string): string | undefined {
  const match = /the roles (\w+) and (\w+) are not held by one account/.exec(message);
  if (!match) return undefined;
  // In the order the form lists the roles, whichever order the policy names them in.
  const order = Object.keys(ROLE_LABEL);
  const [a, b] = [match[1], match[2]].sort((x, y) => order.indexOf(x) - order.indexOf(y)).map((r) => ROLE_LABEL[r as Role] ?? r);
  return `Un même compte ne peut pas être à la fois « ${a} » et « ${b} » : c’est la séparation des fonctions (qui administre ou contrôle ne lit pas les situations, et le DPO contrôle la coordination). Créez deux comptes distincts si une même personne exerce les deux fonctions.`;
}

/** The server's refusal, by field of the form. */
export function accountServerProblems(error: unknown): Partial<Record<keyof AccountForm | 'general', string>> {
  if (!(error instanceof ApiError)) return {};
  if (error.status === 409) {
    if (/email/i.test(error.problem?.detail ?? '')) return { email: 'Un compte existe déjà avec cette adresse électronique.' };
    if (/themself|own admin role/i.test(error.problem?.detail ?? '')) {
      return { general: 'Vous ne pouvez ni désactiver votre propre compte, ni lui retirer le rôle qui permet d’administrer les comptes.' };
    }
  }
  const out: Partial<Record<keyof AccountForm | 'general', string>> = {};
  for (const e of error.problem?.errors ?? []) {
    if (e.field === 'roles') out.roles = clashInFrench(e.message) ?? 'Cette combinaison de rôles n’est pas acceptée.';
    else if (e.field === 'organisationId') {
      out.organisationId = /required/.test(e.message)
        ? 'Ce rôle s’exerce pour une organisation : choisissez-la (seuls l’administration et le DPO peuvent ne pas en avoir).'
        : 'Cette organisation n’existe pas.';
    } else if (e.field === 'password') {
      out.password = /common|breached|sequence|repetition|account name|email|service/i.test(e.message)
        ? 'Ce mot de passe est trop facile à deviner (courant, suite de touches, ou tiré du nom du compte) : utilisez le bouton « Générer ».'
        : `Au moins ${MIN_PASSWORD} caractères.`;
    } else if (e.field === 'email') out.email = 'Cette adresse électronique n’est pas valable.';
    else out[e.field as keyof AccountForm] = fieldErrors(error)[e.field];
  }
  return out;
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A password for the admin to hand over: 16 characters of an alphabet without look-alikes
 * (l/1, O/0), in four groups, from the browser's cryptographic generator (no modulo bias).
 */
export function generatePassword(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const chars: string[] = [];
  const limit = 256 - (256 % ALPHABET.length);
  while (chars.length < 16) {
    for (const byte of random(new Uint8Array(32))) {
      if (byte < limit && chars.length < 16) chars.push(ALPHABET[byte % ALPHABET.length]);
    }
  }
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
