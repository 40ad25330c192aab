/**
 * EDIT_DRAFT — the referrer changes their draft (identity, summary, social and health data, the
 * protective measure, the holders of parental authority). A draft is their work in progress: the
 * change is audited (which fields, never a value) but no previous value is kept; after submission
 * the same change is a rectification (RECTIFY).
 */
import { defineEvent, EventType } from './event-module.js';
import { ReferralChangesPayload, writeReferralChanges } from './referral-changes.js';

export interface EditDraftEvent {
  type: 'EDIT_DRAFT';
  at: string;
}

export class EditDraftPayload extends ReferralChangesPayload {
  @EventType('EDIT_DRAFT') type!: 'EDIT_DRAFT';
}

export const editDraft = defineEvent<EditDraftEvent, EditDraftPayload>({
  type: 'EDIT_DRAFT',
  payload: EditDraftPayload,
  auditClasses: ['identity', 'summary', 'social', 'health'],
  probe: ({ at }) => ({ type: 'EDIT_DRAFT', at }),
  build: (_payload, { at }) => ({ type: 'EDIT_DRAFT', at: at.toISOString() }),
  records: (payload, _event, ctx) => writeReferralChanges(payload, ctx, 'edit'),
});
