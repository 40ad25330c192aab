/**
 * REVISE_PLAN (issue 12) — the plan changes while it runs (plan_active, follow_up) or when the
 * commission reviews it again (in_review after REVIEW_AGAIN, where the revision is its decision):
 * actions are added, re-dated, entrusted to another professional, cancelled with a reason.
 * The revision is a new plan version: the unfinished actions of the current one go on into it —
 * an overdue one only with the reason it is late (circumstances changed, the agency did not act,
 * the person declined) or else cancelled —; done and cancelled ones stay in the version they
 * belonged to. Added titles pass the leak guard like ADOPT_PLAN's.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { MaxItems } from '../../common/limits.js';
import { nextPlanVersion, reviseActions, unfinishedActions } from '../../action-plans/actions.repository.js';
import { CANCEL_REASONS, CARRY_REASONS, type CancelReason, type CarryReason } from '../../action-plans/dto/update-action.dto.js';
import { concludeOnAgenda } from '../../commissions/agenda.repository.js';
import { AppError } from '../../common/errors.js';
import { IsInstant, NestedObjects } from '../../common/validation.js';
import { checkAssignees, checkNewActions, PlannedActionDto, writeNewActions, type PlanAction } from './adopt-plan.js';
import { addMonths, defineEvent, EventPayload, EventType } from './event-module.js';

export interface RevisePlanEvent {
  type: 'REVISE_PLAN';
  at: string;
  added: PlanAction[];
  carried: { id: string; dueAt: string | null; assigneeUserId: string | null; reason: CarryReason | null }[];
  cancelled: { id: string; reason: CancelReason }[];
  /** The actions the revised plan holds. */
  actionCount: number;
  /** The new follow-up date; null keeps the current one. */
  followUpAt: string | null;
}

export class CarryOverDto {
  @ApiProperty({ format: 'uuid', description: 'An unfinished action of the current plan' }) @IsUUID() actionId!: string;
  @ApiPropertyOptional({ enum: CARRY_REASONS, description: 'Why it is not done yet: required when the action is overdue' })
  @IsOptional()
  @IsIn(CARRY_REASONS)
  reason?: CarryReason;
  @ApiPropertyOptional({ format: 'date-time', description: 'Its new due date (re-dating); default: unchanged' }) @IsOptional() @IsInstant() dueAt?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Entrust it to this professional of the owning organisation' })
  @IsOptional()
  @IsUUID()
  assigneeUserId?: string;
}

export class CancelActionDto {
  @ApiProperty({ format: 'uuid', description: 'An unfinished action of the current plan' }) @IsUUID() actionId!: string;
  @ApiProperty({ enum: CANCEL_REASONS }) @IsIn(CANCEL_REASONS) reason!: CancelReason;
}

export class RevisePlanPayload extends EventPayload {
  @EventType('REVISE_PLAN') type!: 'REVISE_PLAN';
  @ApiPropertyOptional({ type: [PlannedActionDto], description: 'Actions added to the plan' })
  @IsOptional()
  @NestedObjects(() => PlannedActionDto)
  @MaxItems(50)
  add?: PlannedActionDto[];
  @ApiPropertyOptional({
    type: [CarryOverDto],
    description: 'Unfinished actions carried over with a reason, a new date or another professional; those not named and not overdue go on unchanged',
  })
  @IsOptional()
  @NestedObjects(() => CarryOverDto)
  @MaxItems(50)
  carryOver?: CarryOverDto[];
  @ApiPropertyOptional({ type: [CancelActionDto], description: 'Unfinished actions cancelled, each with a reason' })
  @IsOptional()
  @NestedObjects(() => CancelActionDto)
  @MaxItems(50)
  cancel?: CancelActionDto[];
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'New follow-up date. Default: unchanged while the plan runs; the policy delay (3 months) when the commission revises it in review',
  })
  @IsOptional()
  @IsInstant()
  followUpAt?: string;
}

