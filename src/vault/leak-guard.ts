import { fold, normaliseBirthDate, words } from './normalise.js';

/**
 * Rule 5 of the secrecy model: pseudonymised texts (summary, plan) must not identify the person.
 * Checks the case's own identity fields and generic identifiers, accent-, case- and
 * separator-insensitively. Returns only the kind of hit, never the matched text, so the caller
 * can refuse with a message naming the field and the kind — and, for a writer who may see what
 * was found, a rewording with the offending words replaced (`proposeRewording`, issue 12).
 *
 * A surname or first name that is an ordinary French word (Petit, Blanc, Rose, Claire…) is found
 * only where it is used as a name: capitalised, after a title (M., Mme…) or beside the other name —
 * "un petit studio" is no hit for Mme Petit (issue 12).
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

/**
 * Surnames and first names that are also ordinary French words (folded): matched only where used
 * as a name. Common in France as names (INSEE name files) and as words in a social worker's note.
 */
export const NAMES_THAT_ARE_WORDS: ReadonlySet<string> = new Set([
  // surnames
  'petit',
  'blanc',
  'blanche',
  'noir',
  'brun',
  'roux',
  'rousseau',
  'leger',
  'carre',
  'bonnet',
  'boucher',
  'boulanger',
  'charpentier',
  'berger',
  'meunier',
  'fontaine',
  'chevalier',
  'mercier',
  'marchand',
  'moulin',
  'bois',
  'riviere',
  'page',
  'roche',
  'renard',
  'poirier',
  'colin',
  'picard',
  'gay',
  'fort',
  'grand',
  'gros',
  'bon',
  'beau',
  'bel',
  'doux',
  'vieux',
  'jeune',
  'franc',
  'gentil',
  'richard',
  'bourgeois',
  'baron',
  'collet',
  'cousin',
  'germain',
  'breton',
  'pelletier',
  'barre',
  'poulain',
  'chauvin',
  'marechal',
  'cordier',
  'gaillard',
  'barbier',
  'bouvier',
  'millet',
  'masse',
  'marin',
  'loup',
  'lion',
  'coq',
  'pin',
  'chene',
  'vigne',
  'lievre',
  'sage',
  'juste',
  'roi',
  'prince',
  'comte',
  'duc',
  'pape',
  'vallee',
  'lac',
  'mont',
  'champ',
  'champs',
  'pont',
  'porte',
  'tour',
  'bouchard',
  'faucon',
  'pigeon',
  'merle',
  'moineau',
  'rossignol',
  'poisson',
  'mouton',
  'boeuf',
  'vache',
  'chat',
  'lapin',
  'bailly',
  'carpentier',
  'tessier',
  'mallet',
  'charron',
  'tanneur',
  'potier',
  'pasteur',
  'clerc',
  'lemaitre',
  'maitre',
  'noble',
  'riche',
  'bastide',
  'hardy',
  'cadet',
  'aine',
  'bigot',
  'lamy',
  'laine',
  'paris',
  'france',
  'jean',
  'marie',
  // first names
  'claire',
  'rose',
  'pierre',
  'aime',
  'aimee',
  'desire',
  'desiree',
  'reine',
  'olive',
  'violette',
  'marguerite',
  'capucine',
  'prune',
  'jade',
  'ambre',
  'iris',
  'constance',
  'prudence',
  'patience',
  'grace',
  'clementine',
  'aurore',
  'oceane',
  'celeste',
  'victoire',
  'fleur',
  'perle',
  'esperance',
  'noel',
  'pascal',
  'modeste',
  'clement',
  'constant',
  'fidele',
  'ange',
  'olivier',
  'laurier',
  'sylvain',
  'romain',
  'auguste',
  'benoit',
  'innocent',
  'amandine',
  'madeleine',
  'mirabelle',
  'colombe',
  'cerise',
  'lys',
  'souci',
  'victor',
  'max',
  'basile',
  'florence',
  'valence',
  'lorraine',
  'gabrielle',
  'martin',
  'guy',
  'yves',
  'louis',
  'bastien',
]);

/** A word of the text: folded, where it is in the folded text, whether the writer capitalised it. */
interface Token {
  w: string;
  /** Offsets in the folded text (end exclusive). */
  s: number;
  e: number;
  capital: boolean;
}

/**
 * The text folded (src/vault/normalise.ts) character by character, remembering where each folded
 * character came from in the (NFC) original — so a hit found on the folded text can be replaced in
 * the original — and its words, each with whether it was written with a capital.
 */
interface Analysed {
  original: string;
  folded: string;
  from: number[];
  to: number[];
  tokens: Token[];
  words: string[];
}

function analyse(text: string): Analysed {
  const original = text.normalize('NFC');
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < original.length;) {
    const ch = String.fromCodePoint(original.codePointAt(i)!);
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    folded += f;
    i += ch.length;
  }
  const tokens: Token[] = [];
  for (const m of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
    const s = m.index;
    const first = original.slice(from[s], to[s]);
    tokens.push({ w: m[0], s, e: s + m[0].length, capital: first !== first.toLowerCase() && first === first.toUpperCase() });
  }
  return { original, folded, from, to, tokens, words: tokens.map((t) => t.w) };
}

