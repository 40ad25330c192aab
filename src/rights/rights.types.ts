/** The person's rights requests (issue 15; migration RightsRequests holds the same lists). */
export const RIGHTS_KINDS = ['access', 'rectification', 'erasure', 'objection'] as const;
export type RightsKind = (typeof RIGHTS_KINDS)[number];

export const RIGHTS_STATUSES = ['open', 'closed'] as const;
export type RightsStatus = (typeof RIGHTS_STATUSES)[number];

/** What the closing record says was done (categories only: never the identity nor free text). */
export const RIGHTS_OUTCOMES = ['answered', 'no_situation_found', 'identity_not_verified', 'refused_unfounded', 'withdrawn_by_person'] as const;
export type RightsOutcome = (typeof RIGHTS_OUTCOMES)[number];

/** What was done to one situation of the request, and why. */
export const RIGHTS_MEASURES = ['shredded', 'kept', 'consent_withdrawn', 'not_open', 'forwarded'] as const;
export type RightsMeasure = (typeof RIGHTS_MEASURES)[number];
export const RIGHTS_REASONS = [
  'erasure_request',
  'already_erased',
  'still_open',
  'legal_report_recorded',
  'objection',
  'already_closed',
  'rectification_forwarded',
] as const;
export type RightsReason = (typeof RIGHTS_REASONS)[number];

/** At most this many situations are linked to one request (candidates confirmed by one lookup are bounded the same way). */
export const MAX_RIGHTS_CASES = 50;
/** The lookups report and the list answer at most this many rows (newest first). */
export const MAX_RIGHTS_ROWS = 1000;

/**
 * What an open request still waits for before it is closed: the lookup of the person's situations,
 * the copy of her data downloaded for each situation (access), the measure applied to each (the
 * other kinds). None: the DPO may close it.
 */
export const RIGHTS_WAITING = ['lookup', 'copy', 'measure'] as const;
export type RightsWaiting = (typeof RIGHTS_WAITING)[number];

/** At most this many downloads of a copy are listed per situation (newest first); the count says how many there were. */
export const MAX_COPY_DOWNLOADS = 20;
