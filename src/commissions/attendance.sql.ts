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
