import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `web_sessions`: the browser sessions of the web workspace (src/auth/web-sessions.ts). The
 * cookie holds a random secret; the row holds only its SHA-256, so a copy of the table opens no
 * session. A row ends at logout, after `idle` without a request, or at `expires_at`; deleting a
 * user's rows ends their sessions at once. No protected value: an account id and times.
 */
export class WebSessions1795700000000 implements MigrationInterface {
  name = 'WebSessions1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_sessions (
        secret_hash bytea PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX web_sessions_user_idx ON web_sessions (user_id)`);
    await q.query(`CREATE INDEX web_sessions_last_seen_idx ON web_sessions (last_seen_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_sessions`);
  }
}
