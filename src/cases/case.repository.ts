/** The `cases` table, its history (`case_events`) and the facts the policy needs about one viewer. Thin: no rule lives here. */
import type { Page } from '../common/pagination.js';
import { MAX_DUPLICATE_CANDIDATES, MAX_SITUATION_REFERENCES } from '../common/limits.js';
import type { CaseFacts, ConsentFacts } from '../access/access.js';
import type { TerritoryScope } from '../access/permissions.js';
import type { Sector } from '../access/policy.types.js';
import { attendsOpenSessionSql, isInvitedSql, isMemberSql } from '../commissions/attendance.sql.js';
import { execute, preparedQuery, returning, select, type SqlRunner } from '../database/sql.js';
import type { CaseClosure, CaseState, OutcomeCategory, PersistedCase, SessionStatus } from './machine/context.js';
import { PROJECTED_COLUMNS, type CaseColumns } from './projection.js';
import type { ReferralCategories } from './referral.js';

/** A case row with the facts the policy needs about one viewer. */
export interface CaseRecord {
  id: string;
  territoryId: string;
  commissionId: string;
  reference: string;
  referrerUserId: string;
  referrerOrganisationId: string;
  /** The referring organisation's sector (what its involvement reveals: policies/sectors.yaml). */
  referrerSector: Sector;
  state: CaseState;
  snapshot: PersistedCase;
  version: number;
  sessionId: string | null;
  sessionStatus: SessionStatus | null;
  ageBand: string | null;
  district: string | null;
  household: string | null;
  problems: string[];
  partnersInvolved: string[];
  minorInHousehold: boolean;
  /** The referrer said it is urgent: answers carry the emergency pointer (issue 12). */
  urgent: boolean;
  anonymousReview: boolean;
  followUpAt: Date | null;
  closure: CaseClosure | null;
  outcome: OutcomeCategory | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  attending: boolean;
  ownsAction: boolean;
  consent: ConsentFacts | null;
  /** Some text of the case is held for the referrer's review (held_texts). */
  hasHeldTexts: boolean;
}

/**
 * The viewer attends an open session whose open agenda holds the case (its plan not adopted there yet) — as a member (or deputy) of the
 * commission or invited for this case — under the commission's current charter (a new version
 * must be accepted again). `user` is the placeholder of the viewer's id. One definition for the
 * case read and the case list, built from those of src/commissions/attendance.sql.ts.
 */
export function attendingSql(user: string, at: string): string {
  return `EXISTS (
    SELECT 1 FROM agenda_items ai
      JOIN sessions os ON os.id = ai.session_id
     WHERE ai.case_id = c.id AND ai.removed_at IS NULL AND ai.concluded_at IS NULL
       AND ${attendsOpenSessionSql('os', user, at)}
       AND (${isMemberSql('os.commission_id', user)} OR ${isInvitedSql('os.id', user, 'c.id')}))`;
}

/**
 * The viewer (placeholders `user`, and `org`, which may be null) owns an action in the sense that
 * releases anything: their organisation owns an open action (not done, not cancelled) of the case's current plan
 * version, and the coordinator vouched for them — a member or deputy of the case's commission, or
 * the professional named on that very action. An account an administrator creates in that
 * organisation is neither.
 */
export function ownsActionSql(org: string, user: string): string {
  return `(${org}::uuid IS NOT NULL AND EXISTS (
    SELECT 1 FROM actions a
     WHERE a.case_id = c.id AND a.owner_organisation_id = ${org} AND a.status NOT IN ('done','cancelled')
       AND a.plan_version = (SELECT max(v.plan_version) FROM actions v WHERE v.case_id = c.id)
       AND (a.assignee_user_id = ${user} OR ${isMemberSql('c.commission_id', user)})))`;
}

/**
 * The cases (`c`) a viewer may be related to — a superset the policy then decides on, row by row:
 * referred by them or their organisation, in a territory of theirs (`territories` null: all), an
 * action of their organisation, a session they attended. Placeholders: `user`, `org`, `territories`.
 * One definition for the case list and the action list.
 */
