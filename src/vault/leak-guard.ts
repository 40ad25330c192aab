import { fold, normaliseBirthDate, words } from './normalise.js';

/**
 * Rule 5 of the secrecy model: pseudonymised texts (summary, plan) must not identify the person.
 * Checks the case's own identity fields and generic identifiers, accent-, case- and
 * separator-insensitively. Returns only the kind of hit, never the matched text, so the caller
 * can refuse with a message naming the field and the kind.
 */
export type LeakKind = 'name' | 'birth_date' | 'phone' | 'email' | 'address' | 'nir';

export interface IdentityHints {
  lastName?: string | null;
  firstName?: string | null;
  /** `YYYY-MM-DD` (or `DD/MM/YYYY`). */
  birthDate?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
}

const CIVILITIES = new Set(['m', 'mr', 'mme', 'mlle', 'monsieur', 'madame', 'mademoiselle', 'mm', 'mmes']);
// Parts of compound names that are words or particles, not names on their own.
const NAME_PARTICLES = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'van',
  'von',
  'der',
  'den',
  'ter',
  'di',
  'da',
  'del',
  'della',
  'dos',
  'das',
  'el',
  'al',
  'ben',
  'bin',
  'ibn',
  'ould',
  'mac',
  'mc',
  'saint',
  'sainte',
  'st',
  'ste',
]);
const STREET_WORDS = new Set([
  'rue',
  'r',
  'avenue',
  'av',
  'ave',
  'boulevard',
  'bd',
  'bld',
  'blvd',
  'place',
  'pl',
  'chemin',
  'ch',
  'che',
  'impasse',
  'imp',
  'allee',
  'allees',
  'all',
  'route',
  'rte',
  'quai',
  'cours',
  'square',
  'sq',
  'passage',
  'pass',
  'residence',
  'res',
  'cite',
  'lotissement',
  'lot',
  'hameau',
  'ham',
  'lieu',
  'dit',
  'lieudit',
  'voie',
  'sentier',
  'faubourg',
  'fbg',
  'rond',
  'point',
  'promenade',
  'esplanade',
  'parvis',
  'villa',
  'cour',
  'mail',
  'montee',
  'traverse',
  'tsse',
  'bis',
  'ter',
  'quater',
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'l',
  'd',
  'a',
  'au',
  'aux',
  'en',
  'sur',
  'sous',
]);
const HOUSE_NUMBER = /^(\d{1,4})(?:bis|ter|quater|[a-d])?$/;

const MONTHS: string[][] = [
  ['janvier', 'janv', 'jan'],
  ['fevrier', 'fevr', 'fev'],
  ['mars', 'mar'],
  ['avril', 'avr'],
  ['mai'],
  ['juin'],
  ['juillet', 'juil'],
  ['aout'],
  ['septembre', 'sept', 'sep'],
  ['octobre', 'oct'],
  ['novembre', 'nov'],
  ['decembre', 'dec'],
];

function indexesOf(tokens: string[], seq: string[]): number[] {
  const found: number[] = [];
  outer: for (let i = 0; i + seq.length <= tokens.length; i++) {
    for (let j = 0; j < seq.length; j++) if (tokens[i + j] !== seq[j]) continue outer;
    found.push(i);
  }
  return found;
}

function nameHit(tokens: string[], name: string, role: 'first' | 'last', otherName: string[]): boolean {
  const parts = words(name);
  const joined = parts.join('');
  if (joined.length === 0) return false;
  // Very short first names ("Al", "Jo") would fire on ordinary words.
  if (role === 'first' && joined.length <= 2) return false;
  const at = indexesOf(tokens, parts);
  if (joined.length <= 2) {
    // A 2-letter last name ("Vu", "Ly") is a common French word too: only next to a civility
    // or to the first name does it designate the person.
    return at.some((i) => {
      const before = tokens[i - 1];
      const after = tokens.slice(i + parts.length, i + parts.length + otherName.length);
      const beforeSeq = tokens.slice(Math.max(0, i - otherName.length), i);
      return (
        (before !== undefined && CIVILITIES.has(before)) ||
        (otherName.length > 0 && (after.join(' ') === otherName.join(' ') || beforeSeq.join(' ') === otherName.join(' ')))
      );
    });
  }
  if (at.length) return true;
  if (parts.length > 1 && tokens.includes(joined)) return true;
  // Each substantial part of a compound last name identifies on its own ("Mme Dupont" for
  // Lefèvre-Dupont); not so for compound first names ("Claire" of Marie-Claire is a word).
  if (role === 'last' && parts.length > 1) {
    return parts.some((p) => p.length >= 4 && !NAME_PARTICLES.has(p) && tokens.includes(p));
  }
  return false;
}

