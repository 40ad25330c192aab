import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { StatsService } from './stats.service.js';

export class StatsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Default: the coordinator's territory" }) @IsOptional() @IsUUID() territoryId?: string;
  @ApiPropertyOptional({ description: 'Default: the current year' }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
}

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @Access('stats.read')
  yearly(@CurrentViewer() viewer: RequestViewer, @Query() query: StatsQuery) {
    return this.stats.yearly(viewer, query.territoryId, query.year);
  }
}
