import { select, type SqlRunner } from '../database/sql.js';

/** The cases of the territories (one, or a region's) created in [from, to): the population every count is over. */
export interface StatsPeriod {
  territoryIds: string[];
  from: Date;
  to: Date;
}

export interface CountRow {
  key: string | null;
  n: number;
}

export interface DelayRow {
  submittedToAccepted: number | null;
  submittedToReview: number | null;
  reviewToPlan: number | null;
  /** Cases that reached a review after being submitted (the base of the medians). */
  reviewed: number;
}

// A draft its referrer deleted (issue 12) was never a referral: it counts nowhere.
const SCOPE = `c.territory_id = ANY($1::uuid[]) AND c.created_at >= $2 AND c.created_at < $3 AND c.closure IS DISTINCT FROM 'deleted'`;
const params = (p: StatsPeriod) => [p.territoryIds, p.from, p.to];

export async function countCases(runner: SqlRunner, period: StatsPeriod): Promise<number> {
  const [{ total }] = await select<{ total: number }>(runner, `SELECT count(*)::int AS total FROM cases c WHERE ${SCOPE}`, params(period));
  return total;
}

export function countByState(runner: SqlRunner, period: StatsPeriod): Promise<CountRow[]> {
  return select<CountRow>(runner, `SELECT c.state AS key, count(*)::int AS n FROM cases c WHERE ${SCOPE} GROUP BY 1 ORDER BY 1`, params(period));
}

export function countByProblem(runner: SqlRunner, period: StatsPeriod): Promise<CountRow[]> {
  return select<CountRow>(
    runner,
    `SELECT p AS key, count(*)::int AS n FROM cases c, unnest(c.problems) p WHERE ${SCOPE} GROUP BY 1 ORDER BY 1`,
    params(period),
  );
}

export function countByReferrerSector(runner: SqlRunner, period: StatsPeriod): Promise<CountRow[]> {
  return select<CountRow>(
    runner,
    `SELECT o.sector AS key, count(*)::int AS n FROM cases c JOIN organisations o ON o.id = c.referrer_organisation_id WHERE ${SCOPE} GROUP BY 1 ORDER BY 1`,
    params(period),
  );
}

export function countByClosure(runner: SqlRunner, period: StatsPeriod): Promise<CountRow[]> {
  return select<CountRow>(
    runner,
    `SELECT coalesce(c.closure, 'open') AS key, count(*)::int AS n FROM cases c WHERE ${SCOPE} GROUP BY 1 ORDER BY 1`,
    params(period),
  );
}

/** Referrals created per month of the period (key: the month number, 1–12, Europe/Paris). */
export function countByMonth(runner: SqlRunner, period: StatsPeriod): Promise<CountRow[]> {
  return select<CountRow>(
    runner,
    `SELECT extract(month FROM c.created_at AT TIME ZONE 'Europe/Paris')::int::text AS key, count(*)::int AS n FROM cases c WHERE ${SCOPE} GROUP BY 1 ORDER BY 1`,
    params(period),
  );
}

/**
 * Median days between the first time a case reached one stage and the first time it reached the
 * next, from the event history.
 */
export async function medianDelays(runner: SqlRunner, period: StatsPeriod): Promise<DelayRow> {
  const [row] = await select<DelayRow>(
    runner,
    `WITH firsts AS (
       SELECT e.case_id, e.event, min(e.at) AS at FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE ${SCOPE} GROUP BY e.case_id, e.event)
     SELECT
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.at - s.at) / 86400) FILTER (WHERE a.at IS NOT NULL AND s.at IS NOT NULL) AS "submittedToAccepted",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.at - s.at) / 86400) FILTER (WHERE r.at IS NOT NULL AND s.at IS NOT NULL) AS "submittedToReview",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.at - r.at) / 86400) FILTER (WHERE p.at IS NOT NULL AND r.at IS NOT NULL) AS "reviewToPlan",
       count(*) FILTER (WHERE r.at IS NOT NULL AND s.at IS NOT NULL)::int AS reviewed
       FROM (SELECT DISTINCT case_id FROM firsts) k
       LEFT JOIN firsts s ON s.case_id = k.case_id AND s.event = 'SUBMIT'
       LEFT JOIN firsts a ON a.case_id = k.case_id AND a.event = 'ACCEPT'
       LEFT JOIN firsts r ON r.case_id = k.case_id AND r.event = 'START_REVIEW'
       LEFT JOIN firsts p ON p.case_id = k.case_id AND p.event = 'ADOPT_PLAN'`,
    params(period),
  );
  return row;
}

/** The territories of these ids (all of them: null), by name: what a regional report covers. */
export function territoriesNamed(runner: SqlRunner, ids: string[] | null): Promise<{ id: string; name: string }[]> {
  return select<{ id: string; name: string }>(runner, `SELECT id, name FROM territories WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY name, id`, [
    ids,
  ]);
}
