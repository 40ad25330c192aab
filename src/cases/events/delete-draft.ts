/**
 * DELETE_DRAFT — the referrer deletes a draft nobody else has worked on: its protected content is
 * crypto-shredded at once (as at the end of retention), the row keeps only its history and is left
 * out of listings and statistics (closure `deleted`).
 */
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface DeleteDraftEvent {
  type: 'DELETE_DRAFT';
  at: string;
}

export class DeleteDraftPayload extends EventPayload {
  @EventType('DELETE_DRAFT') type!: 'DELETE_DRAFT';
}

export const deleteDraft = defineEvent<DeleteDraftEvent, DeleteDraftPayload>({
  type: 'DELETE_DRAFT',
  payload: DeleteDraftPayload,
  auditClasses: ['identity', 'health', 'social', 'summary', 'consent'],
  probe: ({ at }) => ({ type: 'DELETE_DRAFT', at }),
  build: (_payload, { at }) => ({ type: 'DELETE_DRAFT', at: at.toISOString() }),
  async records(_payload, _event, ctx) {
    await ctx.vault.shredCase(ctx.manager, ctx.record.id);
  },
});