export function relatedCandidateSql(user: string, org: string, territories: string): string {
  return `(c.referrer_user_id = ${user} OR c.referrer_organisation_id = ${org}
             OR ${territories}::uuid[] IS NULL OR c.territory_id = ANY(${territories}::uuid[])
             OR EXISTS (SELECT 1 FROM actions ra WHERE ra.case_id = c.id AND ra.owner_organisation_id = ${org})
             OR EXISTS (SELECT 1 FROM agenda_items ai JOIN session_attendance sa ON sa.session_id = ai.session_id AND sa.user_id = ${user} WHERE ai.case_id = c.id))`;
}

/** The case row + the viewer facts ($1 case id, $2 user id, $3 organisation id, $4 the clock's time); also the raw baseline of `npm run bench`. */
export const SELECT_CASE = `
  SELECT c.id, c.territory_id AS "territoryId", c.commission_id AS "commissionId", c.reference,
         c.referrer_user_id AS "referrerUserId", c.referrer_organisation_id AS "referrerOrganisationId",
         (SELECT ro.sector FROM organisations ro WHERE ro.id = c.referrer_organisation_id) AS "referrerSector",
         c.state, c.snapshot, c.version, c.session_id AS "sessionId", s.status AS "sessionStatus",
         c.age_band AS "ageBand", c.district, c.household, c.problems, c.partners_involved AS "partnersInvolved",
         c.minor_in_household AS "minorInHousehold", c.urgent, c.anonymous_review AS "anonymousReview",
         c.follow_up_at AS "followUpAt", c.closure, c.outcome, c.closed_at AS "closedAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
         ${attendingSql('$2', '$4')} AS attending,
         ${ownsActionSql('$3', '$2')} AS "ownsAction",
         EXISTS (SELECT 1 FROM held_texts h WHERE h.case_id = c.id) AS "hasHeldTexts",
         (SELECT json_build_object('decision', k.decision, 'expiresAt', k.expires_at, 'withdrawnAt', k.withdrawn_at, 'scope', k.scope)
            FROM consents k WHERE k.case_id = c.id ORDER BY k.recorded_at DESC, k.id LIMIT 1) AS consent
    FROM cases c LEFT JOIN sessions s ON s.id = c.session_id
   WHERE c.id = $1`;

/** SELECT_CASE with the transition's row lock, taken on the case row only. */
export const SELECT_CASE_FOR_UPDATE = `${SELECT_CASE} FOR UPDATE OF c`;

export async function loadCase(
  manager: SqlRunner,
  caseId: string,
  viewer: { userId: string; organisationId: string | null },
  at: Date,
  lock = false,
): Promise<CaseRecord | undefined> {
  const rows = await preparedQuery<CaseRecord[]>(manager, lock ? SELECT_CASE_FOR_UPDATE : SELECT_CASE, [caseId, viewer.userId, viewer.organisationId, at]);
  return rows[0];
}

export interface TransitionWrite {
  caseId: string;
  expectedVersion: number;
  event: string;
  from: string;
  snapshot: PersistedCase;
  /** The projection of the new snapshot (src/cases/projection.ts). */
  columns: CaseColumns;
  at: Date;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  /** The audit entry as AuditService.rowOf gives it (null: the benchmark's audit-off variant). */
  audit: { columns: readonly string[]; values: unknown[] } | null;
}

/**
 * The transition's writes in one statement, so one round trip: the case row (snapshot, version
 * and the projected columns) if it is still at the expected version, its history row and the
 * audit entry, both written only if the row was. Answers the new version, or undefined when the
 * row was not at the expected version (then nothing was written).
 */
