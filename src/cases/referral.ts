/**
 * The content of a referral as its referrer writes it (POST /cases), edits it while a draft
 * (EDIT_DRAFT) and rectifies it once submitted (RECTIFY, GDPR art. 16): where each member is kept
 * (a clear category of the `cases` row, or a field sealed in its class), the rules that tie members
 * together, the leak check of its pseudonymised texts, and the previous values a rectification
 * keeps — sealed in the class of the value, so that only who may read that class reads them.
 */
import type { EntityManager } from 'typeorm';
import { IDENTITY_FIELDS } from '../access/policy.types.js';
import { AppError } from '../common/errors.js';
import type { FieldClass, Vault } from '../vault/vault.js';
import type { VaultService } from '../vault/vault.service.js';
import { checkTexts } from './case-text.js';
import type { CreateCaseDto, ParentDto, ProtectionDto } from './dto/create-case.dto.js';

/** Free-text members of the summary: sealed, and checked for identifying content. */
export const SUMMARY_TEXT_FIELDS = ['question', 'narrative', 'alreadyTried', 'expectations'] as const;

/** The classes a referral's content is sealed in, and the fields of each. */
export const REFERRAL_FIELDS = {
  identity: [...IDENTITY_FIELDS, 'parentalAuthority'],
  summary: [...SUMMARY_TEXT_FIELDS],
  social: ['narrative', 'protectionMeasure', 'protectionOrganisation'],
  health: ['narrative'],
} as const satisfies Partial<Record<FieldClass, readonly string[]>>;
export type ReferralClass = keyof typeof REFERRAL_FIELDS;
export const REFERRAL_CLASSES = Object.keys(REFERRAL_FIELDS) as ReferralClass[];

/** The clear categories of the summary (columns of `cases`: statistics, agendas, notices). */
export interface ReferralCategories {
  ageBand: string;
  district: string;
  household: string;
  problems: string[];
  partnersInvolved: string[];
  minorInHousehold: boolean;
  urgent: boolean;
}
const CATEGORY_FIELDS = ['ageBand', 'district', 'household', 'problems', 'partnersInvolved', 'minorInHousehold', 'urgent'] as const;

export interface ReferralContent {
  categories: ReferralCategories;
  /** Sealed fields, class by class; null: absent. */
  sealed: Record<ReferralClass, Record<string, string | null>>;
}

/** A previous value kept by a rectification: `prev_<version>_<field>`, sealed in the value's class. */
export const PREVIOUS_PREFIX = 'prev_';
const PREVIOUS_FIELD = /^prev_(\d+)_([A-Za-z][A-Za-z0-9]*)$/;
export const previousField = (version: number, field: string) => `${PREVIOUS_PREFIX}${version}_${field}`;
export const isPreviousField = (field: string) => field.startsWith(PREVIOUS_PREFIX);

const emptySealed = (): ReferralContent['sealed'] => ({ identity: {}, summary: {}, social: {}, health: {} });
const blankToNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value.trim() === '' ? null : value.trim());

function parentsJson(parents: ParentDto[] | null | undefined): string | null {
  if (!parents?.length) return null;
  return JSON.stringify(
    parents.map((p) => ({
      relation: p.relation,
      lastName: p.lastName.trim(),
      firstName: p.firstName.trim(),
      ...(p.phone ? { phone: p.phone.trim() } : {}),
      ...(p.address ? { address: p.address.trim() } : {}),
    })),
  );
}

function setProtection(social: Record<string, string | null>, protection: ProtectionDto | null | undefined): void {
  social.protectionMeasure = protection?.measure ?? null;
  social.protectionOrganisation = blankToNull(protection?.organisation);
}

/** The content of a new referral (POST /cases). */
export function contentOfNew(dto: CreateCaseDto): ReferralContent {
  const s = dto.summary;
  const id = dto.identity;
  const sealed = emptySealed();
  sealed.identity = {
    lastName: id.lastName.trim(),
    firstName: id.firstName.trim(),
    birthDate: id.birthDate ?? null,
    address: blankToNull(id.address),
    phone: blankToNull(id.phone),
    email: blankToNull(id.email)?.toLowerCase() ?? null,
    parentalAuthority: parentsJson(dto.parentalAuthority),
  };
  for (const f of SUMMARY_TEXT_FIELDS) sealed.summary[f] = s[f] ?? null;
  sealed.social.narrative = dto.social?.narrative ?? null;
  setProtection(sealed.social, dto.protection);
  sealed.health.narrative = dto.health?.narrative ?? null;
  return {
    categories: {
      ageBand: s.ageBand,
      district: s.district.trim(),
      household: s.household,
      problems: s.problems,
      partnersInvolved: s.partnersInvolved ?? [],
      minorInHousehold: s.minorInHousehold ?? false,
      urgent: s.urgent ?? false,
    },
    sealed,
  };
}

