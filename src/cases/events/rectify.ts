/**
 * RECTIFY — after submission, the referrer rectifies identity, social or health data, the summary,
 * the protective measure or the holders of parental authority (GDPR art. 16). Each previous value
 * is kept for the record's history, sealed in its own class beside the new one (read only by who
 * reads that class, erased with the case); the audit entry names the fields, never a value.
 */
import { defineEvent, EventType } from './event-module.js';
import { ReferralChangesPayload, writeReferralChanges } from './referral-changes.js';

export interface RectifyEvent {
  type: 'RECTIFY';
  at: string;
}

export class RectifyPayload extends ReferralChangesPayload {
  @EventType('RECTIFY') type!: 'RECTIFY';
}

export const rectify = defineEvent<RectifyEvent, RectifyPayload>({
  type: 'RECTIFY',
  payload: RectifyPayload,
  auditClasses: ['identity', 'summary', 'social', 'health'],
  probe: ({ at }) => ({ type: 'RECTIFY', at }),
  build: (_payload, { at }) => ({ type: 'RECTIFY', at: at.toISOString() }),
  records: (payload, _event, ctx) => writeReferralChanges(payload, ctx, 'rectify'),
});
