import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';

/** Counts below this are reported as suppressed: a small cell could point to one person. */
export const SMALL_COUNT = 5;

type Count = number | 'suppressed';

function suppress(rows: { key: string | null; n: number }[]): Record<string, Count> {
  return Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', r.n < SMALL_COUNT ? 'suppressed' : r.n]));
}

/**
 * Yearly statistics of a territory for the coordinator: counts by state, problem category,
 * referrer sector and outcome, and median delays between stages — from clear metadata only
 * (no protected class is opened), small counts suppressed.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async yearly(viewer: RequestViewer, territoryId: string | undefined, year: number) {
    const territory = territoryId ?? viewer.territoryId;
    if (!territory || territory !== viewer.territoryId) throw AppError.forbidden('A coordinator reads the statistics of their own territory');
    const from = new Date(Date.UTC(year, 0, 1));
    const to = new Date(Date.UTC(year + 1, 0, 1));
    const params = [territory, from, to];
    const scope = `c.territory_id = $1 AND c.created_at >= $2 AND c.created_at < $3`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM cases c WHERE ${scope}`, params);
    const byState = await this.dataSource.query(`SELECT c.state AS key, count(*)::int AS n FROM cases c WHERE ${scope} GROUP BY 1 ORDER BY 1`, params);
    const byProblem = await this.dataSource.query(
      `SELECT p AS key, count(*)::int AS n FROM cases c, unnest(c.problems) p WHERE ${scope} GROUP BY 1 ORDER BY 1`,
      params,
    );
    const bySector = await this.dataSource.query(
      `SELECT o.sector AS key, count(*)::int AS n FROM cases c JOIN organisations o ON o.id = c.referrer_organisation_id WHERE ${scope} GROUP BY 1 ORDER BY 1`,
      params,
    );
    const byOutcome = await this.dataSource.query(
      `SELECT coalesce(c.closure, 'open') AS key, count(*)::int AS n FROM cases c WHERE ${scope} GROUP BY 1 ORDER BY 1`,
      params,
    );
    // Median days between the first time a case reached one stage and the first time it reached
    // the next, from the event history.
    const delays = await this.dataSource.query(
      `WITH firsts AS (
         SELECT e.case_id, e.event, min(e.at) AS at FROM case_events e JOIN cases c ON c.id = e.case_id
          WHERE ${scope} GROUP BY e.case_id, e.event)
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
      params,
    );
    const round = (v: number | null) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    const d = delays[0];
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: territory,
      action: 'stats.read',
      decision: 'allow',
      purpose: 'coordination',
      detail: { year },
    });
    return {
      territoryId: territory,
      year,
      total: total < SMALL_COUNT ? 'suppressed' : total,
      byState: suppress(byState),
      byProblem: suppress(byProblem),
      byReferrerSector: suppress(bySector),
      byClosure: suppress(byOutcome),
      medianDelayDays:
        d.reviewed < SMALL_COUNT
          ? 'suppressed'
          : { submittedToAccepted: round(d.submittedToAccepted), submittedToReview: round(d.submittedToReview), reviewToPlan: round(d.reviewToPlan) },
      smallCountThreshold: SMALL_COUNT,
    };
  }
}
