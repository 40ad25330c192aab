/**
 * RECTIFY — after submission, the referrer rectifies identity, social or health data, the summary,
 * the protective measure or the holders of parental authority (GDPR art. 16). Each previous value
 * is kept for the record's history, sealed in its own class beside the new one (read only by who
 * reads that class, erased with the case); the audit entry names the fields, never a value.
 */
import { CAPS, capReached } from '../../common/limits.js';
import { eventCount } from '../case.repository.js';
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
  async build(_payload, { manager, record, at }) {
    // Every rectification stays in the view with its previous values: a situation holds at most CAPS.rectifications.
    if ((await eventCount(manager, record.id, 'RECTIFY')) >= CAPS.rectifications) throw capReached('type', 'A situation', CAPS.rectifications);
    return { type: 'RECTIFY', at: at.toISOString() };
  },
  records: (payload, _event, ctx) => writeReferralChanges(payload, ctx, 'rectify'),
});
