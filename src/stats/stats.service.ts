import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import {
  countByClosure,
  countByMonth,
  countByProblem,
  countByReferrerSector,
  countByState,
  countCases,
  medianDelays,
  type CountRow,
  territoriesNamed,
  type StatsPeriod,
} from './stats.repository.js';
import {
  countActions,
  countAttendance,
  countBlocages,
  countByAgeBand,
  countByOutcome,
  countConsentRefusals,
  countExamined,
  countSessionsHeld,
  reportDelays,
} from './report.repository.js';

export type Count = number | 'suppressed';
export type Counts = Record<string, Count>;

/**
 * Who the figures are for: the territory's coordinator, who sees every situation of it anyway
 * (exact counts), or publication (`public`: a count below the threshold of policies/statistics.yaml
 * could point to one person, it is `suppressed`).
 */
export type StatsAudience = 'coordination' | 'public';

export interface BlocageLine {
  kind: 'carried_over' | 'blocked';
  reason: string;
  sector: string;
  count: Count;
}

/** The report's figures over one territory or several, for a year (the controller's StatsDto documents each). */
export interface ReportFigures {
  year: number;
  audience: StatsAudience;
  total: Count;
  byState: Counts;
  byProblem: Counts;
  byReferrerSector: Counts;
  byClosure: Counts;
  byMonth: Counts;
  medianDelayDays: { submittedToAccepted: number | null; submittedToReview: number | null; reviewToPlan: number | null } | 'suppressed';
  smallCountThreshold: number;
  sessionsHeld: number;
  examined: { new: Count; again: Count; examinations: Count };
  byAgeBand: Counts;
  byOutcome: Counts;
  consents: { refused: Count; withdrawn: Count };
  attendanceBySector: Record<string, number>;
  sessionsBySector: Record<string, number>;
  actions: { done: Count; blocked: Count; carriedOver: Counts; cancelled: Counts };
  delays: { referralToFirstReview: number | 'suppressed' | null; reviewToClosure: number | 'suppressed' | null };
  blocages: BlocageLine[];
}

/** GET /stats: the figures of one territory and year. */
export interface YearlyStats extends ReportFigures {
  territoryId: string;
}

/** GET /stats/regional: the figures of several territories together, always as published (small counts suppressed). */
export interface RegionalStats extends ReportFigures {
  territories: { id: string; name: string }[];
}

