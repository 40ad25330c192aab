import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { MaxItems } from '../common/limits.js';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { Clock } from '../common/clock.js';
import { REPORT_CSV_MAX, REPORT_PDF_MAX, reportCsv } from './report.export.js';
import { renderReportPdf } from './report.pdf.js';
import { StatsService, type StatsAudience } from './stats.service.js';

const AUDIENCES = ['coordination', 'public'] as const satisfies readonly StatsAudience[];
const FORMATS = ['json', 'csv', 'pdf'] as const;

export class StatsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Default: the coordinator's territory" }) @IsOptional() @IsUUID() territoryId?: string;
  @ApiPropertyOptional({ description: 'Default: the current year' }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({
    enum: AUDIENCES,
    description:
      'coordination (default): exact counts; public: figures meant for publication, every count of situations, consents or actions from 1 to below the threshold (policies/statistics.yaml) "suppressed", zero published as 0',
  })
  @IsOptional()
  @IsIn(AUDIENCES)
  audience?: StatsAudience;
  @ApiPropertyOptional({ enum: FORMATS, description: 'json (default); csv: the annual report for a spreadsheet; pdf: the annual report to print' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];
}

const REGIONAL_FORMATS = ['json', 'csv'] as const;
/** The most territories one regional report names. */
export const REGIONAL_MAX_TERRITORIES = 200;
const commaList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : Array.isArray(value) ? value.flatMap((v) => String(v).split(',')).filter(Boolean) : value;

export class RegionalStatsQuery {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: `The territories to aggregate, comma-separated (at most ${REGIONAL_MAX_TERRITORIES}); default: every territory`,
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @MaxItems(REGIONAL_MAX_TERRITORIES)
  @IsUUID('all', { each: true })
  territoryIds?: string[];
  @ApiPropertyOptional({ description: 'Default: the current year' }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ enum: REGIONAL_FORMATS, description: 'json (default); csv: the regional report for a spreadsheet' })
  @IsOptional()
  @IsIn(REGIONAL_FORMATS)
  format?: (typeof REGIONAL_FORMATS)[number];
}

/** A count, or "suppressed" when it is from 1 to the threshold − 1 in figures meant for publication (zero is published as 0). */
// At most one per referral of the territory and year, which its int4 reference counter numbers.
const COUNT = {
  oneOf: [
    { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 },
    { type: 'string', enum: ['suppressed'] },
  ],
};
const COUNTS = { type: 'object', additionalProperties: COUNT } as const;
const EXACT_COUNTS = { type: 'object', additionalProperties: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } } as const;
const DAYS = { oneOf: [{ type: 'number' }, { type: 'string', enum: ['suppressed'] }], nullable: true };

export class MedianDelaysDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Days from the referral sent to its acceptance' }) submittedToAccepted: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Days from the referral sent to its review in session' }) submittedToReview: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Days from the review to the adopted plan' }) reviewToPlan: number | null;
}

export class ExaminedDto {
  @ApiProperty({ ...COUNT, description: 'Situations examined in session for the first time in the year' }) new: number | 'suppressed';
  @ApiProperty({ ...COUNT, description: 'Situations examined in the year that had been examined in an earlier year' }) again: number | 'suppressed';
  @ApiProperty({ ...COUNT, description: 'Examinations in the year (a situation examined twice counts twice)' }) examinations: number | 'suppressed';
}

export class ConsentCountsDto {
  @ApiProperty({ ...COUNT, description: 'Consents the person refused, recorded in the year' }) refused: number | 'suppressed';
  @ApiProperty({ ...COUNT, description: 'Consents withdrawn in the year' }) withdrawn: number | 'suppressed';
}

export class ActionCountsDto {
  @ApiProperty({ ...COUNT, description: 'Actions marked done in the year (by the date of the change, each once)' }) done: number | 'suppressed';
  @ApiProperty({ ...COUNT, description: 'Actions blocked in the year (by the date of the change, each once)' }) blocked: number | 'suppressed';
  @ApiProperty({ ...COUNTS, description: 'Actions carried over into a revised plan in the year, by the reason they were overdue' }) carriedOver: Record<
    string,
    number | 'suppressed'
  >;
  @ApiProperty({ ...COUNTS, description: 'Actions cancelled by a revision in the year, by reason' }) cancelled: Record<string, number | 'suppressed'>;
}

export class ReportDelaysDto {
  @ApiProperty({ ...DAYS, description: 'Median days from the referral sent to its first examination (situations first examined in the year)' })
  referralToFirstReview: number | 'suppressed' | null;
  @ApiProperty({ ...DAYS, description: 'Median days from the first examination to the closure (situations closed in the year)' })
  reviewToClosure: number | 'suppressed' | null;
}

/** One line of the "blocages" table: a count by kind, reason and owner sector, never a situation. */
export class BlocageDto {
  @ApiProperty({ enum: ['carried_over', 'blocked'] }) kind: 'carried_over' | 'blocked';
  @ApiProperty({
    maxLength: 40,
    description:
      'The reason category (carried over: why it was overdue; blocked: the BlockReason given, not_given for an action blocked before reasons were asked)',
  })
  reason: string;
  @ApiProperty({ maxLength: 40, description: "The owner organisation's sector" }) sector: string;
  @ApiProperty(COUNT) count: number | 'suppressed';
}

