/**
 * HAND_OVER — the situation passes to another referrer of the referring organisation (the referrer
 * leaves, changes post, is away for long): they become its referrer, with everything that relation
 * receives; the former one keeps nothing but what a colleague of the service keeps. The referrer
 * or the coordinator does it (policies/events.yaml); the new one must be an active account of the
 * same organisation that can hold the referrer relation (policies/access.yaml).
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { Role } from '../../access/policy.types.js';
import { AppError } from '../../common/errors.js';
import { handoverCandidate, setReferrer } from '../case.repository.js';
import type { CaseRecord } from '../case.repository.js';
import { defineEvent, EventPayload, EventType, Required, type EventBuildContext } from './event-module.js';

/** An account as the handover rule reads it. */
export interface HandoverAccount {
  organisationId: string | null;
  roles: string[];
  disabled: boolean;
}

/**
 * The one rule of who may take a situation over: an active account of the referring organisation
 * that can hold the referrer relation (policies/access.yaml). HAND_OVER checks it, and
 * GET /cases/:id/handover-candidates lists the accounts that pass it.
 */
export function mayTakeOver(user: HandoverAccount, record: Pick<CaseRecord, 'referrerOrganisationId'>, mayHold: EventBuildContext['mayHold']): boolean {
  return user.organisationId === record.referrerOrganisationId && !user.disabled && mayHold(user.roles as Role[], 'referrer');
}

export interface HandOverEvent {
  type: 'HAND_OVER';
  at: string;
}

export class HandOverPayload extends EventPayload {
  @EventType('HAND_OVER') type!: 'HAND_OVER';
  @ApiProperty({ format: 'uuid', description: 'The referrer of the same organisation who takes the situation over' })
  @Required('HAND_OVER')
  @IsUUID()
  toUserId!: string;
}

export const handOver = defineEvent<HandOverEvent, HandOverPayload>({
  type: 'HAND_OVER',
  payload: HandOverPayload,
  probe: ({ at }) => ({ type: 'HAND_OVER', at }),
  async build(payload, { at, manager, record, mayHold }) {
    const user = await handoverCandidate(manager, payload.toUserId);
    // One answer for "no such user" and "not of this organisation": no directory probing.
    if (!user || !mayTakeOver(user, record, mayHold)) throw AppError.validation('toUserId', 'must be an active referrer of the referring organisation');
    if (payload.toUserId === record.referrerUserId) throw AppError.validation('toUserId', 'is already the referrer of this situation');
    return { type: 'HAND_OVER', at: at.toISOString() };
  },
  async records(payload, _event, ctx) {
    await setReferrer(ctx.manager, ctx.record.id, payload.toUserId);
  },
});
