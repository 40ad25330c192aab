/**
 * `held_texts`: the texts of a case that name the person, written by someone who may not see the
 * identity, held for the referrer's review (src/cases/case-text.ts). Ids, names of fields and
 * times only: the texts themselves are sealed in case_fields (class identity, `held_<field>`).
 */
import { execute, select, type SqlRunner } from '../database/sql.js';

export interface HeldTextRow {
  /** The field the text would have been sealed as (`outcomeText`, `title_<action id>`…). */
  field: string;
  /** Its name in the API (`outcome`, `actions.<id>.title`…). */
  label: string;
  authorUserId: string | null;
  heldAt: Date;
}

export function heldTextsOf(db: SqlRunner, caseId: string): Promise<HeldTextRow[]> {
  return select<HeldTextRow>(
    db,
    `SELECT field, label, author_user_id AS "authorUserId", held_at AS "heldAt" FROM held_texts WHERE case_id = $1 ORDER BY held_at, field`,
    [caseId],
  );
}

export async function holdTexts(
  db: SqlRunner,
  hold: { caseId: string; authorUserId: string | null; at: Date; texts: { field: string; label: string }[] },
): Promise<void> {
  await execute(
    db,
    `INSERT INTO held_texts (case_id, field, label, author_user_id, held_at)
     SELECT $1, t.field, t.label, $2, $3 FROM unnest($4::text[], $5::text[]) AS t(field, label)
     ON CONFLICT (case_id, field) DO UPDATE SET label = EXCLUDED.label, author_user_id = EXCLUDED.author_user_id, held_at = EXCLUDED.held_at`,
    [hold.caseId, hold.authorUserId, hold.at, hold.texts.map((t) => t.field), hold.texts.map((t) => t.label)],
  );
}

/** The texts are no longer held (replaced by pseudonymised ones, or removed). */
export async function dropHeldTexts(db: SqlRunner, caseId: string, fields: string[]): Promise<void> {
  if (!fields.length) return;
  await execute(db, `DELETE FROM held_texts WHERE case_id = $1 AND field = ANY($2::text[])`, [caseId, fields]);
}
