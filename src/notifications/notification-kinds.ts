/**
 * What a notification says: a kind and references (a situation, a session, an action), a count
 * (the agenda's size) and a date — never a protected value, a summary or anyone's free text
 * (migration Notifications: the same list constrains the table).
 */
export const NOTIFICATION_KINDS = [
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
  // Issue 15: a person's rectification forwarded to the referrer; the DPO's reminders of a rights request's due date.
  'rights_rectification_forwarded',
  'rights_request_due_soon',
  'rights_request_due',
  // The professional the coordinator names to hand a person the copy of her data.
  'rights_handler_named',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How a user wants to be told by email (no preference recorded: immediately). */
export const EMAIL_PREFERENCES = ['immediate', 'daily_digest', 'none'] as const;
export type EmailPreference = (typeof EMAIL_PREFERENCES)[number];

/** Why an email failed, by category only (the server's message may quote an address). */
export const DELIVERY_ERRORS = ['connection', 'timeout', 'authentication', 'rejected', 'other'] as const;
export type DeliveryError = (typeof DELIVERY_ERRORS)[number];

/** The time-driven kinds' horizons. */
export const ACTION_DUE_SOON_DAYS = 7;
export const CONSENT_EXPIRING_DAYS = 30;
/** A rights request's first reminder, before its due date (issue 15). */
export const RIGHTS_DUE_SOON_DAYS = 7;