export async function writeTransition(manager: SqlRunner, write: TransitionWrite): Promise<number | undefined> {
  const params: unknown[] = [];
  const $ = (value: unknown) => `$${params.push(value)}`;
  const sets = [`snapshot = ${$(JSON.stringify(write.snapshot))}`, 'version = version + 1'];
  sets.push(`updated_at = ${$(write.at)}`, `last_activity_at = ${$(write.at)}`);
  for (const column of PROJECTED_COLUMNS) sets.push(`${column} = ${$(write.columns[column])}`);
  sets.push(`identity_index = CASE WHEN ${$(write.columns.keepIdentityIndex)}::boolean THEN identity_index END`);
  sets.push(`name_index = CASE WHEN ${$(write.columns.keepIdentityIndex)}::boolean THEN name_index END`);
  const parts = [
    `updated AS (UPDATE cases SET ${sets.join(', ')} WHERE id = ${$(write.caseId)} AND version = ${$(write.expectedVersion)} RETURNING id, territory_id, version)`,
    `history AS (INSERT INTO case_events (case_id, territory_id, event, from_state, to_state, version, actor_user_id, actor_organisation_id, at)
       SELECT id, territory_id, ${$(write.event)}, ${$(write.from)}, ${$(write.columns.state)}, version, ${$(write.actorUserId)}, ${$(write.actorOrganisationId)}, ${$(write.at)} FROM updated)`,
  ];
  // The parameters of the two INSERT … SELECTs take their types from the target columns: keep
  // these SELECTs plain (a DISTINCT or UNION would leave them untyped text).
  if (write.audit) {
    const values = write.audit.values.map((value) => $(value));
    parts.push(`audit AS (INSERT INTO audit_events (${write.audit.columns.join(', ')}) SELECT ${values.join(', ')} FROM updated)`);
  }
  const rows = await preparedQuery<{ version: number }[]>(manager, `WITH ${parts.join(',\n')}\nSELECT version FROM updated`, params);
  return rows[0]?.version;
}

/** The first row of a new case and its CREATE history entry. */
export interface NewCase {
  territoryId: string;
  commissionId: string;
  reference: string;
  referrerUserId: string;
  referrerOrganisationId: string;
  snapshot: PersistedCase;
  columns: CaseColumns;
  summary: ReferralCategories;
  identityIndex: string | null;
  nameIndex: string | null;
  at: Date;
}

export async function insertCase(manager: SqlRunner, c: NewCase): Promise<string> {
  const [row] = await select<{ id: string }>(
    manager,
    `INSERT INTO cases (territory_id, commission_id, reference, referrer_user_id, referrer_organisation_id, snapshot, version,
                        ${PROJECTED_COLUMNS.join(', ')},
                        age_band, district, household, problems, partners_involved, minor_in_household, identity_index, created_at, updated_at, last_activity_at,
                        urgent, name_index)
     VALUES ($1, $2, $3, $4, $5, $6, 1, ${PROJECTED_COLUMNS.map((_, i) => `$${i + 7}`).join(', ')},
             $14, $15, $16, $17, $18, $19, $20, $21, $21, $21, $22, $23) RETURNING id`,
    [
      c.territoryId,
      c.commissionId,
      c.reference,
      c.referrerUserId,
      c.referrerOrganisationId,
      JSON.stringify(c.snapshot),
      ...PROJECTED_COLUMNS.map((column) => c.columns[column]),
      c.summary.ageBand,
      c.summary.district,
      c.summary.household,
      c.summary.problems,
      c.summary.partnersInvolved,
      c.summary.minorInHousehold,
      c.identityIndex,
      c.at,
      c.summary.urgent,
      c.nameIndex,
    ],
  );
  await execute(
    manager,
    `INSERT INTO case_events (case_id, territory_id, event, from_state, to_state, version, actor_user_id, actor_organisation_id, at)
     VALUES ($1, $2, 'CREATE', NULL, $3, 1, $4, $5, $6)`,
    [row.id, c.territoryId, c.columns.state, c.referrerUserId, c.referrerOrganisationId, c.at],
  );
  return row.id;
}

/** The next reference of the territory for the year: CAS-2026-0042. */
export async function nextReference(manager: SqlRunner, territoryId: string, year: number): Promise<string> {
  const [{ last_value: n }] = await select<{ last_value: number }>(
    manager,
    `INSERT INTO reference_counters (territory_id, year, last_value) VALUES ($1, $2, 1)
     ON CONFLICT (territory_id, year) DO UPDATE SET last_value = reference_counters.last_value + 1 RETURNING last_value`,
    [territoryId, year],
  );
  return `CAS-${year}-${String(n).padStart(4, '0')}`;
}