/** The content as stored now: the categories of the row, the sealed fields opened by the server. */
export async function currentContent(
  vault: VaultService,
  manager: EntityManager,
  record: ReferralCategories & { id: string; territoryId: string },
): Promise<ReferralContent> {
  const opened = await vault.openFields(manager, { territoryId: record.territoryId, caseId: record.id }, REFERRAL_CLASSES);
  const sealed = emptySealed();
  for (const cls of REFERRAL_CLASSES) for (const f of REFERRAL_FIELDS[cls]) sealed[cls][f] = opened[cls][f] ?? null;
  const categories = Object.fromEntries(CATEGORY_FIELDS.map((f) => [f, record[f]])) as unknown as ReferralCategories;
  return { categories: { ...categories, problems: [...record.problems], partnersInvolved: [...record.partnersInvolved] }, sealed };
}

/** The members an edit or a rectification may send: each one given replaces the stored one; null removes an optional one. */
export interface ReferralChanges {
  identity?: Partial<Record<(typeof IDENTITY_FIELDS)[number], string | null>>;
  summary?: object;
  social?: { narrative: string } | null;
  health?: { narrative: string } | null;
  protection?: ProtectionDto | null;
  parentalAuthority?: ParentDto[] | null;
}

const REQUIRED_IDENTITY = ['lastName', 'firstName'];
const REQUIRED_SUMMARY = ['ageBand', 'district', 'household', 'problems', 'question', 'narrative'];

/** The content once the changes are applied (400 naming a required member sent as null). */
export function applyChanges(current: ReferralContent, changes: ReferralChanges): ReferralContent {
  const next: ReferralContent = {
    categories: { ...current.categories },
    sealed: Object.fromEntries(REFERRAL_CLASSES.map((c) => [c, { ...current.sealed[c] }])) as ReferralContent['sealed'],
  };
  for (const [field, value] of Object.entries(changes.identity ?? {})) {
    if (value === undefined) continue;
    if (value === null && REQUIRED_IDENTITY.includes(field)) throw AppError.validation(`identity.${field}`, 'cannot be removed');
    next.sealed.identity[field] = field === 'email' ? (blankToNull(value)?.toLowerCase() ?? null) : field === 'birthDate' ? value : blankToNull(value);
  }
  for (const [field, value] of Object.entries(changes.summary ?? {})) {
    if (value === undefined) continue;
    if (value === null && REQUIRED_SUMMARY.includes(field)) throw AppError.validation(`summary.${field}`, 'cannot be removed');
    if ((SUMMARY_TEXT_FIELDS as readonly string[]).includes(field)) next.sealed.summary[field] = value as string | null;
    else if (field === 'district') next.categories.district = (value as string).trim();
    else if (field === 'partnersInvolved') next.categories.partnersInvolved = (value as string[] | null) ?? [];
    else if (field === 'minorInHousehold' || field === 'urgent') next.categories[field] = (value as boolean | null) ?? false;
    else (next.categories as unknown as Record<string, unknown>)[field] = value;
  }
  if (changes.social !== undefined) next.sealed.social.narrative = changes.social?.narrative ?? null;
  if (changes.health !== undefined) next.sealed.health.narrative = changes.health?.narrative ?? null;
  if (changes.protection !== undefined) setProtection(next.sealed.social, changes.protection);
  if (changes.parentalAuthority !== undefined) next.sealed.identity.parentalAuthority = parentsJson(changes.parentalAuthority);
  return next;
}

const YEAR_MS = 365.2425 * 24 * 3600 * 1000;

/**
 * Rules across members: a birth date (or year) not in the future and agreeing with the age band
 * on minority; the holders of parental authority only for a minor person (age band 0-17).
 */
export function validateContent(content: ReferralContent, now: Date): void {
  const birth = content.sealed.identity.birthDate;
  const minor = content.categories.ageBand === '0-17';
  if (birth) {
    const year = Number(birth.slice(0, 4));
    // The youngest and oldest the person can be now: a year alone spans twelve months of births.
    const earliest = birth.length === 4 ? Date.UTC(year, 0, 1) : Date.parse(`${birth}T00:00:00Z`);
    const latest = birth.length === 4 ? Date.UTC(year, 11, 31) : earliest;
    if (latest > now.getTime() && earliest > now.getTime()) throw AppError.validation('identity.birthDate', 'cannot be in the future');
    const oldest = (now.getTime() - earliest) / YEAR_MS;
    const youngest = (now.getTime() - latest) / YEAR_MS;
    if (minor && youngest >= 18) throw AppError.validation('summary.ageBand', 'says a minor, the birth date an adult');
    if (!minor && oldest < 18) throw AppError.validation('summary.ageBand', 'says an adult, the birth date a minor');
  }
  if (content.sealed.identity.parentalAuthority && !minor)
    throw AppError.validation('parentalAuthority', 'is recorded only for a minor person (age band 0-17)');
  if (content.sealed.social.protectionOrganisation && !content.sealed.social.protectionMeasure)
    throw AppError.validation('protection.measure', 'is required with an organisation');
}

/**
 * The referrer writes the identity: every pseudonymised text of the summary is checked against all
 * of it (refused, naming the field and the kind, with a proposed rewording — never the value).
 */
