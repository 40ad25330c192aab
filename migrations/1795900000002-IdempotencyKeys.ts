import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `idempotency_keys`: the first answer to a creating POST sent with an `Idempotency-Key` header
 * (src/common/idempotency.ts), so that a client retrying after a lost answer (a timeout, a
 * restart) gets that answer again instead of a second creation. Per account; the key is stored
 * as its SHA-256, the request as the SHA-256 of its body (a reuse with another body is refused),
 * the answer only sealed by the vault (it may hold a situation's identity: erasing the situation
 * deletes it, src/vault/vault.service.ts). `status` NULL: the first request is still running.
 * Kept 24 hours.
 */
export class IdempotencyKeys1795900000002 implements MigrationInterface {
  name = 'IdempotencyKeys1795900000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key_hash bytea NOT NULL CHECK (octet_length(key_hash) = 32),
        route text NOT NULL,
        request_hash bytea NOT NULL CHECK (octet_length(request_hash) = 32),
        status integer CHECK (status BETWEEN 200 AND 299),
        kek_id text,
        answer bytea,
        resource_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, key_hash),
        CHECK ((status IS NULL) = (answer IS NULL) AND (answer IS NULL) = (kek_id IS NULL))
      );
      CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
      CREATE INDEX idempotency_keys_resource_idx ON idempotency_keys (resource_id) WHERE resource_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
