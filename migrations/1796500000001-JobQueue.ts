import PgBoss from 'pg-boss';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The schema of the job queue (pg-boss's tables), beside the application's. */
export const JOB_SCHEMA = 'pgboss';
/** The pg-boss schema version these migrations create (node_modules/pg-boss/version.json). */
export const JOB_SCHEMA_VERSION = 24;

export interface JobQueueDefinition {
  name: string;
  /**
   * `stately` for a periodic task (at most one job queued and one running: a round never overlaps
   * the previous one, and rounds missed while it ran are not piled up); `standard` for one-off work.
   */
  policy: 'standard' | 'stately';
}

/**
 * Creates queues of the job queue, as the migrating owner: pg-boss creates a table (a partition
 * of `pgboss.job`) per queue, which is DDL the application role may not do. A periodic task or a
 * one-off worker added to src/jobs/ needs its queue created by a migration calling this (the
 * server refuses to start while a queue it uses is missing, naming it). Then the application role
 * gets DML on the new tables.
 */
export async function createJobQueues(q: QueryRunner, queues: readonly JobQueueDefinition[]): Promise<void> {
  for (const queue of queues) {
    await q.query(`SELECT ${JOB_SCHEMA}.create_queue($1, $2::json)`, [queue.name, JSON.stringify({ policy: queue.policy })]);
  }
  await grantJobQueue(q);
}

async function grantJobQueue(q: QueryRunner): Promise<void> {
  await q.query(`
    DO $do$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_app') THEN
        GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO cellule_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO cellule_app;
      END IF;
    END
    $do$;
  `);
}

/**
 * Issue 13, item 1 — scheduled work on pg-boss (src/jobs/job-queue.ts). The server runs pg-boss
 * with `migrate: false`: it never creates or alters its schema. Here, as the owner:
 * - pg-boss's own construction plan (`PgBoss.getConstructionPlans`, schema version 24), inside this
 *   migration's transaction (its BEGIN/COMMIT taken off);
 * - the queues of the periodic tasks (policy `stately`), including the two the notifications add,
 *   and the internal queue pg-boss's cron sends through (`__pgboss__send-it`);
 * - `cellule_app` gets USAGE on the schema and DML on its tables, and may call create_queue for a
 *   queue that exists (a no-op; it may not create a table in the schema), not delete_queue.
 *
 * Upgrading pg-boss to another schema version: a new migration applies
 * `PgBoss.getMigrationPlans(schema, fromVersion)` (skipping a database created at the new version
 * already), and JOB_SCHEMA_VERSION here is left as it was; this one refuses to build a schema of
 * another version than the one it was written for.
 */
export class JobQueue1796500000001 implements MigrationInterface {
  name = 'JobQueue1796500000001';

  async up(q: QueryRunner): Promise<void> {
    const plan = PgBoss.getConstructionPlans(JOB_SCHEMA).trim();
    if (!plan.startsWith('BEGIN;') || !plan.endsWith('COMMIT;'))
      throw new Error('pg-boss construction plan: unexpected form (expected one BEGIN … COMMIT block)');
    await q.query(plan.slice('BEGIN;'.length, -'COMMIT;'.length));
    const [{ version }] = (await q.query(`SELECT version FROM ${JOB_SCHEMA}.version`)) as { version: number }[];
    if (Number(version) !== JOB_SCHEMA_VERSION) {
      throw new Error(`pg-boss built schema version ${version}, this migration was written for ${JOB_SCHEMA_VERSION}: write a migration for the upgrade`);
    }
    await q.query(`REVOKE ALL ON FUNCTION ${JOB_SCHEMA}.create_queue(text, json), ${JOB_SCHEMA}.delete_queue(text) FROM PUBLIC`);
    // pg-boss's clock calls create_queue for its internal queue at every start: made below, so the
    // call returns without DDL (a queue not made here would need CREATE on the schema, which
    // cellule_app lacks: the whole call fails). delete_queue stays the owner's.
    await q.query(`
      DO $do$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_app') THEN
          GRANT EXECUTE ON FUNCTION ${JOB_SCHEMA}.create_queue(text, json) TO cellule_app;
        END IF;
      END
      $do$;
    `);
    await createJobQueues(q, [
      { name: '__pgboss__send-it', policy: 'standard' },
      { name: 'follow-up-due', policy: 'stately' },
      { name: 'retention-purge', policy: 'stately' },
      { name: 'session-end', policy: 'stately' },
      { name: 'idempotency-expiry', policy: 'stately' },
      { name: 'notification-delivery', policy: 'stately' },
      { name: 'notification-reminders', policy: 'stately' },
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA ${JOB_SCHEMA} CASCADE`);
  }
}