/** A row of the case list, with the facts the policy needs to decide whether the viewer sees it. */
export interface CaseListRow {
  id: string;
  reference: string;
  state: CaseState;
  version: number;
  territoryId: string;
  commissionId: string;
  referrerUserId: string;
  referrerOrganisationId: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  followUpAt: Date | null;
  /** created_at to the microsecond, for the cursor. */
  createdAtText: string;
  attending: boolean;
  ownsAction: boolean;
  /** Changed since this caller last opened it, or never opened by them (their own case.read entries of the access log). */
  unread: boolean;
}

export interface CaseListFilter {
  userId: string;
  organisationId: string | null;
  /** Territories whose every case is a candidate (a coordinator's); null: all of them. */
  territories: string[] | null;
  state: string | null;
  commissionId: string | null;
  /** Keyset pagination: rows strictly before this (created_at, id). */
  before: { at: string; id: string } | null;
  limit: number;
  /** The clock's time (a session releases only before its end). */
  at: Date;
}

/** The cases the viewer may be related to, newest first (a superset: the policy decides on each). */
export async function listCandidates(db: SqlRunner, f: CaseListFilter): Promise<CaseListRow[]> {
  return select<CaseListRow>(
    db,
    `SELECT c.id, c.reference, c.state, c.version, c.territory_id AS "territoryId", c.commission_id AS "commissionId", c.referrer_user_id AS "referrerUserId",
            c.referrer_organisation_id AS "referrerOrganisationId", c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.closed_at AS "closedAt", c.follow_up_at AS "followUpAt",
            to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtText",
            ${attendingSql('$1', '$9')} AS attending,
            ${ownsActionSql('$2', '$1')} AS "ownsAction",
            NOT EXISTS (SELECT 1 FROM audit_events e
                         WHERE e.case_id = c.id AND e.at >= c.last_activity_at
                           AND e.actor_id = $1 AND e.action = 'case.read' AND e.decision = 'allow') AS unread
       FROM cases c
      WHERE ${relatedCandidateSql('$1', '$2', '$3')}
        AND ($4::text IS NULL OR c.state = $4)
        AND c.closure IS DISTINCT FROM 'deleted'
        AND ($5::uuid IS NULL OR c.commission_id = $5)
        AND ($6::timestamptz IS NULL OR (c.created_at, c.id) < ($6::timestamptz, $7::uuid))
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT $8`,
    [f.userId, f.organisationId, f.territories, f.state, f.commissionId, f.before?.at ?? null, f.before?.id ?? null, f.limit, f.at],
  );
}

/**
 * What the scheduler looks for (`c` is the cases row; $1 the clock's time, $2 the retention in days):
 * - `follow_up`: a running plan whose follow-up date is reached;
 * - `end_of_retention`: closed that long ago, or left open without activity for as long
 *   (one partial index each: migration RetentionIndexes).
 */
const DUE = {
  follow_up: { where: `c.state = 'plan_active' AND c.follow_up_at <= $1`, since: 'c.follow_up_at' },
  end_of_retention: {
    where: `((c.state = 'closed' AND c.closed_at < $1::timestamptz - make_interval(days => $2))
             OR (c.state NOT IN ('closed', 'purged') AND c.last_activity_at < $1::timestamptz - make_interval(days => $2)))`,
    since: `CASE WHEN c.state = 'closed' THEN c.closed_at ELSE c.last_activity_at END`,
  },
} as const;
export type DueReason = keyof typeof DUE;

interface DueParams {
  now: Date;
  retentionDays?: number;
}

function dueParams(reason: DueReason, p: DueParams): unknown[] {
  return reason === 'end_of_retention' ? [p.now, p.retentionDays] : [p.now];
}

/** The cases due for a scheduled event, oldest first. */
export async function casesDue(db: SqlRunner, reason: DueReason, p: DueParams & { limit: number }): Promise<string[]> {
  const params = dueParams(reason, p);
  const rows = await select<{ id: string }>(
    db,
    `SELECT c.id FROM cases c WHERE ${DUE[reason].where} ORDER BY ${DUE[reason].since} LIMIT $${params.length + 1}`,
    [...params, p.limit],
  );
  return rows.map((r) => r.id);
}

