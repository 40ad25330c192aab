/**
 * WITHDRAW_CONSENT — on the person's word, the referrer withdraws the consent: every release stops
 * at once (the policy reads the consent's withdrawal), the case leaves every agenda not closed yet
 * and is closed; the referrer keeps their own record.
 */
import { leaveOpenAgendas } from '../../commissions/agenda.repository.js';
import { withdrawConsents } from '../../consent/consents.repository.js';
import { defineEvent, EventPayload, EventType } from './event-module.js';

export interface WithdrawConsentEvent {
  type: 'WITHDRAW_CONSENT';
  at: string;
}

export class WithdrawConsentPayload extends EventPayload {
  @EventType('WITHDRAW_CONSENT') type!: 'WITHDRAW_CONSENT';
}

export const withdrawConsent = defineEvent<WithdrawConsentEvent, WithdrawConsentPayload>({
  type: 'WITHDRAW_CONSENT',
  payload: WithdrawConsentPayload,
  probe: ({ at }) => ({ type: 'WITHDRAW_CONSENT', at }),
  build: (_payload, { at }) => ({ type: 'WITHDRAW_CONSENT', at: at.toISOString() }),
  async records(_payload, _event, ctx) {
    await withdrawConsents(ctx.manager, ctx.record.id, ctx.at, ctx.actorId);
    await leaveOpenAgendas(ctx.manager, ctx.record.id, ctx.at);
  },
});
