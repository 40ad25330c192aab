import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import type { RequestViewer } from '../auth/viewer.js';
import {
  countByClosure,
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

function suppress(rows: CountRow[]): Record<string, Count> {
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
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The statistics of one year (default: the current one) of a territory (default: the caller's). */
  async yearly(viewer: RequestViewer, territoryId: string | undefined, year = this.clock.now().getUTCFullYear()) {
    const territory = territoryId ?? viewer.territoryId;
    await this.access.require(viewer, 'stats.read', { kind: 'territory', territoryId: territory });
    const period: StatsPeriod = { territoryId: territory!, from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
    const total = await countCases(this.dataSource, period);
    const byState = await countByState(this.dataSource, period);
    const byProblem = await countByProblem(this.dataSource, period);
    const bySector = await countByReferrerSector(this.dataSource, period);
    const byClosure = await countByClosure(this.dataSource, period);
    const d = await medianDelays(this.dataSource, period);
    const round = (v: number | null) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
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
      byClosure: suppress(byClosure),
      medianDelayDays:
        d.reviewed < SMALL_COUNT
          ? 'suppressed'
          : { submittedToAccepted: round(d.submittedToAccepted), submittedToReview: round(d.submittedToReview), reviewToPlan: round(d.reviewToPlan) },
      smallCountThreshold: SMALL_COUNT,
    };
  }
}
