/**
 * The one SQL definition of each fact about a user and a commission or session, for every query
 * that needs it (the case read and list, the session and commission resources, the members list).
 * Arguments are SQL expressions (a placeholder such as `$2`, or a column such as `os.id`); never
 * pass a value.
 */

/** The commission's current charter version (NULL while none is published). */
export function currentCharterSql(commission: string): string {
  return `(SELECT max(cv.version) FROM charter_versions cv WHERE cv.commission_id = ${commission})`;
}

/** The user accepted the commission's current charter version. */
export function acceptedCurrentCharterSql(commission: string, user: string): string {
  return `EXISTS (SELECT 1 FROM charter_acceptances ca WHERE ca.commission_id = ${commission} AND ca.user_id = ${user} AND ca.version = ${currentCharterSql(commission)})`;
}

/** The user is a member of the commission, or the deputy of one. */
export function isMemberSql(commission: string, user: string): string {
  return `EXISTS (SELECT 1 FROM commission_members cm WHERE cm.commission_id = ${commission} AND (cm.user_id = ${user} OR cm.deputy_user_id = ${user}))`;
}

/** The user is invited to the session; with `caseId`, for that case. */
export function isInvitedSql(session: string, user: string, caseId?: string): string {
  return `EXISTS (SELECT 1 FROM session_invitations si WHERE si.session_id = ${session} AND si.user_id = ${user}${caseId ? ` AND si.case_id = ${caseId}` : ''})`;
}

/** The user is invited to one of the commission's sessions. */
export function isInvitedToCommissionSql(commission: string, user: string): string {
  return `EXISTS (SELECT 1 FROM session_invitations si JOIN sessions s ON s.id = si.session_id WHERE s.commission_id = ${commission} AND si.user_id = ${user})`;
}

/**
 * The user attends the session `session` (the alias of a `sessions` row in the query): it is open
 * and its end time (`at`, the clock's time) is not reached — a session releases only during it,
 * even in the minute before its job closes it —, the user recorded attendance at it under the
 * commission's current charter (a new version must be accepted, and attendance recorded, again),
 * and is still a member or deputy of the commission or invited to the session — removing a member
 * ends their attendance at once (the attendance sheet keeps that they came).
 */
export function attendsOpenSessionSql(session: string, user: string, at: string): string {
  return `(${session}.status = 'open' AND ${session}.ends_at > ${at}::timestamptz AND EXISTS (SELECT 1 FROM session_attendance sa WHERE sa.session_id = ${session}.id AND sa.user_id = ${user}
             AND sa.charter_version = ${currentCharterSql(`${session}.commission_id`)})
           AND (${isMemberSql(`${session}.commission_id`, user)} OR ${isInvitedSql(`${session}.id`, user)}))`;
}

/**
 * The user recorded attendance at the session `session` (the alias of a `sessions` row) under the
 * commission's current charter, whatever the session's status (what a member's agenda shows).
 */
export function attendanceRecordedSql(session: string, user: string): string {
  return `EXISTS (SELECT 1 FROM session_attendance sa WHERE sa.session_id = ${session}.id AND sa.user_id = ${user}
            AND sa.charter_version = ${currentCharterSql(`${session}.commission_id`)})`;
}

/** The session `session` (the alias of a `sessions` row) has a closed record: frozen, its dossier shut. */
export function recordClosedSql(session: string): string {
  return `EXISTS (SELECT 1 FROM session_records sr WHERE sr.session_id = ${session}.id AND sr.closed_at IS NOT NULL)`;
}

/**
 * The user may read the dossier of the session `session` (the alias of a `sessions` row) at `at`
 * (issue 12; lifecycle.yaml `dossier.opensDaysBefore` is `days`): a member or deputy of the
 * commission, or invited to the session, while its record is not closed, and
 * - preparing it: the session is planned, starts within `days` days (or has started and not
 *   ended), and the user accepted the commission's current charter; or
 * - having attended it: the session was opened, and the user's presence is recorded under the
 *   current charter (by themself or on the coordinator's sheet).
 */
export function dossierWindowSql(session: string, user: string, at: string, days: string): string {
  return `(NOT ${recordClosedSql(session)}
           AND (${isMemberSql(`${session}.commission_id`, user)} OR ${isInvitedSql(`${session}.id`, user)})
           AND ((${session}.status = 'planned' AND ${at}::timestamptz >= ${session}.starts_at - make_interval(days => ${days}::int)
                 AND ${at}::timestamptz < ${session}.ends_at AND ${acceptedCurrentCharterSql(`${session}.commission_id`, user)})
             OR (${session}.status <> 'planned' AND ${attendanceRecordedSql(session, user)})))`;
}

/**
 * The situations of the session's record (`session`, an expression of its id; `opened`, of its
 * opening time): those on its agenda, those that left it while it was open (deferred there), and
 * those the record writes about.
 */
export function recordCaseIdsSql(session: string, opened: string): string {
  return `(SELECT ai.case_id FROM agenda_items ai WHERE ai.session_id = ${session}
             AND (ai.removed_at IS NULL OR (${opened} IS NOT NULL AND ai.removed_at >= ${opened}))
           UNION SELECT ri.case_id FROM session_record_items ri WHERE ri.session_id = ${session})`;
}

/** The user wrote the referral of a situation the closed record of session `session` (a `sessions` alias) holds. */
export function referredOnClosedRecordSql(session: string, user: string): string {
  return `(${recordClosedSql(session)} AND EXISTS (SELECT 1 FROM cases rc WHERE rc.referrer_user_id = ${user}
             AND rc.id IN ${recordCaseIdsSql(`${session}.id`, `${session}.opened_at`)}))`;
}
