import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import type { RequestViewer } from '../auth/viewer.js';
import {
  countByClosure,
  countByMonth,
  countByProblem,
  countByReferrerSector,
  countByState,
  countCases,
  medianDelays,
  type CountRow,
  type StatsPeriod,
} from './stats.repository.js';

/** Counts below this are reported as suppressed: a small cell could point to one person. */
export const SMALL_COUNT = 5;

type Count = number | 'suppressed';

/**
 * Who the figures are for: the territory's coordinator, who sees every situation of it anyway
 * (exact counts), or publication (`public`: a count below the threshold could point to one
 * person, it is `suppressed`).
 */
export type StatsAudience = 'coordination' | 'public';

/**
 * Yearly statistics of a territory for the coordinator: counts by state, problem category,
 * referrer sector, outcome and month, and median delays between stages — from clear metadata only
 * (no protected class is opened); for publication, small counts suppressed (API.md).
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The statistics of one year (default: the current one) of a territory (default: the caller's). */
  async yearly(viewer: RequestViewer, territoryId: string | undefined, year = this.clock.now().getUTCFullYear(), audience: StatsAudience = 'coordination') {
    const territory = territoryId ?? viewer.territoryId;
    await this.access.require(viewer, 'stats.read', { kind: 'territory', territoryId: territory });
    const period: StatsPeriod = { territoryId: territory!, from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
    const total = await countCases(this.dataSource, period);
    const byState = await countByState(this.dataSource, period);
    const byProblem = await countByProblem(this.dataSource, period);
    const bySector = await countByReferrerSector(this.dataSource, period);
    const byClosure = await countByClosure(this.dataSource, period);
    const byMonth = await countByMonth(this.dataSource, period);
    const d = await medianDelays(this.dataSource, period);
    const exact = audience === 'coordination';
    const count = (n: number): Count => (exact || n >= SMALL_COUNT ? n : 'suppressed');
    const counts = (rows: CountRow[]): Record<string, Count> => Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', count(r.n)]));
    const round = (v: number | null) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: territory,
      action: 'stats.read',
      decision: 'allow',
      purpose: 'coordination',
      detail: { year, audience },
    });
    return {
      territoryId: territory,
      year,
      audience,
      total: count(total),
      byState: counts(byState),
      byProblem: counts(byProblem),
      byReferrerSector: counts(bySector),
      byClosure: counts(byClosure),
      byMonth: counts(byMonth),
      medianDelayDays:
        !exact && d.reviewed < SMALL_COUNT
          ? 'suppressed'
          : { submittedToAccepted: round(d.submittedToAccepted), submittedToReview: round(d.submittedToReview), reviewToPlan: round(d.reviewToPlan) },
      smallCountThreshold: SMALL_COUNT,
    };
  }
}
