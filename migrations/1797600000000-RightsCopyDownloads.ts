import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, item 5: each download of the copy of a person's data (an access request), kept with
 * the request — which situation, by which account, when — so the DPO's request page says whether
 * the copy was produced and handed over before the request is closed. No content: ids and a time.
 * The downloads made before this migration are taken from the access log (`rights.copy`, allowed,
 * its detail naming the request). Row-level security as the other rights tables (RightsRequests).
 */
export class RightsCopyDownloads1797600000000 implements MigrationInterface {
  name = 'RightsCopyDownloads1797600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rights_request_copies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL,
        case_id uuid NOT NULL,
        territory_id uuid NOT NULL REFERENCES territories(id),
        user_id uuid NOT NULL REFERENCES users(id),
        at timestamptz NOT NULL,
        FOREIGN KEY (request_id, case_id) REFERENCES rights_request_cases (request_id, case_id)
      );
      CREATE INDEX rights_request_copies_request ON rights_request_copies (request_id, case_id, at DESC);
    `);
    // The owner runs migrations: the access log's row-level security does not hide its rows here.
    await q.query(`
      INSERT INTO rights_request_copies (request_id, case_id, territory_id, user_id, at)
      SELECT l.request_id, l.case_id, l.territory_id, a.actor_id, a.at
        FROM audit_events a
        JOIN rights_request_cases l ON l.case_id = a.case_id AND l.request_id::text = a.detail->>'rightsRequestId'
        JOIN users u ON u.id = a.actor_id
       WHERE a.action = 'rights.copy' AND a.decision = 'allow'
    `);
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    await q.query(`ALTER TABLE rights_request_copies ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY territory_scope ON rights_request_copies FOR ALL TO PUBLIC USING ${visible} WITH CHECK ${visible}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rights_request_copies`);
  }
}
