/**
 * The annual activity report's figures (issue 13): what COPILs, the ARS and the CNR-CLSM surveys
 * ask for, each counted in the year it happened (a session held, a situation examined, an outcome
 * chosen, a consent refused or withdrawn, an action done or carried over) — not only over the
 * situations referred that year (stats.repository.ts). Clear categories only: no protected class
 * is read, no situation reference leaves these queries.
 */
import { select, type SqlRunner } from '../database/sql.js';
import type { CountRow, StatsPeriod } from './stats.repository.js';

const params = (p: StatsPeriod) => [p.territoryIds, p.from, p.to];
const IN_YEAR = (column: string) => `${column} >= $2 AND ${column} < $3`;

/** Sessions of the territory held in the year: opened, starting in it. */
export async function countSessionsHeld(runner: SqlRunner, period: StatsPeriod): Promise<number> {
  const [{ n }] = await select<{ n: number }>(
    runner,
    `SELECT count(*)::int AS n FROM sessions s WHERE s.territory_id = ANY($1::uuid[]) AND s.opened_at IS NOT NULL AND ${IN_YEAR('s.starts_at')}`,
    params(period),
  );
  return n;
}

export interface ExaminedRow {
  /** Situations examined for the first time in the year. */
  new: number;
  /** Situations examined in the year that had been examined in an earlier year. */
  again: number;
  /** Examinations in the year (a situation examined twice counts twice). */
  examinations: number;
}

/** Situations examined in session (START_REVIEW) in the year, whenever they were referred. */
export async function countExamined(runner: SqlRunner, period: StatsPeriod): Promise<ExaminedRow> {
  const [row] = await select<ExaminedRow>(
    runner,
    `WITH reviews AS (
       SELECT e.case_id, e.at, min(e.at) OVER (PARTITION BY e.case_id) AS first_at
         FROM case_events e WHERE e.territory_id = ANY($1::uuid[]) AND e.event = 'START_REVIEW')
     SELECT count(DISTINCT case_id) FILTER (WHERE ${IN_YEAR('first_at')})::int AS new,
            count(DISTINCT case_id) FILTER (WHERE first_at < $2)::int AS again,
            count(*)::int AS examinations
       FROM reviews WHERE ${IN_YEAR('at')}`,
    params(period),
  );
  return row;
}

// Referred in the year, as the other counts by referral (stats.repository.ts SCOPE).
const REFERRED = `c.territory_id = ANY($1::uuid[]) AND c.created_at >= $2 AND c.created_at < $3 AND c.closure IS DISTINCT FROM 'deleted'`;

/** Situations referred in the year by the person's age band. */
export function countByAgeBand(runner: SqlRunner, period: StatsPeriod): Promise<CountRow[]> {
  return select<CountRow>(runner, `SELECT c.age_band AS key, count(*)::int AS n FROM cases c WHERE ${REFERRED} GROUP BY 1 ORDER BY 1`, params(period));
}

/** Situations closed in the year by the outcome the commission chose (not the closure type). */
export function countByOutcome(runner: SqlRunner, period: StatsPeriod): Promise<CountRow[]> {
  return select<CountRow>(
    runner,
    `SELECT c.outcome AS key, count(*)::int AS n FROM cases c WHERE c.territory_id = ANY($1::uuid[]) AND c.outcome IS NOT NULL AND ${IN_YEAR('c.closed_at')} GROUP BY 1 ORDER BY 1`,
    params(period),
  );
}

export interface ConsentRow {
  refused: number;
  withdrawn: number;
}

/** Consents the person refused (recorded in the year) and withdrew (in the year). */
export async function countConsentRefusals(runner: SqlRunner, period: StatsPeriod): Promise<ConsentRow> {
  const [row] = await select<ConsentRow>(
    runner,
    `SELECT count(*) FILTER (WHERE k.decision = 'refused' AND ${IN_YEAR('k.recorded_at')})::int AS refused,
            count(*) FILTER (WHERE ${IN_YEAR('k.withdrawn_at')})::int AS withdrawn
       FROM consents k JOIN cases c ON c.id = k.case_id WHERE c.territory_id = ANY($1::uuid[])`,
    params(period),
  );
  return row;
}

/**
 * Attendance of the sessions held in the year by partner sector: the people present (accounts
 * and guests of a known organisation; a guest named by a label only counts as `other`), and the
 * sessions where the sector was present.
 */
export function countAttendance(runner: SqlRunner, period: StatsPeriod): Promise<{ key: string; people: number; sessions: number }[]> {
  return select(
    runner,
    `WITH present AS (
       SELECT s.id AS session_id, o.sector FROM sessions s
         JOIN session_attendance a ON a.session_id = s.id JOIN users u ON u.id = a.user_id JOIN organisations o ON o.id = u.organisation_id
        WHERE s.territory_id = ANY($1::uuid[]) AND s.opened_at IS NOT NULL AND ${IN_YEAR('s.starts_at')}
       UNION ALL
       SELECT s.id, coalesce(o.sector, 'other') FROM sessions s
         JOIN session_guests g ON g.session_id = s.id LEFT JOIN organisations o ON o.id = g.organisation_id
        WHERE s.territory_id = ANY($1::uuid[]) AND s.opened_at IS NOT NULL AND ${IN_YEAR('s.starts_at')})
     SELECT sector AS key, count(*)::int AS people, count(DISTINCT session_id)::int AS sessions FROM present GROUP BY 1 ORDER BY 1`,
    params(period),
  );
}

