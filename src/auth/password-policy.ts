import { readFileSync } from 'node:fs';

/**
 * The password rules (ASVS 5.0 §6.2), checked on every password set: account creation, an
 * administrator's reset, the user's own change, the replacement of a temporary password, the
 * bootstrap administrator. No composition rule (§6.2.5); instead:
 * - at least 12 characters (counted as Unicode code points), at most 1024;
 * - not a common or breached password: the shipped list (common-passwords.txt, ~49,000 entries),
 *   compared without case, for the whole password and for its core once the digits and symbols
 *   people add around a word are taken away ("Password2024!" is "password");
 * - not a run of one short unit ("abcabcabcabc") nor a keyboard or alphabet sequence;
 * - not built on a word of the context (§6.1.2, §6.2.11): the account's email or name, the
 *   product's own words (CONTEXT_WORDS);
 * - in production, never the published demonstration password.
 * Messages name the rule broken, never the password.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** The password `npm run seed:demo` prints (README): published, so refused in production. */
export const DEMO_PASSWORD = 'demo-cellule-2026';

/** Words of this service that make a password easy to guess for anyone who knows where it is used. */
export const CONTEXT_WORDS = ['cellule', 'clsm', 'santementale', 'cascomplexes', 'commission', 'motdepasse'];

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiopasdfghjklzxcvbnm', 'azertyuiopqsdfghjklmwxcvbn', 'qwertzuiopasdfghjklyxcvbnm'];

let common: Set<string> | undefined;

/** The shipped list, loaded once (lines starting with # are comments). */
export function commonPasswords(): Set<string> {
  if (!common) {
    const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    common = new Set(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#')),
    );
  }
  return common;
}

/** The password without the digits, symbols and spaces around its letters, lower-cased. */
function core(lower: string): string {
  return lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

function isRepetition(text: string): boolean {
  for (let unit = 1; unit <= 4 && unit < text.length; unit++) {
    if (
      text ===
      text
        .slice(0, unit)
        .repeat(Math.ceil(text.length / unit))
        .slice(0, text.length)
    )
      return true;
  }
  return false;
}

function isSequence(text: string): boolean {
  if (text.length < 6) return false;
  return SEQUENCES.some((row) => {
    const cycle = row.repeat(Math.ceil(text.length / row.length) + 1);
    const reversed = [...cycle].reverse().join('');
    return cycle.includes(text) || reversed.includes(text);
  });
}

const lettersAndDigits = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

export interface PasswordContext {
  email?: string;
  displayName?: string;
  production?: boolean;
}

/** Why this password may not be set (a message without the password), or null when it may. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  if (context.production && password === DEMO_PASSWORD) return 'is the published demonstration password';
  const lower = password.toLowerCase();
  const list = commonPasswords();
  const inner = core(lower);
  if (list.has(lower) || list.has(inner) || list.has(lower.trim())) return 'is a common or breached password';
  const compact = lettersAndDigits(password);
  if (isRepetition(compact) || isSequence(compact) || isSequence(inner) || isRepetition(inner)) return 'is a repetition or a keyboard sequence';
  const words = [...CONTEXT_WORDS];
  const local = context.email ? lettersAndDigits(context.email.split('@')[0]) : '';
  if (local.length >= 4) words.push(local);
  const name = context.displayName ? lettersAndDigits(context.displayName) : '';
  if (name.length >= 4) words.push(name);
  const letters = compact.replace(/\p{N}+/gu, '');
  if (words.some((word) => letters === word || compact === word) || (local.length >= 4 && compact.includes(local))) {
    return 'is built on the account name, its email or the name of this service';
  }
  return null;
}
