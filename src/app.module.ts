import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { PolicyService } from './access/policy.service.js';
import { AuditSealer } from './audit/audit-sealer.js';
import { AuditService } from './audit/audit.service.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { SessionController } from './auth/session.controller.js';
import { WebSessions } from './auth/web-sessions.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { TokenSigner } from './auth/tokens.js';
import { Clock } from './common/clock.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { HealthController } from './health.controller.js';
import { DirectoryController } from './users/directory.controller.js';
import { DirectoryService } from './users/directory.service.js';
import { Vault } from './vault/vault.js';
import { VAULT, VaultService } from './vault/vault.service.js';
import { ActionPlansModule } from './action-plans/action-plans.module.js';
import { CasesModule } from './cases/cases.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { StatsController } from './stats/stats.controller.js';
import { RegisterController } from './access/register.controller.js';
import { StatsService } from './stats/stats.service.js';
import { CommissionsModule } from './commissions/commissions.module.js';

/** The parts built before Nest starts (database, policies, keys), handed in as values. */
export interface CoreParts {
  config: AppConfig;
  dataSource: DataSource;
  policy: PolicyService;
  vault: Vault;
  vaultService: VaultService;
  hasher: PasswordHasher;
  tokens: TokenSigner;
  auditSealer: AuditSealer;
  clock: Clock;
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
      { provide: PolicyService, useValue: parts.policy },
      { provide: Vault, useValue: parts.vault },
      { provide: VAULT, useValue: parts.vault },
      { provide: VaultService, useValue: parts.vaultService },
      { provide: PasswordHasher, useValue: parts.hasher },
      { provide: TokenSigner, useValue: parts.tokens },
      { provide: Clock, useValue: parts.clock },
      AuditService,
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
      imports: [CoreModule.forRoot(parts), CasesModule, ActionPlansModule, CommissionsModule, JobsModule, AuditModule.forRoot(parts.auditSealer)],
      controllers: [HealthController, AuthController, SessionController, DirectoryController, StatsController, RegisterController],
      providers: [
        AuthService,
        WebSessions,
        DirectoryService,
        StatsService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