/** A hit: its kind and where it is in the folded text. */
interface Span {
  kind: LeakKind;
  s: number;
  e: number;
}

function indexesOf(tokens: string[], seq: string[]): number[] {
  const found: number[] = [];
  outer: for (let i = 0; i + seq.length <= tokens.length; i++) {
    for (let j = 0; j < seq.length; j++) if (tokens[i + j] !== seq[j]) continue outer;
    found.push(i);
  }
  return found;
}

/**
 * Where the name (parts `parts`) is used as a name at token i: after a title, or next to the other
 * name; or (unless only those count, for a 2-letter name) written with a capital.
 */
function usedAsName(a: Analysed, i: number, length: number, otherName: string[], capitalCounts: boolean): boolean {
  const tokens = a.words;
  const before = tokens[i - 1];
  if (before !== undefined && CIVILITIES.has(before)) return true;
  if (otherName.length > 0) {
    const after = tokens.slice(i + length, i + length + otherName.length).join(' ');
    const beforeSeq = tokens.slice(Math.max(0, i - otherName.length), i).join(' ');
    if (after === otherName.join(' ') || beforeSeq === otherName.join(' ')) return true;
  }
  return capitalCounts && a.tokens.slice(i, i + length).some((t) => t.capital);
}

const tokenSpan = (a: Analysed, i: number, length: number): Span => ({ kind: 'name', s: a.tokens[i].s, e: a.tokens[i + length - 1].e });

function nameSpans(a: Analysed, name: string, role: 'first' | 'last', otherName: string[]): Span[] {
  const tokens = a.words;
  const parts = words(name);
  const joined = parts.join('');
  if (joined.length === 0) return [];
  // Very short first names ("Al", "Jo") would fire on ordinary words.
  if (role === 'first' && joined.length <= 2) return [];
  const at = indexesOf(tokens, parts);
  if (joined.length <= 2) {
    // A 2-letter last name ("Vu", "Ly") is a common French word too: only next to a civility
    // or to the first name does it designate the person.
    return at.filter((i) => usedAsName(a, i, parts.length, otherName, false)).map((i) => tokenSpan(a, i, parts.length));
  }
  // A name that is an ordinary word ("Petit", "Rose") counts only where it is used as a name.
  const asName = (word: string, i: number, length: number) => !NAMES_THAT_ARE_WORDS.has(word) || usedAsName(a, i, length, otherName, true);
  const spans = at.filter((i) => asName(joined, i, parts.length)).map((i) => tokenSpan(a, i, parts.length));
  if (parts.length > 1) {
    tokens.forEach((t, i) => {
      if (t === joined) spans.push(tokenSpan(a, i, 1));
    });
  }
  // Each substantial part of a compound last name identifies on its own ("Mme Dupont" for
  // Lefèvre-Dupont); not so for compound first names ("Claire" of Marie-Claire is a word).
  if (role === 'last' && parts.length > 1) {
    for (const p of parts) {
      if (p.length < 4 || NAME_PARTICLES.has(p)) continue;
      tokens.forEach((t, i) => {
        if (t === p && asName(p, i, 1)) spans.push(tokenSpan(a, i, 1));
      });
    }
  }
  return spans;
}

function regexSpans(kind: LeakKind, folded: string, pattern: RegExp, accept: (match: string) => boolean = () => true): Span[] {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  return [...folded.matchAll(global)].filter((m) => accept(m[0])).map((m) => ({ kind, s: m.index, e: m.index + m[0].length }));
}

function birthDateSpans(folded: string, birthDate: string): Span[] {
  const iso = normaliseBirthDate(birthDate);
  if (!iso) return [];
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
  return patterns.flatMap((p) => regexSpans('birth_date', folded, new RegExp(p, 'u')));
}

// Separators between digits vanish ("06 12.34-56 78", "+33 (0)6…"); letters split runs.
const DIGIT_RUN = /\d(?:[\s.\-/()+]*\d)*/gu;

function phoneSpans(folded: string, phone: string): Span[] {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return [];
  // The last 9 digits are the same in the national (0X…) and international (+33 X…) forms.
  const key = digits.slice(-9);
  return regexSpans('phone', folded, DIGIT_RUN, (run) => run.replace(/\D/g, '').includes(key));
}

function emailSpans(folded: string, email: string): Span[] {
  const e = fold(email).trim();
  if (!e.includes('@') || e.length <= 3) return [];
  const spans: Span[] = [];
  for (let at = folded.indexOf(e); at >= 0; at = folded.indexOf(e, at + 1)) spans.push({ kind: 'email', s: at, e: at + e.length });
  return spans;
}