/** The figures of the annual report, over one territory or several. */
export class ReportFiguresDto {
  @ApiProperty() year: number;
  @ApiProperty({ enum: AUDIENCES }) audience: StatsAudience;
  @ApiProperty(COUNT) total: number | 'suppressed';
  @ApiProperty({ ...COUNTS, description: 'Situations referred this year, by their current state' }) byState: Record<string, number | 'suppressed'>;
  @ApiProperty({ ...COUNTS, description: 'By problem category (a situation counts in each of its categories)' }) byProblem: Record<
    string,
    number | 'suppressed'
  >;
  @ApiProperty({ ...COUNTS, description: "By the referrer's sector" }) byReferrerSector: Record<string, number | 'suppressed'>;
  @ApiProperty({ ...COUNTS, description: 'By how they were closed (open: not closed)' }) byClosure: Record<string, number | 'suppressed'>;
  @ApiProperty({ ...COUNTS, description: 'Referrals created per month (1–12)' }) byMonth: Record<string, number | 'suppressed'>;
  @ApiProperty({ oneOf: [{ $ref: getSchemaPath(MedianDelaysDto) }, { type: 'string', enum: ['suppressed'] }] })
  medianDelayDays: MedianDelaysDto | 'suppressed';
  @ApiProperty() smallCountThreshold: number;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647, description: 'Sessions of the territory held (opened) in the year' })
  sessionsHeld: number;
  @ApiProperty({ type: ExaminedDto }) examined: ExaminedDto;
  @ApiProperty({ ...COUNTS, description: "Situations referred this year, by the person's age band" }) byAgeBand: Record<string, number | 'suppressed'>;
  @ApiProperty({ ...COUNTS, description: 'Situations closed in the year, by the outcome the commission chose (not the closure type)' }) byOutcome: Record<
    string,
    number | 'suppressed'
  >;
  @ApiProperty({ type: ConsentCountsDto }) consents: ConsentCountsDto;
  @ApiProperty({ ...EXACT_COUNTS, description: 'Professionals present at the sessions held in the year, by sector (accounts and guests)' })
  attendanceBySector: Record<string, number>;
  @ApiProperty({ ...EXACT_COUNTS, description: 'Sessions held in the year where the sector was present' }) sessionsBySector: Record<string, number>;
  @ApiProperty({ type: ActionCountsDto }) actions: ActionCountsDto;
  @ApiProperty({ type: ReportDelaysDto }) delays: ReportDelaysDto;
  @ApiProperty({
    type: [BlocageDto],
    maxItems: 200,
    description: 'What stalls, for the CLSM plenary: actions carried over and blocked in the year, by reason and owner sector',
  })
  blocages: BlocageDto[];
}

/** GET /stats: clear categories only, never a name. */
export class StatsDto extends ReportFiguresDto {
  @ApiProperty({ format: 'uuid' }) territoryId: string;
}

export class RegionalTerritoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200 }) name: string;
}

/** GET /stats/regional: several territories together, always as published (audience `public`). */
export class RegionalStatsDto extends ReportFiguresDto {
  @ApiProperty({ type: [RegionalTerritoryDto], maxItems: 10_000, description: 'The territories the figures are over' }) territories: RegionalTerritoryDto[];
}

@ApiTags('statistics')
@ApiBearerAuth()
@ApiExtraModels(StatsDto, RegionalStatsDto, MedianDelaysDto)
@Controller('stats')
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Access('stats.read')
  @ApiOperation({ summary: 'The yearly statistics and annual activity report of a territory; `?format=csv` or `pdf` to download it' })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(StatsDto) } },
      'text/csv': { schema: { type: 'string', maxLength: REPORT_CSV_MAX } },
      'application/pdf': { schema: { type: 'string', format: 'binary', maxLength: REPORT_PDF_MAX } },
    },
  })
  async yearly(@CurrentViewer() viewer: RequestViewer, @Query() query: StatsQuery) {
    const format = query.format ?? 'json';
    const stats = await this.stats.yearly(viewer, query.territoryId, query.year, query.audience, format);
    if (format === 'json') return stats;
    const name = `rapport-activite-${stats.year}${stats.audience === 'public' ? '-publication' : ''}`;
    if (format === 'csv') {
      return new StreamableFile(Buffer.from(reportCsv(stats), 'utf8'), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}.csv"` });
    }
    return new StreamableFile(await renderReportPdf(stats, this.clock.now()), { type: 'application/pdf', disposition: `attachment; filename="${name}.pdf"` });
  }

  @Get('regional')
  @Access('stats.regional')
  @ApiOperation({
    summary:
      'The annual activity report of several territories together (a regional view), counts under the threshold suppressed; `?format=csv` to download it',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(RegionalStatsDto) } },
      'text/csv': { schema: { type: 'string', maxLength: REPORT_CSV_MAX } },
    },
  })
  async regional(@CurrentViewer() viewer: RequestViewer, @Query() query: RegionalStatsQuery) {
    const format = query.format ?? 'json';
    const stats = await this.stats.regional(viewer, query.territoryIds, query.year, format);
    if (format === 'json') return stats;
    return new StreamableFile(Buffer.from(reportCsv(stats), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="rapport-activite-${stats.year}-regional.csv"`,
    });
  }
}
