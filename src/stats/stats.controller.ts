import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { StatsService, type StatsAudience } from './stats.service.js';

const AUDIENCES = ['coordination', 'public'] as const satisfies readonly StatsAudience[];

export class StatsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Default: the coordinator's territory" }) @IsOptional() @IsUUID() territoryId?: string;
  @ApiPropertyOptional({ description: 'Default: the current year' }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({
    enum: AUDIENCES,
    description: 'coordination (default): exact counts; public: figures meant for publication, every count below the threshold "suppressed"',
  })
  @IsOptional()
  @IsIn(AUDIENCES)
  audience?: StatsAudience;
}

/** A count, or "suppressed" when it is below the threshold in figures meant for publication. */
// At most one per referral of the territory and year, which its int4 reference counter numbers.
const COUNT = {
  oneOf: [
    { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 },
    { type: 'string', enum: ['suppressed'] },
  ],
};
const COUNTS = { type: 'object', additionalProperties: COUNT } as const;

export class MedianDelaysDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Days from the referral sent to its acceptance' }) submittedToAccepted: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Days from the referral sent to its review in session' }) submittedToReview: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Days from the review to the adopted plan' }) reviewToPlan: number | null;
}

/** GET /stats: clear categories only, never a name. */
export class StatsDto {
  @ApiProperty({ format: 'uuid' }) territoryId: string;
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
}

@ApiTags('statistics')
@ApiBearerAuth()
@ApiExtraModels(MedianDelaysDto)
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @Access('stats.read')
  @ApiOkResponse({ type: StatsDto })
  yearly(@CurrentViewer() viewer: RequestViewer, @Query() query: StatsQuery) {
    return this.stats.yearly(viewer, query.territoryId, query.year, query.audience);
  }
}
