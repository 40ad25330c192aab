import { Module } from '@nestjs/common';
import { StatsController } from './stats.controller.js';
import { StatsService } from './stats.service.js';

/** Yearly statistics of a territory (src/stats). */
@Module({
  controllers: [StatsController],
  providers: [StatsService],
})
export class StatsModule {}
