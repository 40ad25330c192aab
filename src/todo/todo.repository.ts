import { select, type SqlRunner } from '../database/sql.js';
import type { CaseState } from '../cases/machine/context.js';

/** How many references a list of the to-do names at most; its count says how many there are. */
export const TODO_LIST_LIMIT = 20;
/** How many sessions to come the coordinator's to-do names. */
export const TODO_SESSIONS = 5;
/** "Soon": consents expiring and follow-ups due within this many days. */
export const TODO_HORIZON_DAYS = 30;

export interface TodoCaseRow {
  id: string;
  reference: string;
  state: CaseState;
  /** The date that puts the case on the list (since when it waits, when the consent expires, the follow-up date). */
  at: Date | null;
  total: number;
}

export interface TodoSessionRow {
  id: string;
  commissionId: string;
  commissionName: string;
  startsAt: Date;
  endsAt: Date;
  status: 'planned' | 'open' | 'closed';
  agendaSize: number;
}

const CONSENT_EXPIRES = `(c.snapshot->'context'->'consent'->>'expiresAt')::timestamptz`;
const OPEN = `c.state NOT IN ('closed','purged')`;

/**
 * The coordinator's lists over one territory at `at`: each a query on the projected columns (and
 * the consent's expiry in the snapshot's context), oldest or soonest first, at most
 * TODO_LIST_LIMIT rows with the full count beside each.
 */
export const COORDINATION_LISTS: Record<CoordinationList, { where: string; date: string }> = {
  /** Referrals sent and not yet screened, waiting longest first. */
  toScreen: { where: `c.state = 'submitted'`, date: 'c.updated_at' },
  /** Accepted, the person's consent not recorded yet. */
  consentMissing: { where: `c.state = 'awaiting_consent'`, date: 'c.updated_at' },
  /** A granted consent of an open situation that expired or expires within the horizon. */
  consentExpiring: {
    where: `${OPEN} AND c.snapshot->'context'->'consent'->>'status' = 'granted' AND ${CONSENT_EXPIRES} < $2::timestamptz + make_interval(days => ${TODO_HORIZON_DAYS})`,
    date: CONSENT_EXPIRES,
  },
  /** Ready for review, on no agenda yet. */
  readyForSession: { where: `c.state = 'ready_for_review'`, date: 'c.updated_at' },
  /** A follow-up due now (the job moved it, or has not yet) or within the horizon. */
  followUpsDue: {
    where: `(c.state = 'follow_up' OR (c.state = 'plan_active' AND c.follow_up_at < $2::timestamptz + make_interval(days => ${TODO_HORIZON_DAYS})))`,
    date: 'c.follow_up_at',
  },
};

export type CoordinationList = 'toScreen' | 'consentMissing' | 'consentExpiring' | 'readyForSession' | 'followUpsDue';

export function coordinationList(db: SqlRunner, list: CoordinationList, territoryId: string, at: Date): Promise<TodoCaseRow[]> {
  const { where, date } = COORDINATION_LISTS[list];
  return select<TodoCaseRow>(
    db,
    `SELECT c.id, c.reference, c.state, ${date} AS at, count(*) OVER ()::int AS total
       FROM cases c WHERE c.territory_id = $1 AND ${where} AND $2::timestamptz IS NOT NULL
      ORDER BY ${date} NULLS LAST, c.reference LIMIT ${TODO_LIST_LIMIT}`,
    [territoryId, at],
  );
}

/** The sessions of the territory not closed yet (one past its end is still to close), soonest first, with their agenda's size. */
export function nextSessions(db: SqlRunner, territoryId: string): Promise<TodoSessionRow[]> {
  return select<TodoSessionRow>(
    db,
    `SELECT s.id, s.commission_id AS "commissionId", m.name AS "commissionName", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.status,
            (SELECT count(*) FROM agenda_items a WHERE a.session_id = s.id AND a.removed_at IS NULL)::int AS "agendaSize"
       FROM sessions s JOIN commissions m ON m.id = s.commission_id
      WHERE s.territory_id = $1 AND s.status <> 'closed'
      ORDER BY s.starts_at, s.id LIMIT ${TODO_SESSIONS}`,
    [territoryId],
  );
}

/**
 * What waits on a referrer among the situations they referred (still theirs): a draft (new, or
 * sent back for completion: its last event is SEND_BACK), a consent to record, a refusal to act
 * on (anonymous review or closure), a consent expiring, the person's agreement to the adopted plan
 * not asked yet (`not_asked`, as ADOPT_PLAN leaves it).
 */
export function referrerWaiting(db: SqlRunner, userId: string, at: Date): Promise<(TodoCaseRow & { waiting: ReferrerWaiting })[]> {
  return select(
    db,
    `WITH w AS (
       SELECT c.id, c.reference, c.state, c.updated_at,
              CASE
                WHEN c.state = 'draft' AND (SELECT e.event FROM case_events e WHERE e.case_id = c.id ORDER BY e.version DESC LIMIT 1) = 'SEND_BACK' THEN 'sent_back'
                WHEN c.state = 'draft' THEN 'draft'
                WHEN c.state = 'awaiting_consent' THEN 'consent_to_record'
                WHEN c.state = 'consent_refused' THEN 'consent_refused'
                WHEN ${OPEN} AND c.snapshot->'context'->'consent'->>'status' = 'granted'
                     AND ${CONSENT_EXPIRES} < $2::timestamptz + make_interval(days => ${TODO_HORIZON_DAYS}) THEN 'consent_expiring'
                WHEN c.state IN ('plan_active','follow_up') AND coalesce(c.snapshot->'context'->>'planAgreement', 'not_asked') = 'not_asked' THEN 'plan_agreement'
              END AS waiting,
              ${CONSENT_EXPIRES} AS expires
         FROM cases c WHERE c.referrer_user_id = $1)
     SELECT id, reference, state, waiting, CASE WHEN waiting = 'consent_expiring' THEN expires ELSE updated_at END AS at, count(*) OVER ()::int AS total
       FROM w WHERE waiting IS NOT NULL
      ORDER BY CASE waiting WHEN 'sent_back' THEN 0 WHEN 'consent_expiring' THEN 1 WHEN 'consent_to_record' THEN 2 ELSE 3 END, updated_at, reference
      LIMIT ${TODO_LIST_LIMIT}`,
    [userId, at],
  );
}

export const REFERRER_WAITING = ['draft', 'sent_back', 'consent_to_record', 'consent_refused', 'consent_expiring', 'plan_agreement'] as const;
export type ReferrerWaiting = (typeof REFERRER_WAITING)[number];
