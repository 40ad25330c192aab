/**
 * PURGE — end of retention (DESIGN.md "Retention"), or an erasure ordered by an operator
 * (`npm run case:shred`): identity, health and social content, the summary's free text, notes and
 * consent evidence are crypto-shredded (the case's data key destroyed); the row, its clear
 * categories, its history and its plan stay for statistics. A case purged while still open also
 * leaves the agendas. Only `system` sends it (the scheduler, an operator command), never HTTP.
 */
import { leaveOpenAgendas } from '../../commissions/agenda.repository.js';
import { defineEvent } from './event-module.js';

export interface PurgeEvent {
  type: 'PURGE';
  at: string;
}

export const purge = defineEvent<PurgeEvent, null>({
  type: 'PURGE',
  payload: null,
  // Every class with sealed content: crypto-shredding makes all of it unreadable at once.
  auditClasses: ['identity', 'health', 'social', 'summary', 'consent', 'plan'],
  probe: ({ at }) => ({ type: 'PURGE', at }),
  build: (_payload, { at }) => ({ type: 'PURGE', at: at.toISOString() }),
  async records(_payload, _event, ctx) {
    await ctx.vault.shredCase(ctx.manager, ctx.record.id);
    await leaveOpenAgendas(ctx.manager, ctx.record.id, ctx.at);
  },
});