export interface ActionYearRow {
  /** Actions marked done in the year (each once, whatever became of it later). */
  done: number;
  /** Carried over into a revised plan (with the reason it was overdue), in the year. */
  carried: CountRow[];
  /** Cancelled by a revision, in the year, by reason. */
  cancelled: CountRow[];
  /** Actions blocked in the year (each once, whatever became of it later). */
  blocked: number;
}

/**
 * The actions of the territory's plans over the year: done, carried over and why, cancelled and
 * why, blocked. Done and blocked are counted by the date of the change of status
 * (`action_status_changes`), not by the action's last update: a note added in January to an
 * action done in December leaves it in December's year.
 */
export async function countActions(runner: SqlRunner, period: StatsPeriod): Promise<ActionYearRow> {
  const [{ done, blocked }] = await select<{ done: number; blocked: number }>(
    runner,
    `SELECT count(DISTINCT h.action_id) FILTER (WHERE h.status = 'done')::int AS done, count(DISTINCT h.action_id) FILTER (WHERE h.status = 'blocked')::int AS blocked
       FROM action_status_changes h WHERE h.territory_id = ANY($1::uuid[]) AND h.status IN ('done', 'blocked') AND ${IN_YEAR('h.at')}`,
    params(period),
  );
  const carried = await select<CountRow>(
    runner,
    `SELECT a.carry_reason AS key, count(*)::int AS n FROM actions a WHERE a.territory_id = ANY($1::uuid[]) AND a.carry_reason IS NOT NULL AND ${IN_YEAR('a.carried_at')} GROUP BY 1 ORDER BY 1`,
    params(period),
  );
  const cancelled = await select<CountRow>(
    runner,
    `SELECT a.cancel_reason AS key, count(*)::int AS n FROM actions a WHERE a.territory_id = ANY($1::uuid[]) AND a.status = 'cancelled' AND ${IN_YEAR('a.updated_at')} GROUP BY 1 ORDER BY 1`,
    params(period),
  );
  return { done, carried, cancelled, blocked };
}

export interface BlocageRow {
  kind: 'carried_over' | 'blocked';
  reason: string;
  sector: string;
  n: number;
}

/**
 * What stalls (the "blocages" table for the CLSM plenary): actions carried over (by the reason
 * they were overdue) and actions blocked in the year (by the reason given when blocking it — an
 * action blocked twice for different reasons counts under each; `not_given` for an action blocked
 * before reasons were asked), by the owner organisation's sector. No situation, action or
 * organisation is named: only counts by category.
 */
export function countBlocages(runner: SqlRunner, period: StatsPeriod): Promise<BlocageRow[]> {
  return select<BlocageRow>(
    runner,
    `SELECT 'carried_over' AS kind, a.carry_reason AS reason, o.sector, count(*)::int AS n
       FROM actions a JOIN organisations o ON o.id = a.owner_organisation_id
      WHERE a.territory_id = ANY($1::uuid[]) AND a.carry_reason IS NOT NULL AND ${IN_YEAR('a.carried_at')} GROUP BY 1, 2, 3
     UNION ALL
     SELECT 'blocked', coalesce(h.block_reason, 'not_given'), o.sector, count(DISTINCT h.action_id)::int
       FROM action_status_changes h JOIN actions a ON a.id = h.action_id JOIN organisations o ON o.id = a.owner_organisation_id
      WHERE h.territory_id = ANY($1::uuid[]) AND h.status = 'blocked' AND ${IN_YEAR('h.at')} GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    params(period),
  );
}

export interface ReportDelayRow {
  referralToFirstReview: number | null;
  /** Situations first examined in the year after being sent (the base of the first median). */
  firstReviewed: number;
  reviewToClosure: number | null;
  /** Situations closed in the year after an examination (the base of the second). */
  closedAfterReview: number;
}

/**
 * Median days from the referral sent (its first SUBMIT) to its first examination, over the
 * situations first examined in the year; and from the first examination to the closure, over
 * those closed in the year.
 */
export async function reportDelays(runner: SqlRunner, period: StatsPeriod): Promise<ReportDelayRow> {
  const [row] = await select<ReportDelayRow>(
    runner,
    `WITH firsts AS (
       SELECT e.case_id, min(e.at) FILTER (WHERE e.event = 'SUBMIT') AS sent, min(e.at) FILTER (WHERE e.event = 'START_REVIEW') AS reviewed,
              max(e.at) FILTER (WHERE e.event = 'CLOSE') AS closed
         FROM case_events e WHERE e.territory_id = ANY($1::uuid[]) GROUP BY e.case_id)
     SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM reviewed - sent) / 86400)
              FILTER (WHERE sent IS NOT NULL AND ${IN_YEAR('reviewed')}) AS "referralToFirstReview",
            count(*) FILTER (WHERE sent IS NOT NULL AND ${IN_YEAR('reviewed')})::int AS "firstReviewed",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed - reviewed) / 86400)
              FILTER (WHERE reviewed IS NOT NULL AND closed > reviewed AND ${IN_YEAR('closed')}) AS "reviewToClosure",
            count(*) FILTER (WHERE reviewed IS NOT NULL AND closed > reviewed AND ${IN_YEAR('closed')})::int AS "closedAfterReview"
       FROM firsts`,
    params(period),
  );
  return row;
}
