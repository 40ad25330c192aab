import { Module } from '@nestjs/common';
import { AuditQueryService } from './audit-query.service.js';
import { AuditController } from './audit.controller.js';
import { RecentController } from './recent.controller.js';

/**
 * The auditor's API. The sealer is built (and started, and stopped) by buildApp, with the signing
 * key from the keyring; it and AuditService are providers of the global core module (the job
 * queue's `audit-purge` task uses the sealer too).
 */
@Module({
  controllers: [AuditController, RecentController],
  providers: [AuditQueryService],
  exports: [AuditQueryService],
})
export class AuditModule {}
