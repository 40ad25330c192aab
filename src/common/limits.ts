/**
 * Limits that are enforced and published from one number: each decorator sets the class-validator
 * rule (a value beyond it is a 400 naming the field) and the OpenAPI keyword of the property, so
 * the document cannot promise a limit the server does not hold, nor forget one it holds (issue 14:
 * every string and array of a request has a maximum). class-validator's MaxLength and ArrayMaxSize
 * are imported here only (eslint.config.js).
 *
 * For an array of strings, `MaxChars(n, { each: true })` limits each element: @nestjs/swagger moves
 * `maxLength` into the array's `items`.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, MaxLength, MinLength, type ValidationOptions } from 'class-validator';
import { AppError } from './errors.js';

/** At most `max` characters (UTF-16 code units, as JSON Schema's maxLength counts them in practice). */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(MaxLength(max, options), ApiProperty({ maxLength: max }));
}

/** Between `min` and `max` characters. */
export function Chars(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(MinLength(min, options), MaxLength(max, options), ApiProperty({ minLength: min, maxLength: max }));
}

/** An array of at most `max` elements. */
export function MaxItems(max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(ArrayMaxSize(max, options), ApiProperty({ maxItems: max }));
}

/** An array of `min` to `max` elements. */
export function Items(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(ArrayMinSize(min, options), ArrayMaxSize(max, options), ApiProperty({ minItems: min, maxItems: max }));
}

/** At least `min` elements (the upper bound set apart with MaxItems, e.g. with its own message). */
export function MinItems(min: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(ArrayMinSize(min, options), ApiProperty({ minItems: min }));
}

/**
 * Pages of the listings that grow with the deployment (accounts, organisations, commissions,
 * sessions, a situation's history…): `limit` (at most PAGE_SIZE, the default) and `offset`. The
 * default page holds everything a real cellule has, so a client reading one page sees it whole;
 * the page size is the bound the OpenAPI document declares (maxItems).
 */
export const PAGE_SIZE = 1000;
/** The furthest a page may start (an offset beyond it is a 400). */
export const MAX_OFFSET = 10_000_000;

/**
 * The audit export (GET /audit/events/export): at most this many entries per request, and a CSV
 * document of at most this many characters. Both are checked before the first byte is sent (the
 * CSV's size from an upper bound of each entry's line); beyond them the export is refused (422)
 * and says to narrow it (from/to, or another filter).
 */
export const MAX_EXPORT_ENTRIES = 100_000;
export const MAX_EXPORT_CSV_CHARS = 100_000_000;

/**
 * Domain caps: how many of a kind one parent holds at most, far above what a real cellule ever
 * has (a commission of some 10 to 20 members, a session of 5 to 15 situations). Each is refused at
 * write time — 409 naming the field and the cap (capReached), nothing written — and published as
 * the maxItems of the answers that list them, so the document's bounds are the server's.
 */
export const CAPS = {
  /** Territories of one deployment (POST /territories). */
  territories: 1000,
  /** Trusted audit public keys (a key rotation a year for a century): a verification names each. */
  auditKeys: 100,
  /** Members of one commission (each with one deputy at most). */
  commissionMembers: 100,
  /** Situations put on one session's agenda (one taken off and put back counts once). */
  agendaItems: 50,
  /** Invitations to one session (a professional for one situation each). */
  invitations: 100,
  /** Partners present without an account at one session. */
  guests: 50,
  /** Presences recorded at one session. */
  attendance: 300,
  /** Written contributions on one situation of one session (one per author). */
  contributions: 300,
  /** Actions of a situation's plan, every version counted (a revision adds up to 50). */
  planActions: 500,
  /** Notes of one action's append-only thread. */
  actionNotes: 200,
  /** Reports made elsewhere recorded on one situation (RECORD_EXTERNAL_REPORT). */
  externalReports: 100,
  /** Rectifications of one situation's referral (RECTIFY). */
  rectifications: 100,
  /** Documents filed on one situation. */
  documents: 200,
} as const;

/** The people of a session's attendance sheet: members, their deputies, invitees, and whoever else's presence was recorded. */
export const SHEET_PEOPLE = 2 * CAPS.commissionMembers + CAPS.invitations + CAPS.attendance;

/** A situation's view lists the oldest this many texts held for rewriting (textReviews); each rewritten brings the next. */
export const MAX_TEXT_REVIEWS = 100;

/** The closed session records listed for one situation (GET /cases/:id/session-records), the latest first: a situation comes back to a session a few times a year. */
export const MAX_CASE_SESSION_RECORDS = 100;

/** The register of processing as Markdown: the policy loader refuses policies whose register would be longer. */
export const MAX_REGISTER_CHARS = 1_000_000;

/** The 409 of a write beyond a cap: names the field, the cap, and what the parent already holds. */
export function capReached(field: string, what: string, cap: number): AppError {
  return new AppError('conflict', `${field}: ${what} holds at most ${cap}; it is full`, { field, max: cap });
}

/** GET /audit/situations: the situations of at most this many ids (or of one reference, one per territory), this many answered at most. */
export const MAX_SITUATION_REFERENCES = 200;

/** The access report names, per organisation and class, the first this many kinds of access (audit actions, by name); the code records far fewer. */
export const MAX_ACCESS_REPORT_ACTIONS = 50;

/** A session record's PDF: at most this many bytes (the session's caps keep it far below); a longer one is refused (422). */
export const MAX_RECORD_PDF_BYTES = 20_000_000;

/** GET /cases/:id/duplicates compares the situation with the first this many of its territory that share its identity's index (oldest first). */
export const MAX_DUPLICATE_CANDIDATES = 50;