/** Whether the case still meets the condition it was chosen for (asked under its row lock). */
export async function caseStillDue(db: SqlRunner, caseId: string, reason: DueReason, p: DueParams): Promise<boolean> {
  const params = dueParams(reason, p);
  return (await select(db, `SELECT 1 FROM cases c WHERE ${DUE[reason].where} AND c.id = $${params.length + 1}`, [...params, caseId])).length === 1;
}

/** The blind index of a case's identity (null once purged). */
export async function identityIndexOf(db: SqlRunner, caseId: string): Promise<{ full: string | null; names: string | null; ageBand: string | null }> {
  const [row] = await select<{ full: string | null; names: string | null; ageBand: string | null }>(
    db,
    `SELECT identity_index AS "full", name_index AS "names", age_band AS "ageBand" FROM cases WHERE id = $1`,
    [caseId],
  );
  return row ?? { full: null, names: null, ageBand: null };
}

/**
 * The other cases of the territory whose identity has the same blind index — the full one (names
 * and date) or the names' one (issue 12: the date may be unknown) —: candidates to confirm.
 */
export async function casesSharingIndex(
  db: SqlRunner,
  q: { territoryId: string; full: string | null; names: string | null; except: string },
): Promise<{ id: string; reference: string; state: CaseState; ageBand: string | null }[]> {
  return select(
    db,
    `SELECT id, reference, state, age_band AS "ageBand" FROM cases
      WHERE territory_id = $1 AND (identity_index = $2 OR name_index = $3) AND id <> $4 ORDER BY created_at, id LIMIT $5`,
    [q.territoryId, q.full, q.names, q.except, MAX_DUPLICATE_CANDIDATES],
  );
}

/** Some activity on the case besides its events (an action update): retention of open cases counts from it. */
export async function touchCase(db: SqlRunner, caseId: string, at: Date): Promise<void> {
  await execute(db, `UPDATE cases SET last_activity_at = greatest(last_activity_at, $2) WHERE id = $1`, [caseId, at]);
}

/**
 * As touchCase, answering the state the case has now. The update waits for a transition being
 * committed on the row and then reads its result, so a write that must happen while the case is
 * open (a document filed during a slow upload) checks the state here, at its end, not only before.
 */
export async function touchCaseState(db: SqlRunner, caseId: string, at: Date): Promise<CaseState | undefined> {
  const rows = await returning<{ state: CaseState }>(db, `UPDATE cases SET last_activity_at = greatest(last_activity_at, $2) WHERE id = $1 RETURNING state`, [
    caseId,
    at,
  ]);
  return rows[0]?.state;
}

export interface HistoryRow {
  event: string;
  from: CaseState | null;
  to: CaseState;
  version: number;
  actorOrganisationId: string | null;
  actorOrganisationName: string | null;
  /** The acting organisation's sector (what its involvement reveals); not part of the answer. */
  actorSector: Sector | null;
  at: Date;
}

export async function caseHistory(db: SqlRunner, caseId: string, page: Page): Promise<HistoryRow[]> {
  return select<HistoryRow>(
    db,
    `SELECT e.event, e.from_state AS "from", e.to_state AS "to", e.version, e.actor_organisation_id AS "actorOrganisationId", o.name AS "actorOrganisationName",
            o.sector AS "actorSector", e.at
       FROM case_events e LEFT JOIN organisations o ON o.id = e.actor_organisation_id WHERE e.case_id = $1 ORDER BY e.version LIMIT $2 OFFSET $3`,
    [caseId, page.limit, page.offset],
  );
}

export function factsOf(record: CaseRecord): CaseFacts {
  return {
    territoryId: record.territoryId,
    referrerUserId: record.referrerUserId,
    referrerOrganisationId: record.referrerOrganisationId,
    state: record.state,
    attending: record.attending,
    ownsAction: record.ownsAction,
    consent: record.consent,
  };
}