function addressSpans(a: Analysed, address: string): Span[] {
  const tokens = a.words;
  const parts = words(address);
  let numberAt = parts.findIndex((t, i) => HOUSE_NUMBER.test(t) && STREET_WORDS.has(parts[i + 1] ?? ''));
  if (numberAt < 0) numberAt = parts.findIndex((t) => HOUSE_NUMBER.test(t));
  if (numberAt < 0) return [];
  const number = HOUSE_NUMBER.exec(parts[numberAt])![1];
  const streetWord = parts.slice(numberAt + 1).find((t) => !STREET_WORDS.has(t) && !/^\d+$/.test(t));
  if (!streetWord) return [];
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const n = HOUSE_NUMBER.exec(tokens[i]);
    if (!n || n[1] !== number) continue;
    // Number, then (skipping street types, particles, bis/ter) the first word of the street name.
    for (let j = i + 1; j < tokens.length && j <= i + 5; j++) {
      if (tokens[j] === streetWord) {
        // The rest of the street name, as far as the text follows the address ("Victor Hugo").
        let k = j;
        while (k + 1 < tokens.length && parts.includes(tokens[k + 1])) k += 1;
        spans.push({ kind: 'address', s: a.tokens[i].s, e: a.tokens[k].e });
        break;
      }
      if (!STREET_WORDS.has(tokens[j])) break;
    }
  }
  return spans;
}

// NIR: sex (1/2, 7/8 for temporary numbers), year, month, department (2A/2B for Corsica),
// commune, order number, optional 2-digit key; groups may be separated.
const NIR = /(?<!\d)[1278][\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?(?:\d{2}|2[ab])[\s.-]?\d{3}[\s.-]?\d{3}(?:[\s.-]?\d{2})?(?!\d)/u;
const FRENCH_PHONE = /(?<![\d+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)/u;
const INTERNATIONAL_PHONE = /(?<![\d+])\+\d{1,3}(?:[\s.-]?\(?\d+\)?){2,}/gu;
const EMAIL = /[\p{L}\p{N}._%+-]+\s?(?:@|\[at\]|\(at\))\s?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}/u;

/**
 * The detectors, most specific first, so the kind reported is the precise one ("anais.ld@…" is an
 * email): each answers every place it finds in the text.
 */
function detectors(a: Analysed, identity: IdentityHints): (() => Span[])[] {
  const first = identity.firstName ? words(identity.firstName) : [];
  const last = identity.lastName ? words(identity.lastName) : [];
  return [
    () => (identity.email ? emailSpans(a.folded, identity.email) : []),
    () => (identity.phone ? phoneSpans(a.folded, identity.phone) : []),
    () => (identity.birthDate ? birthDateSpans(a.folded, identity.birthDate) : []),
    () => (identity.address ? addressSpans(a, identity.address) : []),
    () => [
      ...(identity.lastName ? nameSpans(a, identity.lastName, 'last', first.join('').length > 2 ? first : []) : []),
      ...(identity.firstName ? nameSpans(a, identity.firstName, 'first', last) : []),
    ],
    () => regexSpans('nir', a.folded, NIR),
    () => [...regexSpans('phone', a.folded, FRENCH_PHONE), ...regexSpans('phone', a.folded, INTERNATIONAL_PHONE, (m) => m.replace(/\D/g, '').length >= 9)],
    () => regexSpans('email', a.folded, EMAIL),
  ];
}

export function findIdentifyingText(text: string, identity: IdentityHints = {}): { kind: LeakKind } | null {
  if (!text) return null;
  const a = analyse(text);
  for (const detect of detectors(a, identity)) {
    const [hit] = detect();
    if (hit) return { kind: hit.kind };
  }
  return null;
}

/** What stands for each kind in a proposed rewording. */
const PLACEHOLDER: Record<LeakKind, string> = {
  name: 'X',
  birth_date: '[date de naissance]',
  phone: '[téléphone]',
  email: '[courriel]',
  address: '[adresse]',
  nir: '[NIR]',
};

/**
 * The text with every identifier the guard finds (of `identity`, and the generic ones) replaced:
 * names by "X" (first and last name together by one "X"), the others by a bracketed word. Offered
 * with a refusal to a writer who may see those fields — computed from them only, so it tells the
 * writer nothing they do not know (issue 12). Null when nothing is found.
 */
export function proposeRewording(text: string, identity: IdentityHints = {}): string | null {
  if (!text) return null;
  const a = analyse(text);
  const spans = detectors(a, identity)
    .flatMap((detect) => detect())
    .sort((x, y) => x.s - y.s || y.e - x.e);
  if (!spans.length) return null;
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    // Overlapping hits are one; so are two names with only a space or a hyphen between them.
    const between = last ? a.folded.slice(last.e, span.s) : '';
    if (last && (span.s < last.e || (last.kind === 'name' && span.kind === 'name' && /^[\s-]*$/u.test(between)))) {
      last.e = Math.max(last.e, span.e);
      continue;
    }
    merged.push({ ...span });
  }
  let out = '';
  let cursor = 0;
  for (const span of merged) {
    const start = a.from[span.s];
    const end = a.to[span.e - 1];
    out += a.original.slice(cursor, start) + PLACEHOLDER[span.kind];
    cursor = end;
  }
  return out + a.original.slice(cursor);
}