function birthDateHit(folded: string, birthDate: string): boolean {
  const iso = normaliseBirthDate(birthDate);
  if (!iso) return false;
  const [y, m, d] = iso.split('-');
  const dn = Number(d);
  const mn = Number(m);
  const yy = y.slice(2);
  const day = dn < 10 ? `0?${dn}` : d;
  const dayWords = dn === 1 ? `(?:0?1|1er|premier)` : day;
  const mon = mn < 10 ? `0?${mn}` : m;
  const year = `(?:${y}|${yy})`;
  const sep = `(?:\\s*[./\\-]\\s*|\\s+)`;
  const months = MONTHS[mn - 1].join('|');
  const patterns = [
    `(?<!\\d)${dayWords}${sep}${mon}${sep}${year}(?!\\d)`,
    `(?<![\\p{L}\\p{N}])${dayWords}[\\s./\\-]*(?:${months})\\.?[\\s./\\-]*${year}(?!\\d)`,
    `(?<!\\d)${y}${sep}${mon}${sep}${day}(?!\\d)`,
    `(?<!\\d)(?:${d}${m}${y}|${y}${m}${d}|${d}${m}${yy})(?!\\d)`,
  ];
  return patterns.some((p) => new RegExp(p, 'u').test(folded));
}

function digitRuns(folded: string): string[] {
  // Separators between digits vanish ("06 12.34-56 78", "+33 (0)6…"); letters split runs.
  return folded.replace(/[\s.\-/()+]+/g, '').match(/\d+/g) ?? [];
}

function phoneHit(folded: string, phone: string): boolean {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return false;
  // The last 9 digits are the same in the national (0X…) and international (+33 X…) forms.
  const key = digits.slice(-9);
  return digitRuns(folded).some((run) => run.includes(key));
}

function emailHit(folded: string, email: string): boolean {
  const e = fold(email).trim();
  return e.includes('@') && e.length > 3 && folded.includes(e);
}

function addressHit(tokens: string[], address: string): boolean {
  const parts = words(address);
  let numberAt = parts.findIndex((t, i) => HOUSE_NUMBER.test(t) && STREET_WORDS.has(parts[i + 1] ?? ''));
  if (numberAt < 0) numberAt = parts.findIndex((t) => HOUSE_NUMBER.test(t));
  if (numberAt < 0) return false;
  const number = HOUSE_NUMBER.exec(parts[numberAt])![1];
  const streetWord = parts.slice(numberAt + 1).find((t) => !STREET_WORDS.has(t) && !/^\d+$/.test(t));
  if (!streetWord) return false;
  for (let i = 0; i < tokens.length; i++) {
    const n = HOUSE_NUMBER.exec(tokens[i]);
    if (!n || n[1] !== number) continue;
    // Number, then (skipping street types, particles, bis/ter) the first word of the street name.
    for (let j = i + 1; j < tokens.length && j <= i + 5; j++) {
      if (tokens[j] === streetWord) return true;
      if (!STREET_WORDS.has(tokens[j])) break;
    }
  }
  return false;
}

// NIR: sex (1/2, 7/8 for temporary numbers), year, month, department (2A/2B for Corsica),
// commune, order number, optional 2-digit key; groups may be separated.
const NIR = /(?<!\d)[1278][\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?(?:\d{2}|2[ab])[\s.-]?\d{3}[\s.-]?\d{3}(?:[\s.-]?\d{2})?(?!\d)/u;
const FRENCH_PHONE = /(?<![\d+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)/u;
const INTERNATIONAL_PHONE = /(?<![\d+])\+\d{1,3}(?:[\s.-]?\(?\d+\)?){2,}/gu;
const EMAIL = /[\p{L}\p{N}._%+-]+\s?(?:@|\[at\]|\(at\))\s?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}/u;

function genericPhoneHit(folded: string): boolean {
  if (FRENCH_PHONE.test(folded)) return true;
  for (const m of folded.matchAll(INTERNATIONAL_PHONE)) if (m[0].replace(/\D/g, '').length >= 9) return true;
  return false;
}

export function findIdentifyingText(text: string, identity: IdentityHints = {}): { kind: LeakKind } | null {
  if (!text) return null;
  const folded = fold(text);
  const tokens = words(text);
  const first = identity.firstName ? words(identity.firstName) : [];
  const last = identity.lastName ? words(identity.lastName) : [];
  // Most specific first, so the kind reported is the precise one ("anais.ld@…" is an email).
  if (identity.email && emailHit(folded, identity.email)) return { kind: 'email' };
  if (identity.phone && phoneHit(folded, identity.phone)) return { kind: 'phone' };
  if (identity.birthDate && birthDateHit(folded, identity.birthDate)) return { kind: 'birth_date' };
  if (identity.address && addressHit(tokens, identity.address)) return { kind: 'address' };
  if (identity.lastName && nameHit(tokens, identity.lastName, 'last', first.join('').length > 2 ? first : [])) return { kind: 'name' };
  if (identity.firstName && nameHit(tokens, identity.firstName, 'first', last)) return { kind: 'name' };
  if (NIR.test(folded)) return { kind: 'nir' };
  if (genericPhoneHit(folded)) return { kind: 'phone' };
  if (EMAIL.test(folded)) return { kind: 'email' };
  return null;
}