/**
 * Yearly statistics of a territory and its annual activity report: counts by state, problem
 * category, referrer sector, outcome and month over the situations referred in the year, and what
 * happened in the year (sessions held, situations examined, outcomes chosen, consents refused and
 * withdrawn, attendance, actions, delays, what stalls) — from clear metadata only (no protected
 * class is opened); for publication, small counts suppressed (API.md, policies/statistics.yaml).
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
  async yearly(
    viewer: RequestViewer,
    territoryId: string | undefined,
    year = this.clock.now().getUTCFullYear(),
    audience: StatsAudience = 'coordination',
    format: 'json' | 'csv' | 'pdf' = 'json',
  ): Promise<YearlyStats> {
    const territory = territoryId ?? viewer.territoryId;
    await this.access.require(viewer, 'stats.read', { kind: 'territory', territoryId: territory });
    const figures = await this.figures([territory!], year, audience);
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: territory,
      action: 'stats.read',
      decision: 'allow',
      purpose: 'coordination',
      detail: { year, audience, format },
    });
    return { territoryId: territory!, ...figures };
  }

  /**
   * The annual report of several territories together (default: all of them) — a regional view
   * for whoever policies/access.yaml names (`stats.regional`). Aggregated across territories, a
   * small count could still point to one person: it is always the publication's figures, counts
   * under the threshold suppressed (policies/statistics.yaml), whatever the caller.
   */
  async regional(
    viewer: RequestViewer,
    territoryIds: string[] | undefined,
    year = this.clock.now().getUTCFullYear(),
    format: 'json' | 'csv' = 'json',
  ): Promise<RegionalStats> {
    await this.access.require(viewer, 'stats.regional', { kind: 'deployment' });
    const wanted = territoryIds ? [...new Set(territoryIds)] : null;
    const territories = await territoriesNamed(this.dataSource, wanted);
    if (wanted && territories.length !== wanted.length) throw AppError.validation('territoryIds', 'names a territory that does not exist');
    const figures = await this.figures(
      territories.map((t) => t.id),
      year,
      'public',
    );
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: null,
      action: 'stats.regional',
      decision: 'allow',
      purpose: 'publication',
      detail: { year, territories: territories.length, format },
    });
    return { territories, ...figures };
  }

  /** The figures over these territories and year, exact for the coordination or suppressed under the threshold for publication. */
  private async figures(territoryIds: string[], year: number, audience: StatsAudience): Promise<ReportFigures> {
    const period: StatsPeriod = { territoryIds, from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
    const db = this.dataSource;
    const total = await countCases(db, period);
    const byState = await countByState(db, period);
    const byProblem = await countByProblem(db, period);
    const bySector = await countByReferrerSector(db, period);
    const byClosure = await countByClosure(db, period);
    const byMonth = await countByMonth(db, period);
    const d = await medianDelays(db, period);
    const sessionsHeld = await countSessionsHeld(db, period);
    const examined = await countExamined(db, period);
    const byAgeBand = await countByAgeBand(db, period);
    const byOutcome = await countByOutcome(db, period);
    const consents = await countConsentRefusals(db, period);
    const attendance = await countAttendance(db, period);
    const actions = await countActions(db, period);
    const blocages = await countBlocages(db, period);
    const delays = await reportDelays(db, period);

    const threshold = this.access.smallCountThreshold;
    const exact = audience === 'coordination';
    // From 1 to threshold − 1: suppressed. Zero is published as 0: it points to nobody (policies/statistics.yaml).
    const count = (n: number): Count => (exact || n === 0 || n >= threshold ? n : 'suppressed');
    const counts = (rows: CountRow[]): Counts => Object.fromEntries(rows.map((r) => [r.key ?? 'unknown', count(r.n)]));
    const round = (v: number | null) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    // A median over fewer situations than the threshold could describe one of them (over none: there is none, null).
    const small = (base: number) => !exact && base > 0 && base < threshold;
    const median = (v: number | null, base: number) => (small(base) ? 'suppressed' : round(v));
    return {
      year,
      audience,
      total: count(total),
      byState: counts(byState),
      byProblem: counts(byProblem),
      byReferrerSector: counts(bySector),
      byClosure: counts(byClosure),
      byMonth: counts(byMonth),
      medianDelayDays:
        // (Its base is the situations reviewed, yet submittedToAccepted counts others: suppressed whenever that base is small, none included.)
        !exact && d.reviewed < threshold
          ? 'suppressed'
          : { submittedToAccepted: round(d.submittedToAccepted), submittedToReview: round(d.submittedToReview), reviewToPlan: round(d.reviewToPlan) },
      smallCountThreshold: threshold,
      sessionsHeld,
      examined: { new: count(examined.new), again: count(examined.again), examinations: count(examined.examinations) },
      byAgeBand: counts(byAgeBand),
      byOutcome: counts(byOutcome),
      consents: { refused: count(consents.refused), withdrawn: count(consents.withdrawn) },
      attendanceBySector: Object.fromEntries(attendance.map((r) => [r.key, r.people])),
      sessionsBySector: Object.fromEntries(attendance.map((r) => [r.key, r.sessions])),
      actions: { done: count(actions.done), blocked: count(actions.blocked), carriedOver: counts(actions.carried), cancelled: counts(actions.cancelled) },
      delays: {
        referralToFirstReview: median(delays.referralToFirstReview, delays.firstReviewed),
        reviewToClosure: median(delays.reviewToClosure, delays.closedAfterReview),
      },
      blocages: blocages.map((b) => ({ kind: b.kind, reason: b.reason, sector: b.sector, count: count(b.n) })),
    };
  }
}