export function checkReferralTexts(content: ReferralContent): void {
  const id = content.sealed.identity;
  checkTexts(
    {
      ...Object.fromEntries(SUMMARY_TEXT_FIELDS.map((f) => [`summary.${f}`, content.sealed.summary[f]])),
      'summary.district': content.categories.district,
    },
    {
      lastName: id.lastName,
      firstName: id.firstName,
      birthDate: id.birthDate && id.birthDate.length > 4 ? id.birthDate : null,
      address: id.address,
      phone: id.phone,
      email: id.email,
    },
    IDENTITY_FIELDS,
  );
}

/** The duplicate indexes of an identity: the names' one always, the full one when the date is known. */
export function indexesOf(vault: Pick<Vault, 'blindIndex' | 'nameIndex'>, identity: Record<string, string | null>): { full: string | null; names: string } {
  const names = { lastName: identity.lastName ?? '', firstName: identity.firstName ?? '' };
  const date = identity.birthDate && identity.birthDate.length > 4 ? identity.birthDate : null;
  return { full: date ? vault.blindIndex({ ...names, birthDate: date }) : null, names: vault.nameIndex(names) };
}

/** One member whose value changes: where it is kept, and its value before and after (in the vault's string form). */
export interface ContentChange {
  cls: ReferralClass;
  field: string;
  /** A clear category of the row (its previous value is sealed in the summary class). */
  category: boolean;
  before: string | null;
  after: string | null;
}

const asText = (value: unknown): string | null => (value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value));

export function changesBetween(before: ReferralContent, after: ReferralContent): ContentChange[] {
  const out: ContentChange[] = [];
  for (const cls of REFERRAL_CLASSES) {
    for (const field of REFERRAL_FIELDS[cls]) {
      const [b, a] = [before.sealed[cls][field] ?? null, after.sealed[cls][field] ?? null];
      if (b !== a) out.push({ cls, field, category: false, before: b, after: a });
    }
  }
  for (const field of CATEGORY_FIELDS) {
    const [b, a] = [asText(before.categories[field]), asText(after.categories[field])];
    if (b !== a) out.push({ cls: 'summary', field, category: true, before: b, after: a });
  }
  return out;
}

/**
 * Writes the sealed fields that change; with `keepPreviousAt` (a rectification, the version it
 * makes), each previous value is sealed beside it in its class (`prev_<version>_<field>`; an empty
 * string when the member was absent): the record's history, never in clear.
 */
export async function sealChanges(
  vault: VaultService,
  manager: EntityManager,
  ref: { territoryId: string; caseId: string },
  changes: readonly ContentChange[],
  keepPreviousAt: number | null,
): Promise<void> {
  for (const cls of REFERRAL_CLASSES) {
    const mine = changes.filter((c) => c.cls === cls);
    if (!mine.length) continue;
    const fields: Record<string, string | null> = {};
    for (const c of mine) {
      if (!c.category) fields[c.field] = c.after;
      if (keepPreviousAt !== null) fields[previousField(keepPreviousAt, c.field)] = c.before ?? '';
    }
    await vault.sealFields(manager, ref, cls, fields);
  }
}

/** A rectification as one viewer may read it: the previous values of the classes (and fields) released to them. */
export interface Rectification {
  version: number;
  at: Date;
  byUserId: string | null;
  changes: { class: string; field: string; previous: unknown }[];
}

/**
 * The rectifications of a case from the sealed previous values the viewer's answer opened:
 * `allowed(cls, field)` says whether the viewer receives that field of that class.
 */
export function rectificationsOf(
  opened: Partial<Record<FieldClass, Record<string, string>>>,
  allowed: (cls: string, field: string) => boolean,
  events: readonly { version: number; at: Date; actorUserId: string | null }[],
): Rectification[] {
  const byVersion = new Map<number, Rectification['changes']>();
  for (const [cls, fields] of Object.entries(opened)) {
    for (const [name, value] of Object.entries(fields ?? {})) {
      const match = PREVIOUS_FIELD.exec(name);
      if (!match) continue;
      const [version, field] = [Number(match[1]), match[2]];
      // A category's previous value is sealed with the summary; the others in their own class.
      if (!allowed(cls, field)) continue;
      let previous: unknown = value === '' ? null : value;
      if (
        typeof previous === 'string' &&
        (field === 'parentalAuthority' || field === 'problems' || field === 'partnersInvolved' || field === 'minorInHousehold' || field === 'urgent')
      ) {
        previous = JSON.parse(previous) as unknown;
      }
      const list = byVersion.get(version) ?? [];
      list.push({ class: cls, field, previous });
      byVersion.set(version, list);
    }
  }
  return events
    .filter((e) => byVersion.has(e.version))
    .map((e) => ({
      version: e.version,
      at: e.at,
      byUserId: e.actorUserId,
      changes: byVersion.get(e.version)!.sort((a, b) => `${a.class}.${a.field}`.localeCompare(`${b.class}.${b.field}`)),
    }));
}
