import { type DynamicModule, Module } from '@nestjs/common';
import { AuditQueryService } from './audit-query.service.js';
import { AuditSealer } from './audit-sealer.js';
import { AuditController } from './audit.controller.js';
import { RecentController } from './recent.controller.js';

/**
 * The auditor's API. The sealer is built (and started, and stopped) by buildApp, with the signing
 * key from the keyring, and handed in; AuditService itself lives in the global core module.
 */
@Module({})
export class AuditModule {
  static forRoot(sealer: AuditSealer): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController, RecentController],
      providers: [AuditQueryService, { provide: AuditSealer, useValue: sealer }],
      exports: [AuditSealer, AuditQueryService],
    };
  }
}
