import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { ApiExcludeController, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from './auth/viewer.js';
import { Lifecycle } from './lifecycle.js';

/** How long the readiness probe waits for the database before it says "not ready". */
const DATABASE_PROBE_TIMEOUT_MS = 1000;

/** The probes' answer, documented here (terminus documents it only when it can `require` the swagger package, which differs between runtimes). */
const PROBE_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: { type: 'object', additionalProperties: { type: 'object' } },
    error: { type: 'object', additionalProperties: { type: 'object' } },
    details: { type: 'object', additionalProperties: { type: 'object' } },
  },
  required: ['status'],
};

/**
 * The probes (@nestjs/terminus). Liveness: the process answers (an orchestrator restarts it when
 * not); it never depends on the database, so a database restart does not restart every replica.
 * Readiness: the database answers within a second and the server is not draining for a shutdown
 * (a load balancer sends requests only to ready replicas). Neither says anything about data.
 */
// For the orchestrator, not for API clients: left out of the API description (never rate limited,
// so none of its answers carries the RateLimit-* headers the document declares on every other).
@ApiExcludeController()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: Lifecycle,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** 200 once the database is migrated and the keys are loaded (both happen before listening). */
  @Public()
  @Get()
  async status(): Promise<{ status: 'ok' }> {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }

  @Public()
  @Get('live')
  @HealthCheck({ swaggerDocumentation: false, noCache: true })
  @ApiOkResponse({ description: 'Up', schema: PROBE_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'Down (the details say which part)', schema: PROBE_SCHEMA })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Public()
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false, noCache: true })
  @ApiOkResponse({ description: 'Up', schema: PROBE_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'Down (the details say which part)', schema: PROBE_SCHEMA })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.serving(), () => this.database()]);
  }

  private serving(): HealthIndicatorResult {
    const indicator = this.indicators.check('server');
    return this.lifecycle.draining ? indicator.down({ message: 'shutting down' }) : indicator.up();
  }

  private async database(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 1 s')), DATABASE_PROBE_TIMEOUT_MS))),
      ]);
      return indicator.up();
    } catch {
      return indicator.down({ message: 'unreachable' });
    } finally {
      clearTimeout(timer);
    }
  }
}
