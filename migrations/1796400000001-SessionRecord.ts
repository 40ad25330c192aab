import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The new tables of one territory's sessions: row-level security as 1795900000003-TerritoryRowSecurity. */
export const SESSION_RECORD_TABLES = ['session_guests', 'session_contributions', 'session_records', 'session_record_items'] as const;

/**
 * Issue 12, items 4 and 5 — preparing and holding the session, and its record (relevé de décisions).
 * - `session_attendance.recorded_by`: who ticked the presence (null: the member themself);
 * - `session_guests`: a partner the coordinator ticks present without an account — an organisation
 *   (of the directory, or named in `organisation_label`) and a function, never a person's name;
 * - `session_contributions`: a member's written contribution on one situation, left before the
 *   session; its text is sealed by the vault (case_fields, class plan, `contribution_<id>`), never here;
 * - `session_records`: the record's life (closed_at set once: then it is frozen);
 * - `session_record_items`: per situation examined, the decision (a category), its reason or
 *   outcome (categories); the analysis and recommendations are sealed (`analysis_<id>`,
 *   `recommendations_<id>`), never here.
 * Every new table carries its territory and gets the territory policy of row-level security.
 */
export class SessionRecord1796400000001 implements MigrationInterface {
  name = 'SessionRecord1796400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE session_attendance ADD COLUMN recorded_by uuid REFERENCES users(id);

      CREATE TABLE session_guests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        organisation_id uuid REFERENCES organisations(id),
        organisation_label text CHECK (char_length(organisation_label) BETWEEN 1 AND 120),
        function_label text CHECK (char_length(function_label) BETWEEN 1 AND 80),
        case_id uuid REFERENCES cases(id),
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((organisation_id IS NULL) <> (organisation_label IS NULL))
      );
      CREATE INDEX session_guests_session_idx ON session_guests (session_id);

      CREATE TABLE session_contributions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        author_user_id uuid NOT NULL REFERENCES users(id),
        author_organisation_id uuid REFERENCES organisations(id),
        written_at timestamptz NOT NULL,
        UNIQUE (session_id, case_id, author_user_id)
      );
      CREATE INDEX session_contributions_case_idx ON session_contributions (case_id);

      CREATE TABLE session_records (
        session_id uuid PRIMARY KEY REFERENCES sessions(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        closed_at timestamptz,
        closed_by uuid REFERENCES users(id),
        CHECK ((closed_at IS NULL) = (closed_by IS NULL))
      );

      CREATE TABLE session_record_items (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        territory_id uuid NOT NULL REFERENCES territories(id),
        decision text CHECK (decision IN ('plan_adopted','deferred','advice','closed')),
        deferral_reason text CHECK (deferral_reason IN ('information_missing','person_not_consulted','partner_absent','out_of_time','other')),
        outcome text,
        written_by uuid NOT NULL REFERENCES users(id),
        updated_at timestamptz NOT NULL,
        UNIQUE (session_id, case_id)
      );
      CREATE INDEX session_record_items_case_idx ON session_record_items (case_id);
    `);
    const setting = `current_setting('cellule.territories', true)`;
    const visible = `(territory_id = ANY (string_to_array(nullif(nullif(${setting}, '*'), ''), ',')::uuid[]) OR ${setting} = '*')`;
    for (const table of SESSION_RECORD_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY territory_scope ON ${table} FOR ALL TO PUBLIC USING ${visible} WITH CHECK ${visible}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE session_record_items, session_records, session_contributions, session_guests;
      ALTER TABLE session_attendance DROP COLUMN recorded_by;
    `);
  }
}
