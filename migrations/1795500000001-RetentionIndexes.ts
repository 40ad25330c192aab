import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hourly retention job (src/jobs/lifecycle-jobs.ts) looks for closed cases by closure date and
 * for open ones by last activity: one partial index for each, so it reads only the cases due.
 */
export class RetentionIndexes1795500000001 implements MigrationInterface {
  name = 'RetentionIndexes1795500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_closed_retention_idx ON cases (closed_at) WHERE state = 'closed'`);
    await q.query(`CREATE INDEX cases_open_retention_idx ON cases (last_activity_at) WHERE state NOT IN ('closed', 'purged')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_open_retention_idx`);
    await q.query(`DROP INDEX cases_closed_retention_idx`);
  }
}
