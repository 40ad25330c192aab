import type { EntityManager } from 'typeorm';
import type { CaseFacts, ConsentFacts } from '../access/access.js';
import type { PersistedCase } from './case.machine.js';

/** A case row with the facts the policy needs about one viewer. Thin: no rule lives here. */
export interface CaseRecord {
  id: string;
  territoryId: string;
  commissionId: string;
  reference: string;
  referrerUserId: string;
  referrerOrganisationId: string;
  state: string;
  snapshot: PersistedCase;
  version: number;
  sessionId: string | null;
  sessionStatus: 'planned' | 'open' | 'closed' | null;
  ageBand: string | null;
  district: string | null;
  household: string | null;
  problems: string[];
  partnersInvolved: string[];
  minorInHousehold: boolean;
  anonymousReview: boolean;
  followUpAt: Date | null;
  outcome: string | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  attending: boolean;
  ownsAction: boolean;
  consent: ConsentFacts | null;
}

/**
 * The viewer attends an open session whose agenda holds the case — as a member (or deputy) of the
 * commission or invited for this case — under the commission's current charter (a new version
 * must be accepted again). `user` is the placeholder of the viewer's id. One definition for the
 * case read and the case list.
 */
export function attendingSql(user: string): string {
  return `EXISTS (
    SELECT 1 FROM agenda_items ai
      JOIN sessions os ON os.id = ai.session_id AND os.status = 'open'
      JOIN session_attendance sa ON sa.session_id = os.id AND sa.user_id = ${user}
        AND sa.charter_version = (SELECT max(cv.version) FROM charter_versions cv WHERE cv.commission_id = os.commission_id)
     WHERE ai.case_id = c.id AND ai.removed_at IS NULL
       AND (EXISTS (SELECT 1 FROM commission_members cm WHERE cm.commission_id = os.commission_id AND (cm.user_id = ${user} OR cm.deputy_user_id = ${user}))
            OR EXISTS (SELECT 1 FROM session_invitations si WHERE si.session_id = os.id AND si.case_id = c.id AND si.user_id = ${user})))`;
}

/** The viewer's organisation (placeholder `org`, may be null) owns an action of the case. */
export function ownsActionSql(org: string): string {
  return `(${org}::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM actions a WHERE a.case_id = c.id AND a.owner_organisation_id = ${org}))`;
}

/** The case row + the viewer facts ($1 case id, $2 user id, $3 organisation id); also the raw baseline of `npm run bench`. */
export const SELECT_CASE = `
  SELECT c.id, c.territory_id AS "territoryId", c.commission_id AS "commissionId", c.reference,
         c.referrer_user_id AS "referrerUserId", c.referrer_organisation_id AS "referrerOrganisationId",
         c.state, c.snapshot, c.version, c.session_id AS "sessionId", s.status AS "sessionStatus",
         c.age_band AS "ageBand", c.district, c.household, c.problems, c.partners_involved AS "partnersInvolved",
         c.minor_in_household AS "minorInHousehold", c.anonymous_review AS "anonymousReview",
         c.follow_up_at AS "followUpAt", c.outcome, c.closed_at AS "closedAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
         ${attendingSql('$2')} AS attending,
         ${ownsActionSql('$3')} AS "ownsAction",
         (SELECT json_build_object('decision', k.decision, 'expiresAt', k.expires_at, 'withdrawnAt', k.withdrawn_at, 'scope', k.scope)
            FROM consents k WHERE k.case_id = c.id ORDER BY k.recorded_at DESC, k.id LIMIT 1) AS consent
    FROM cases c LEFT JOIN sessions s ON s.id = c.session_id
   WHERE c.id = $1`;

export async function loadCase(
  manager: EntityManager,
  caseId: string,
  viewer: { userId: string; organisationId: string | null },
  lock = false,
): Promise<CaseRecord | undefined> {
  // FOR UPDATE OF c: the transition's row lock, taken on the case row only.
  const rows: CaseRecord[] = await manager.query(SELECT_CASE + (lock ? ' FOR UPDATE OF c' : ''), [caseId, viewer.userId, viewer.organisationId]);
  return rows[0];
}

export function factsOf(record: CaseRecord): CaseFacts {
  return {
    territoryId: record.territoryId,
    referrerUserId: record.referrerUserId,
    state: record.state,
    attending: record.attending,
    ownsAction: record.ownsAction,
    consent: record.consent,
  };
}
