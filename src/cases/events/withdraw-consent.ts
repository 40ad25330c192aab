/**
 * WITHDRAW_CONSENT — on the person's word, the consent is withdrawn: every release stops at once
 * (the policy reads the consent's withdrawal), the case leaves every agenda not closed yet and is
 * closed; the referrer keeps their own record. The referrer, a colleague of the referring service
 * or the coordinator may record it (policies/events.yaml), so it never depends on one account;
 * who recorded it, and how the person said it, are kept with the consent.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { leaveOpenAgendas } from '../../commissions/agenda.repository.js';
import { withdrawConsents, type ConsentMethod } from '../../consent/consents.repository.js';
import { defineEvent, EventPayload, EventType } from './event-module.js';

const METHODS = ['written', 'oral', 'representative'] as const;

export interface WithdrawConsentEvent {
  type: 'WITHDRAW_CONSENT';
  at: string;
}

export class WithdrawConsentPayload extends EventPayload {
  @EventType('WITHDRAW_CONSENT') type!: 'WITHDRAW_CONSENT';
  @ApiPropertyOptional({ enum: METHODS, description: 'How the person said they withdraw (kept with the consent)' })
  @IsOptional()
  @IsIn(METHODS)
  method?: ConsentMethod;
}

export const withdrawConsent = defineEvent<WithdrawConsentEvent, WithdrawConsentPayload>({
  type: 'WITHDRAW_CONSENT',
  payload: WithdrawConsentPayload,
  probe: ({ at }) => ({ type: 'WITHDRAW_CONSENT', at }),
  build: (_payload, { at }) => ({ type: 'WITHDRAW_CONSENT', at: at.toISOString() }),
  async records(payload, _event, ctx) {
    // Sent by the system for a rights request (issue 15), it has no payload: no method recorded.
    const given = payload as WithdrawConsentPayload | null;
    await withdrawConsents(ctx.manager, ctx.record.id, ctx.at, ctx.actorId, given?.method ?? null);
    await leaveOpenAgendas(ctx.manager, ctx.record.id, ctx.at);
  },
});