export const revisePlan = defineEvent<RevisePlanEvent, RevisePlanPayload>({
  type: 'REVISE_PLAN',
  payload: RevisePlanPayload,
  probe: ({ at }) => ({ type: 'REVISE_PLAN', at, added: [], carried: [], cancelled: [], actionCount: 1, followUpAt: null }),
  async build(payload, { manager, record, at, rules, mayHold }) {
    const add = payload.add ?? [];
    const carryOver = payload.carryOver ?? [];
    const cancel = payload.cancel ?? [];
    if (!add.length && !carryOver.length && !cancel.length && !payload.followUpAt) {
      throw AppError.validation('add', 'a revision adds, carries over or cancels at least one action, or moves the follow-up date');
    }
    const unfinished = new Map((await unfinishedActions(manager, record.id)).map((a) => [a.id, a]));
    const named = new Set<string>();
    const check = (field: string, actionId: string) => {
      if (!unfinished.has(actionId)) throw AppError.validation(field, 'is not an unfinished action of the current plan');
      if (named.has(actionId)) throw AppError.validation(field, 'names an action already named in this revision');
      named.add(actionId);
    };
    carryOver.forEach((c, i) => check(`carryOver.${i}.actionId`, c.actionId));
    cancel.forEach((c, i) => check(`cancel.${i}.actionId`, c.actionId));
    const overdue = (id: string) => unfinished.get(id)!.dueAt.getTime() < at.getTime();
    carryOver.forEach((c, i) => {
      if (overdue(c.actionId) && !c.reason) throw AppError.validation(`carryOver.${i}.reason`, 'is required: the action is overdue');
      if (c.dueAt && Date.parse(c.dueAt) <= at.getTime()) throw AppError.validation(`carryOver.${i}.dueAt`, 'must be in the future');
    });
    const silentOverdue = [...unfinished.keys()].filter((id) => !named.has(id) && overdue(id));
    if (silentOverdue.length) {
      throw AppError.validation('carryOver', `every overdue action is carried over with a reason or cancelled (${silentOverdue.length} not named)`);
    }
    await checkNewActions(add, 'add', { manager, record, mayHold });
    await checkAssignees(
      carryOver.map((c, i) => ({
        field: `carryOver.${i}.assigneeUserId`,
        assigneeUserId: c.assigneeUserId ?? null,
        ownerOrganisationId: unfinished.get(c.actionId)!.ownerOrganisationId,
      })),
      { manager, mayHold },
    );
    // In review the revision is the commission's decision: the follow-up starts again.
    const inReview = record.state === 'in_review';
    const followUpAt = payload.followUpAt ? new Date(payload.followUpAt) : inReview ? addMonths(at, rules.followUpMonths) : null;
    if (followUpAt && followUpAt.getTime() <= at.getTime()) throw AppError.validation('followUpAt', 'must be in the future');
    const carriedIds = [...unfinished.keys()].filter((id) => !cancel.some((c) => c.actionId === id));
    if (!add.length && !carriedIds.length) throw AppError.validation('add', 'a revised plan keeps or adds at least one action (closing is CLOSE)');
    const explicit = new Map(carryOver.map((c) => [c.actionId, c]));
    return {
      type: 'REVISE_PLAN',
      at: at.toISOString(),
      added: add.map((a) => ({ title: a.title.trim(), ownerOrganisationId: a.ownerOrganisationId, dueAt: a.dueAt, assigneeUserId: a.assigneeUserId ?? null })),
      carried: carriedIds.map((id) => {
        const c = explicit.get(id);
        return { id, dueAt: c?.dueAt ?? null, assigneeUserId: c?.assigneeUserId ?? null, reason: c?.reason ?? null };
      }),
      cancelled: cancel.map((c) => ({ id: c.actionId, reason: c.reason })),
      actionCount: add.length + carriedIds.length,
      followUpAt: followUpAt?.toISOString() ?? null,
    };
  },
  async records(_payload, event, ctx) {
    const version = await nextPlanVersion(ctx.manager, ctx.record.id);
    await reviseActions(ctx.manager, {
      caseId: ctx.record.id,
      version,
      carried: event.carried,
      cancelled: event.cancelled,
      byUserId: ctx.actorId,
      at: ctx.at,
    });
    await writeNewActions(event.added, 'add', ctx, version);
    if (ctx.record.state === 'in_review') await concludeOnAgenda(ctx.manager, ctx.record.id, ctx.at);
  },
});
