/**
 * The agenda of a session (`agenda_items`): every case ever scheduled on it, `removed_at` set when
 * it left. A closed session's agenda is its record and is never changed.
 */
import { CAPS } from '../common/limits.js';
import { ensureRoom } from '../database/caps.js';
import { execute, select, type SqlRunner } from '../database/sql.js';

export interface SessionForAgenda {
  id: string;
  status: 'planned' | 'open' | 'closed';
  commissionId: string;
  territoryId: string;
}

/** The session of the territory a case is to be scheduled on, share-locked so it cannot close meanwhile. */
export async function sessionForAgenda(db: SqlRunner, sessionId: string, territoryId: string): Promise<SessionForAgenda | undefined> {
  const [row] = await select<SessionForAgenda>(
    db,
    `SELECT id, status, commission_id AS "commissionId", territory_id AS "territoryId" FROM sessions WHERE id = $1 AND territory_id = $2 FOR SHARE`,
    [sessionId, territoryId],
  );
  return row;
}

export async function sessionStatus(db: SqlRunner, sessionId: string): Promise<SessionForAgenda['status'] | null> {
  const [row] = await select<{ status: SessionForAgenda['status'] }>(db, `SELECT status FROM sessions WHERE id = $1`, [sessionId]);
  return row?.status ?? null;
}

/** Whether the commission exists in the territory (a referral names its commission). */
export async function commissionInTerritory(db: SqlRunner, commissionId: string, territoryId: string): Promise<boolean> {
  return (await select(db, `SELECT 1 FROM commissions WHERE id = $1 AND territory_id = $2`, [commissionId, territoryId])).length === 1;
}

export async function addToAgenda(db: SqlRunner, sessionId: string, caseId: string, at: Date): Promise<void> {
  await ensureRoom(db, {
    key: `agenda:${sessionId}`,
    othersSql: `SELECT count(*) FROM agenda_items WHERE session_id = $1 AND case_id <> $2`,
    params: [sessionId, caseId],
    cap: CAPS.agendaItems,
    field: 'sessionId',
    what: "A session's agenda",
  });
  await execute(
    db,
    `INSERT INTO agenda_items (session_id, case_id, position, scheduled_at)
     VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE session_id = $1), $3)
     ON CONFLICT (session_id, case_id) DO UPDATE SET removed_at = NULL, concluded_at = NULL, scheduled_at = EXCLUDED.scheduled_at`,
    [sessionId, caseId, at],
  );
}

export async function removeFromAgenda(db: SqlRunner, sessionId: string, caseId: string, at: Date): Promise<void> {
  await execute(db, `UPDATE agenda_items SET removed_at = $3 WHERE session_id = $1 AND case_id = $2`, [sessionId, caseId, at]);
}

/**
 * The plan of the case was adopted: it leaves the open agenda of every session not closed yet
 * (its attendees' relation to it ends) and stays in that session's record as concluded.
 */
export async function concludeOnAgenda(db: SqlRunner, caseId: string, at: Date): Promise<void> {
  await execute(
    db,
    `UPDATE agenda_items ai SET concluded_at = $2 FROM sessions s
      WHERE s.id = ai.session_id AND ai.case_id = $1 AND ai.removed_at IS NULL AND ai.concluded_at IS NULL AND s.status <> 'closed'`,
    [caseId, at],
  );
}

/** Takes the case off every agenda of a session not closed yet. */
export async function leaveOpenAgendas(db: SqlRunner, caseId: string, at: Date): Promise<void> {
  await execute(
    db,
    `UPDATE agenda_items ai SET removed_at = $2 FROM sessions s WHERE s.id = ai.session_id AND ai.case_id = $1 AND ai.removed_at IS NULL AND s.status <> 'closed'`,
    [caseId, at],
  );
}

/** The case is on the session's open agenda (not removed, its plan not adopted there). */
export async function onAgenda(runner: SqlRunner, sessionId: string, caseId: string): Promise<boolean> {
  const rows = await select<{ ok: 1 }>(
    runner,
    `SELECT 1 AS ok FROM agenda_items WHERE session_id = $1 AND case_id = $2 AND removed_at IS NULL AND concluded_at IS NULL`,
    [sessionId, caseId],
  );
  return rows.length > 0;
}

export interface AgendaItemRow {
  caseId: string;
  reference: string;
  state: string;
  position: number;
  scheduledAt: Date;
  /** When its plan was adopted in this session (it left the open agenda then); null while open. */
  concludedAt: Date | null;
}

/** The agenda, concluded items included (the session's record): references and states only. */
export function agendaItems(runner: SqlRunner, sessionId: string): Promise<AgendaItemRow[]> {
  return select<AgendaItemRow>(
    runner,
    `SELECT c.id AS "caseId", c.reference, c.state, ai.position, ai.scheduled_at AS "scheduledAt", ai.concluded_at AS "concludedAt"
       FROM agenda_items ai JOIN cases c ON c.id = ai.case_id WHERE ai.session_id = $1 AND ai.removed_at IS NULL ORDER BY ai.position`,
    [sessionId],
  );
}

/** The ids of the cases on the open agenda (what the dossier shows), in order. */
export async function agendaCaseIds(runner: SqlRunner, sessionId: string): Promise<string[]> {
  const rows = await select<{ caseId: string }>(
    runner,
    `SELECT case_id AS "caseId" FROM agenda_items WHERE session_id = $1 AND removed_at IS NULL AND concluded_at IS NULL ORDER BY position`,
    [sessionId],
  );
  return rows.map((r) => r.caseId);
}
