/**
 * RESUME (issue 12) — the plan on watch or suspended goes on, in the state it left (plan_active or
 * follow_up); its follow-up date moves by the time the hold lasted (the machine computes it from
 * the instants of SUSPEND and RESUME). The sealed reason of the hold is erased.
 */
import { defineEvent, EventPayload, EventType } from './event-module.js';
import { HOLD_REASON_FIELD } from './suspend.js';

export interface ResumeEvent {
  type: 'RESUME';
  at: string;
}

export class ResumePayload extends EventPayload {
  @EventType('RESUME') type!: 'RESUME';
}

export const resume = defineEvent<ResumeEvent, ResumePayload>({
  type: 'RESUME',
  payload: ResumePayload,
  probe: ({ at }) => ({ type: 'RESUME', at }),
  build: (_payload, { at }) => ({ type: 'RESUME', at: at.toISOString() }),
  async records(_payload, _event, ctx) {
    await ctx.vault.sealFields(ctx.manager, { territoryId: ctx.record.territoryId, caseId: ctx.record.id }, 'plan', { [HOLD_REASON_FIELD]: null });
  },
});
