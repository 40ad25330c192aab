import type { AuditSealer } from '../audit/audit-sealer.js';
import type { ScheduledTask } from './scheduler.js';

/**
 * The audit log's retention (policies/ `audit.retentionDays`): once a day, the entries older than
 * it go, behind a signed purge checkpoint (AuditSealer.purge writes its own `audit.purge` entry).
 * On the job queue, one run a day across replicas; it waits for a sealing batch in progress (the
 * sealer's advisory lock) rather than skipping the day.
 */
export function auditTasks(sealer: AuditSealer): ScheduledTask[] {
  return [{ name: 'audit-purge', everyMs: 86_400_000, cron: '30 2 * * *', run: async () => (await sealer.purge({ wait: true })).purged }];
}
