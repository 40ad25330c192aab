import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `login_throttle`: per account, the attempts since the last successful login within a fixed
 * window (src/auth/auth.service.ts). Counted with one atomic upsert before the password is
 * checked, so concurrent guesses cannot all slip under the limit. Holds no protected value (an
 * account id, a time, a count); the cellule_app role gets DML on it by the default privileges
 * that AuditChain1795432247962 set.
 */
export class LoginThrottle1795500000000 implements MigrationInterface {
  name = 'LoginThrottle1795500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_throttle (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        window_start timestamptz NOT NULL,
        attempts integer NOT NULL CHECK (attempts >= 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
  }
}