/** How many cases are due for a scheduled event, counted up to `cap` (the metrics' job queue depth). */
export async function countDue(db: SqlRunner, reason: DueReason, p: DueParams & { cap: number }): Promise<number> {
  const params = dueParams(reason, p);
  const [row] = await select<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM cases c WHERE ${DUE[reason].where} LIMIT $${params.length + 1}) due`,
    [...params, p.cap],
  );
  return row.n;
}

/** The clear categories of a referral, rewritten by an edit or a rectification (issue 12). */
export async function updateCategories(manager: SqlRunner, caseId: string, c: ReferralCategories): Promise<void> {
  await execute(
    manager,
    `UPDATE cases SET age_band = $2, district = $3, household = $4, problems = $5, partners_involved = $6, minor_in_household = $7, urgent = $8
      WHERE id = $1`,
    [caseId, c.ageBand, c.district, c.household, c.problems, c.partnersInvolved, c.minorInHousehold, c.urgent],
  );
}

/** The duplicate indexes of a rectified identity (issue 12: the name index, and the full one when the date is known). */
export async function updateIdentityIndexes(manager: SqlRunner, caseId: string, identityIndex: string | null, nameIndex: string | null): Promise<void> {
  await execute(manager, 'UPDATE cases SET identity_index = $2, name_index = $3 WHERE id = $1', [caseId, identityIndex, nameIndex]);
}

/** HAND_OVER: the situation's referrer is now another referrer of the same organisation. */
export async function setReferrer(manager: SqlRunner, caseId: string, userId: string): Promise<void> {
  await execute(manager, 'UPDATE cases SET referrer_user_id = $2 WHERE id = $1', [caseId, userId]);
}

/** A user who could take a situation over: their organisation, roles and whether the account is active. */
export async function handoverCandidate(
  manager: SqlRunner,
  userId: string,
): Promise<{ organisationId: string | null; roles: string[]; disabled: boolean } | undefined> {
  const [row] = await select<{ organisationId: string | null; roles: string[]; disabled: boolean }>(
    manager,
    'SELECT organisation_id AS "organisationId", roles, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1',
    [userId],
  );
  return row;
}

/** The accounts of an organisation but `exceptUserId`, as the handover rule reads them (events/hand-over.ts mayTakeOver). */
export function organisationColleagues(
  manager: SqlRunner,
  organisationId: string,
  exceptUserId: string | null,
): Promise<{ id: string; displayName: string; organisationId: string | null; roles: string[]; disabled: boolean }[]> {
  return select(
    manager,
    `SELECT id, display_name AS "displayName", organisation_id AS "organisationId", roles, disabled_at IS NOT NULL AS disabled FROM users
      WHERE organisation_id = $1 AND ($2::uuid IS NULL OR id <> $2)
      ORDER BY display_name, id`,
    [organisationId, exceptUserId],
  );
}

/** When and by whom each rectification of the case was made (RECTIFY rows of the history). */
/** How many `event` transitions the case has had (the case row is locked by the transition that asks). */
export async function eventCount(db: SqlRunner, caseId: string, event: string): Promise<number> {
  const [row] = await select<{ n: number }>(db, `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND event = $2`, [caseId, event]);
  return row.n;
}

export function rectificationEvents(manager: SqlRunner, caseId: string): Promise<{ version: number; at: Date; actorUserId: string | null }[]> {
  return select(manager, `SELECT version, at, actor_user_id AS "actorUserId" FROM case_events WHERE case_id = $1 AND event = 'RECTIFY' ORDER BY version`, [
    caseId,
  ]);
}

/** A situation as an auditor may know it: its reference and territory, never a column of content. */
export interface CaseReferenceRow {
  id: string;
  reference: string;
  territoryId: string;
}

/**
 * The situations of the territories in scope with this reference (as generated: upper case; one
 * per territory at most) or among these ids. Nothing else of the row is read.
 */
export function findCaseReferences(db: SqlRunner, scope: TerritoryScope, by: { reference?: string; ids?: string[] }): Promise<CaseReferenceRow[]> {
  return select<CaseReferenceRow>(
    db,
    `SELECT c.id, c.reference, c.territory_id AS "territoryId" FROM cases c
      WHERE ($1::boolean OR c.territory_id = ANY($2::uuid[]))
        AND ($3::text IS NULL OR c.reference = $3)
        AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[]))
      ORDER BY c.reference, c.territory_id
      LIMIT $5`,
    [scope.all, scope.all ? [] : scope.territoryIds, by.reference ?? null, by.ids ?? null, MAX_SITUATION_REFERENCES],
  );
}
