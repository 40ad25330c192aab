/** The `consents` table: one row per consent recorded for a case (its decision, scope, expiry, withdrawal). */
import type { ProtectedClass, Sector } from '../access/policy.types.js';
import { execute, select, type SqlRunner } from '../database/sql.js';

export interface ConsentScopeEntry {
  sector: Sector;
  classes: ProtectedClass[];
}

export type ConsentMethod = 'written' | 'oral' | 'representative';

export interface NewConsent {
  caseId: string;
  decision: 'granted' | 'refused';
  method: ConsentMethod;
  informedAt: string;
  informedByUserId: string | null;
  scope: ConsentScopeEntry[];
  expiresAt: string | null;
  recordedAt: Date;
  /** Issue 12: a consent given by a representative names the measure and the representative's organisation. */
  representative?: { measure: string; organisation: string } | null;
}

/** The latest consent of a case, as the case view shows it (no evidence: it is sealed apart). */
export interface ConsentRow {
  decision: 'granted' | 'refused';
  method: ConsentMethod;
  informedAt: Date;
  scope: ConsentScopeEntry[];
  expiresAt: Date | null;
  recordedAt: Date;
  withdrawnAt: Date | null;
  /** Who recorded the withdrawal, and how the person said it (null: not stated). */
  withdrawnByUserId: string | null;
  withdrawalMethod: ConsentMethod | null;
  representativeMeasure: string | null;
  representativeOrganisation: string | null;
}

export async function insertConsent(db: SqlRunner, consent: NewConsent): Promise<void> {
  await execute(
    db,
    `INSERT INTO consents (case_id, decision, method, informed_at, informed_by_user_id, scope, expires_at, recorded_at, representative_measure, representative_organisation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      consent.caseId,
      consent.decision,
      consent.method,
      consent.informedAt,
      consent.informedByUserId,
      JSON.stringify(consent.scope),
      consent.expiresAt,
      consent.recordedAt,
      consent.representative?.measure ?? null,
      consent.representative?.organisation ?? null,
    ],
  );
}

/**
 * Marks every consent of the case withdrawn (the policy reads withdrawn_at: every release stops at
 * once), keeping who recorded it and how the person said it.
 */
export async function withdrawConsents(db: SqlRunner, caseId: string, at: Date, byUserId: string | null, method: ConsentMethod | null): Promise<void> {
  await execute(db, `UPDATE consents SET withdrawn_at = $2, withdrawn_by_user_id = $3, withdrawal_method = $4 WHERE case_id = $1 AND withdrawn_at IS NULL`, [
    caseId,
    at,
    byUserId,
    method,
  ]);
}

export async function latestConsent(db: SqlRunner, caseId: string): Promise<ConsentRow | undefined> {
  const [row] = await select<ConsentRow>(
    db,
    `SELECT decision, method, informed_at AS "informedAt", scope, expires_at AS "expiresAt", recorded_at AS "recordedAt", withdrawn_at AS "withdrawnAt",
            withdrawn_by_user_id AS "withdrawnByUserId", withdrawal_method AS "withdrawalMethod",
            representative_measure AS "representativeMeasure", representative_organisation AS "representativeOrganisation"
       FROM consents WHERE case_id = $1 ORDER BY recorded_at DESC, id LIMIT 1`,
    [caseId],
  );
  return row;
}

/** The latest consent of a case with its row id (the consent record's `record_id`: issue 15). */
export async function latestConsentWithId(db: SqlRunner, caseId: string): Promise<(ConsentRow & { id: string }) | undefined> {
  const [row] = await select<ConsentRow & { id: string }>(
    db,
    `SELECT id, decision, method, informed_at AS "informedAt", scope, expires_at AS "expiresAt", recorded_at AS "recordedAt", withdrawn_at AS "withdrawnAt",
            withdrawn_by_user_id AS "withdrawnByUserId", withdrawal_method AS "withdrawalMethod",
            representative_measure AS "representativeMeasure", representative_organisation AS "representativeOrganisation"
       FROM consents WHERE case_id = $1 ORDER BY recorded_at DESC, id LIMIT 1`,
    [caseId],
  );
  return row;
}
