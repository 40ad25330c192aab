import { InitialSchema1763890000000 } from './1763890000000-InitialSchema.js';
import { AuditChain1795432247962 } from './1795432247962-AuditChain.js';
import { LoginThrottle1795500000000 } from './1795500000000-LoginThrottle.js';
import { RetentionIndexes1795500000001 } from './1795500000001-RetentionIndexes.js';
import { CaseProjection1795600000000 } from './1795600000000-CaseProjection.js';
import { WebSessions1795700000000 } from './1795700000000-WebSessions.js';
import { Accounts1795700000010 } from './1795700000010-Accounts.js';
import { ReleasesEndWithReason1795800000001 } from './1795800000001-ReleasesEndWithReason.js';
import { AuditorRole1795900000001 } from './1795900000001-AuditorRole.js';
import { IdempotencyKeys1795900000002 } from './1795900000002-IdempotencyKeys.js';
import { TerritoryRowSecurity1795900000003 } from './1795900000003-TerritoryRowSecurity.js';
import { ReferralLives1796000000001 } from './1796000000001-ReferralLives.js';
import { AfterThePlan1796100000001 } from './1796100000001-AfterThePlan.js';
import { AuditPurgeChecks1796200000000 } from './1796200000000-AuditPurgeChecks.js';
import { AuditVerifications1796200000001 } from './1796200000001-AuditVerifications.js';
import { CaseDocuments1796300000001 } from './1796300000001-CaseDocuments.js';
import { SessionRecord1796400000001 } from './1796400000001-SessionRecord.js';
import { JobQueue1796500000001 } from './1796500000001-JobQueue.js';
import { Notifications1796600000001 } from './1796600000001-Notifications.js';
import { AuditRowSecurity1796800000000 } from './1796800000000-AuditRowSecurity.js';
import { TransparencyCodes1796900000001 } from './1796900000001-TransparencyCodes.js';
import { RightsRequests1797000000001 } from './1797000000001-RightsRequests.js';
import { RightsHandlerNotification1797000000002 } from './1797000000002-RightsHandlerNotification.js';
import { ActionBlockReason1797100000001 } from './1797100000001-ActionBlockReason.js';
import { ActionStatusChanges1797100000002 } from './1797100000002-ActionStatusChanges.js';
import { OidcIdentities1797200000000 } from './1797200000000-OidcIdentities.js';
import { DirectoryRowSecurity1797300000000 } from './1797300000000-DirectoryRowSecurity.js';
import { MailJobs1797400000000 } from './1797400000000-MailJobs.js';
import { TransparencyClientsPerReference1797500000000 } from './1797500000000-TransparencyClientsPerReference.js';
import { RightsCopyDownloads1797600000000 } from './1797600000000-RightsCopyDownloads.js';
import { AuditPurgeJob1797800000000 } from './1797800000000-AuditPurgeJob.js';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests share one list. */
export const migrations = [
  InitialSchema1763890000000,
  AuditChain1795432247962,
  LoginThrottle1795500000000,
  RetentionIndexes1795500000001,
  CaseProjection1795600000000,
  WebSessions1795700000000,
  Accounts1795700000010,
  ReleasesEndWithReason1795800000001,
  AuditorRole1795900000001,
  IdempotencyKeys1795900000002,
  TerritoryRowSecurity1795900000003,
  ReferralLives1796000000001,
  AfterThePlan1796100000001,
  AuditPurgeChecks1796200000000,
  AuditVerifications1796200000001,
  CaseDocuments1796300000001,
  SessionRecord1796400000001,
  JobQueue1796500000001,
  Notifications1796600000001,
  AuditRowSecurity1796800000000,
  TransparencyCodes1796900000001,
  RightsRequests1797000000001,
  RightsHandlerNotification1797000000002,
  ActionBlockReason1797100000001,
  ActionStatusChanges1797100000002,
  OidcIdentities1797200000000,
  DirectoryRowSecurity1797300000000,
  MailJobs1797400000000,
  TransparencyClientsPerReference1797500000000,
  RightsCopyDownloads1797600000000,
  AuditPurgeJob1797800000000,
];
