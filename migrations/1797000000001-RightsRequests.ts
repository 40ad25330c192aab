import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The kinds of notification before (migration Notifications) and with this migration's three. */
const KINDS_BEFORE = [
  'referral_to_screen',
  'referral_accepted',
  'referral_sent_back',
  'referral_rejected',
  'case_on_agenda',
  'session_convocation',
  'action_assigned',
  'action_due_soon',
  'action_overdue',
  'follow_up_due',
  'consent_expiring',
  'consent_expired',
  'session_record_closed',
];
const KINDS = [...KINDS_BEFORE, 'rights_rectification_forwarded', 'rights_request_due_soon', 'rights_request_due'];
const kindCheck = (kinds: string[]) => `CHECK (kind IN (${kinds.map((k) => `'${k}'`).join(', ')}))`;

/**
 * Issue 15, items 5–6 — the person's rights requests, handled by the DPO (the auditor).
 * - `rights_requests`: one request (access, rectification, erasure, objection) of a territory:
 *   when it was received, its due date (one month later, GDPR art. 12), who opened it, the
 *   handler the coordinator names for the copy of the data, and its closing record (an outcome
 *   category, when, by whom). No identity and no free text: categories and references only.
 * - `rights_request_cases`: the situations a lookup by identity confirmed for the request, and
 *   what was done to each (shredded or kept, consent withdrawn, rectification forwarded) with its
 *   reason as a category.
 * - `rights_request_lookups`: each lookup by identity (who, when, how many candidates and
 *   confirmations): the report the coordinator reads (who watches the watchers). The identity
 *   given is never stored.
 * - three notification kinds: a rectification forwarded to a situation's referrer, and the DPO's
 *   reminders 7 days before a request's due date and on it (the table's CHECK re-created).
 * The three tables carry their territory and get the row-level security of TerritoryRowSecurity.
 * The application role's grants come from the default privileges of AuditChain.
 */
export class RightsRequests1797000000001 implements MigrationInterface {
  name = 'RightsRequests1797000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rights_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        territory_id uuid NOT NULL REFERENCES territories(id),
        kind text NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'objection')),
        received_on date NOT NULL,
        due_on date NOT NULL CHECK (due_on > received_on),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        opened_by uuid NOT NULL REFERENCES users(id),
        opened_at timestamptz NOT NULL,
        handler_user_id uuid REFERENCES users(id),
        handler_named_by uuid REFERENCES users(id),
        handler_named_at timestamptz,
        outcome text CHECK (outcome IN ('answered', 'no_situation_found', 'identity_not_verified', 'refused_unfounded', 'withdrawn_by_person')),
        closed_by uuid REFERENCES users(id),
        closed_at timestamptz,
        CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
        CHECK ((closed_at IS NULL) = (closed_by IS NULL) AND (closed_at IS NULL) = (outcome IS NULL)),
        CHECK ((handler_user_id IS NULL) = (handler_named_at IS NULL))
      );
      CREATE INDEX rights_requests_territory ON rights_requests (territory_id, status, due_on);
      CREATE TABLE rights_request_cases (
        request_id uuid NOT NULL REFERENCES rights_requests(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        linked_at timestamptz NOT NULL,
        measure text CHECK (measure IN ('shredded', 'kept', 'consent_withdrawn', 'not_open', 'forwarded')),
        reason text CHECK (reason IN ('erasure_request', 'already_erased', 'still_open', 'legal_report_recorded', 'objection', 'already_closed', 'rectification_forwarded')),
        measured_at timestamptz,
        CHECK ((measure IS NULL) = (measured_at IS NULL) AND (measure IS NULL) = (reason IS NULL)),
        PRIMARY KEY (request_id, case_id)
      );
      CREATE INDEX rights_request_cases_case ON rights_request_cases (case_id);
      CREATE TABLE rights_request_lookups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES rights_requests(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        auditor_user_id uuid NOT NULL REFERENCES users(id),
        at timestamptz NOT NULL,
        candidates integer NOT NULL CHECK (candidates >= 0),
        confirmed integer NOT NULL CHECK (confirmed >= 0 AND confirmed <= candidates)
      );
      CREATE INDEX rights_request_lookups_territory ON rights_request_lookups (territory_id, at DESC);
    `);
    // The row-level security of migration TerritoryRowSecurity, for the three new tables.
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    for (const table of ['rights_requests', 'rights_request_cases', 'rights_request_lookups']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY territory_scope ON ${table} FOR ALL TO PUBLIC USING ${visible} WITH CHECK ${visible}`);
    }
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check, ADD CONSTRAINT notifications_kind_check ${kindCheck(KINDS)}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE kind LIKE 'rights\\_%'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check, ADD CONSTRAINT notifications_kind_check ${kindCheck(KINDS_BEFORE)}`);
    await q.query(`DROP TABLE rights_request_lookups, rights_request_cases, rights_requests`);
  }
}
