/** REOPEN — the coordinator reopens a closed situation within the policy's window (back to ready_for_review). */
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface ReopenEvent {
  type: 'REOPEN';
  at: string;
  /** The reopening window of policies/lifecycle.yaml. */
  windowDays: number;
}

export class ReopenPayload extends EventPayload {
  @EventType('REOPEN') type!: 'REOPEN';
}

export const reopen = defineEvent<ReopenEvent, ReopenPayload>({
  type: 'REOPEN',
  payload: ReopenPayload,
  probe: ({ at, reopenWindowDays }) => ({ type: 'REOPEN', at, windowDays: reopenWindowDays }),
  build: (_payload, { at, rules }) => ({ type: 'REOPEN', at: at.toISOString(), windowDays: rules.reopenWindowDays }),
  async records(_payload, _event, ctx) {
    // The closing text belonged to the closure that is undone (sealed with the summary before
    // issue 10, with health since).
    await ctx.texts.write('health', [{ field: 'outcomeText', label: 'outcome', text: null }]);
    await ctx.vault.sealFields(ctx.manager, { territoryId: ctx.record.territoryId, caseId: ctx.record.id }, 'summary', { outcomeText: null });
  },
});
