import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createJobQueues, JOB_SCHEMA } from './1796500000001-JobQueue.js';

/**
 * Issue 13 — the audit log's daily purge runs on the job queue (`audit-purge`, src/jobs/audit-jobs.ts):
 * once a day across replicas, instead of once a day in each replica's sealing loop.
 */
export class AuditPurgeJob1797800000000 implements MigrationInterface {
  name = 'AuditPurgeJob1797800000000';

  async up(q: QueryRunner): Promise<void> {
    await createJobQueues(q, [{ name: 'audit-purge', policy: 'stately' }]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM ${JOB_SCHEMA}.schedule WHERE name = 'audit-purge'`);
    await q.query(`SELECT ${JOB_SCHEMA}.delete_queue('audit-purge')`);
  }
}
