import type { EntityManager } from 'typeorm';
import { preparedQuery, type SqlRunner } from '../database/sql.js';
import type { CaseFacts, ConsentFacts } from '../access/access.js';
import type { PersistedCase } from './case.machine.js';
import { attendsOpenSessionSql, isInvitedSql, isMemberSql } from '../commissions/attendance.sql.js';

/** A case row with the facts the policy needs about one viewer. Thin: no rule lives here. */
export interface CaseRecord {
  id: string;
  territoryId: string;
  commissionId: string;
  reference: string;
  referrerUserId: string;
  referrerOrganisationId: string;
  state: string;
  snapshot: PersistedCase;
  version: number;
  sessionId: string | null;
  sessionStatus: 'planned' | 'open' | 'closed' | null;
  ageBand: string | null;
  district: string | null;
  household: string | null;
  problems: string[];
  partnersInvolved: string[];
  minorInHousehold: boolean;
  anonymousReview: boolean;
  followUpAt: Date | null;
  outcome: string | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  attending: boolean;
  ownsAction: boolean;
  consent: ConsentFacts | null;
}

/**
 * The viewer attends an open session whose agenda holds the case — as a member (or deputy) of the
 * commission or invited for this case — under the commission's current charter (a new version
 * must be accepted again). `user` is the placeholder of the viewer's id. One definition for the
 * case read and the case list, built from those of src/commissions/attendance.sql.ts.
 */
export function attendingSql(user: string): string {
  return `EXISTS (
    SELECT 1 FROM agenda_items ai
      JOIN sessions os ON os.id = ai.session_id
     WHERE ai.case_id = c.id AND ai.removed_at IS NULL
       AND ${attendsOpenSessionSql('os', user)}
       AND (${isMemberSql('os.commission_id', user)} OR ${isInvitedSql('os.id', user, 'c.id')}))`;
}

/** The viewer's organisation (placeholder `org`, may be null) owns an action of the case. */
export function ownsActionSql(org: string): string {
  return `(${org}::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM actions a WHERE a.case_id = c.id AND a.owner_organisation_id = ${org}))`;
}

/** The case row + the viewer facts ($1 case id, $2 user id, $3 organisation id); also the raw baseline of `npm run bench`. */
export const SELECT_CASE = `
  SELECT c.id, c.territory_id AS "territoryId", c.commission_id AS "commissionId", c.reference,
         c.referrer_user_id AS "referrerUserId", c.referrer_organisation_id AS "referrerOrganisationId",
         c.state, c.snapshot, c.version, c.session_id AS "sessionId", s.status AS "sessionStatus",
         c.age_band AS "ageBand", c.district, c.household, c.problems, c.partners_involved AS "partnersInvolved",
         c.minor_in_household AS "minorInHousehold", c.anonymous_review AS "anonymousReview",
         c.follow_up_at AS "followUpAt", c.outcome, c.closed_at AS "closedAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
         ${attendingSql('$2')} AS attending,
         ${ownsActionSql('$3')} AS "ownsAction",
         (SELECT json_build_object('decision', k.decision, 'expiresAt', k.expires_at, 'withdrawnAt', k.withdrawn_at, 'scope', k.scope)
            FROM consents k WHERE k.case_id = c.id ORDER BY k.recorded_at DESC, k.id LIMIT 1) AS consent
    FROM cases c LEFT JOIN sessions s ON s.id = c.session_id
   WHERE c.id = $1`;

/** SELECT_CASE with the transition's row lock, taken on the case row only. */
export const SELECT_CASE_FOR_UPDATE = `${SELECT_CASE} FOR UPDATE OF c`;

export async function loadCase(
  manager: EntityManager,
  caseId: string,
  viewer: { userId: string; organisationId: string | null },
  lock = false,
): Promise<CaseRecord | undefined> {
  const rows = await preparedQuery<CaseRecord[]>(manager, lock ? SELECT_CASE_FOR_UPDATE : SELECT_CASE, [caseId, viewer.userId, viewer.organisationId]);
  return rows[0];
}

/** Columns of `cases` an event may set besides state, snapshot and version (WorkflowService.applyRecords). */
export interface CaseColumnChanges {
  session_id?: string | null;
  follow_up_at?: string | null;
  closed_at?: Date | null;
  outcome?: string | null;
  anonymous_review?: boolean;
  identity_index?: null;
}

/** In a fixed order, so that one set of columns is always one statement text (one prepared plan). */
const CHANGE_COLUMNS = [
  'session_id',
  'follow_up_at',
  'closed_at',
  'outcome',
  'anonymous_review',
  'identity_index',
] as const satisfies readonly (keyof CaseColumnChanges)[];

export interface TransitionWrite {
  caseId: string;
  expectedVersion: number;
  event: string;
  from: string;
  to: string;
  snapshot: unknown;
  at: Date;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  changes: CaseColumnChanges;
  /** The audit entry as AuditService.rowOf gives it (null: the benchmark switch turned it off). */
  audit: { columns: readonly string[]; values: unknown[] } | null;
}

/**
 * The transition's writes in one statement, so one round trip: the case row (state, snapshot,
 * version and the event's columns) if it is still at the expected version, its history row and
 * the audit entry, both written only if the row was. Answers the new version, or undefined when
 * the row was not at the expected version (then nothing was written).
 */
export async function writeTransition(manager: SqlRunner, write: TransitionWrite): Promise<number | undefined> {
  const params: unknown[] = [];
  const $ = (value: unknown) => `$${params.push(value)}`;
  const sets = [`state = ${$(write.to)}`, `snapshot = ${$(JSON.stringify(write.snapshot))}`, 'version = version + 1'];
  sets.push(`updated_at = ${$(write.at)}`, `last_activity_at = ${$(write.at)}`);
  for (const column of CHANGE_COLUMNS) if (column in write.changes) sets.push(`${column} = ${$(write.changes[column])}`);
  const parts = [
    `updated AS (UPDATE cases SET ${sets.join(', ')} WHERE id = ${$(write.caseId)} AND version = ${$(write.expectedVersion)} RETURNING id, territory_id, version)`,
    `history AS (INSERT INTO case_events (case_id, territory_id, event, from_state, to_state, version, actor_user_id, actor_organisation_id, at)
       SELECT id, territory_id, ${$(write.event)}, ${$(write.from)}, ${$(write.to)}, version, ${$(write.actorUserId)}, ${$(write.actorOrganisationId)}, ${$(write.at)} FROM updated)`,
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

export function factsOf(record: CaseRecord): CaseFacts {
  return {
    territoryId: record.territoryId,
    referrerUserId: record.referrerUserId,
    state: record.state,
    attending: record.attending,
    ownsAction: record.ownsAction,
    consent: record.consent,
  };
}
