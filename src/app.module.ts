import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccessModule } from './access/access.module.js';
import type { AccessService } from './access/access.service.js';
import { AuditSealer } from './audit/audit-sealer.js';
import { AuditService } from './audit/audit.service.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { TokenSigner } from './auth/tokens.js';
import { Clock } from './common/clock.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { HealthController } from './health.controller.js';
import { TerritoryScopeInterceptor } from './access/territory-scope.interceptor.js';
import { Lifecycle } from './lifecycle.js';
import { Metrics } from './metrics/metrics.js';
import { TerminusModule } from '@nestjs/terminus';
import { Vault } from './vault/vault.js';
import { VAULT, VaultService } from './vault/vault.service.js';
import { ActionPlansModule } from './action-plans/action-plans.module.js';
import { CasesModule } from './cases/cases.module.js';
import { ConsentModule } from './consent/consent.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { CommissionsModule } from './commissions/commissions.module.js';
import { RightsModule } from './rights/rights.module.js';
import { StatsModule } from './stats/stats.module.js';
import { TodoModule } from './todo/todo.module.js';
import { UsersModule } from './users/users.module.js';

/** The parts built before Nest starts (database, policies, keys), handed in as values. */
export interface CoreParts {
  config: AppConfig;
  dataSource: DataSource;
  /** The access decisions from policies/. */
  access: AccessService;
  /** The access log writer, shared with the access service (which logs every refusal). */
  audit: AuditService;
  vault: Vault;
  vaultService: VaultService;
  hasher: PasswordHasher;
  tokens: TokenSigner;
  /** Failed logins per account and per address (PostgreSQL, shared by the replicas). */
  throttle: LoginThrottle;
  auditSealer: AuditSealer;
  clock: Clock;
  /** Prometheus metrics (src/metrics/metrics.ts); absent: a registry that nobody serves. */
  metrics?: Metrics;
  /** Providers registered over the defaults: the benchmark's variants and test seams (CoreOptions.variant). */
  overrideProviders?: Provider[];
}

@Global()
@Module({})
export class CoreModule {
  static forRoot(parts: CoreParts): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: parts.config },
      { provide: DataSource, useValue: parts.dataSource },
      { provide: Vault, useValue: parts.vault },
      { provide: VAULT, useValue: parts.vault },
      { provide: VaultService, useValue: parts.vaultService },
      { provide: PasswordHasher, useValue: parts.hasher },
      { provide: TokenSigner, useValue: parts.tokens },
      { provide: LoginThrottle, useValue: parts.throttle },
      { provide: Clock, useValue: parts.clock },
      { provide: AuditService, useValue: parts.audit },
      { provide: AuditSealer, useValue: parts.auditSealer },
      { provide: Metrics, useValue: parts.metrics ?? new Metrics() },
      Lifecycle,
      ...(parts.overrideProviders ?? []),
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => (typeof p === 'function' ? p : p.provide)) as never };
  }
}

@Module({})
export class AppModule {
  static forRoot(parts: CoreParts): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(parts),
        AccessModule.forRoot(parts.access),
        AuthModule,
        UsersModule,
        NotificationsModule,
        CasesModule,
        ConsentModule,
        ActionPlansModule,
        CommissionsModule,
        JobsModule,
        StatsModule,
        TodoModule,
        RightsModule,
        AuditModule,
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: TerritoryScopeInterceptor },
      ],
    };
  }
}
