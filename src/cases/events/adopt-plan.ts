/**
 * ADOPT_PLAN — in session, the commission adopts an action plan: actions with an owner
 * organisation (of the territory) and a due date, and the follow-up date (policy default: 3
 * months). Titles are pseudonymised (leak guard) and kept in clear with the plan.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { insertPlan, organisationsInTerritory } from '../../action-plans/actions.repository.js';
import { AppError } from '../../common/errors.js';
import { addMonths, defineEvent, EventPayload, EventType, NotBlank, Required } from './event-module.js';

export interface PlanAction {
  title: string;
  ownerOrganisationId: string;
  dueAt: string;
}

export interface AdoptPlanEvent {
  type: 'ADOPT_PLAN';
  at: string;
  actions: PlanAction[];
  followUpAt: string;
}

export class PlannedActionDto {
  @ApiProperty({ description: 'Pseudonymised action title' }) @IsString() @NotBlank() @MaxLength(300) title!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() ownerOrganisationId!: string;
  @ApiProperty({ format: 'date-time' }) @IsDateString({ strict: true }) dueAt!: string;
}

export class AdoptPlanPayload extends EventPayload {
  @EventType('ADOPT_PLAN') type!: 'ADOPT_PLAN';
  @ApiProperty({ type: [PlannedActionDto] })
  @Required('ADOPT_PLAN')
  @IsArray()
  @ArrayMinSize(1, { message: '$property: a plan needs at least one action' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlannedActionDto)
  actions!: PlannedActionDto[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: the policy follow-up delay (3 months)' })
  @IsOptional()
  @IsDateString({ strict: true })
  followUpAt?: string;
}

export const adoptPlan = defineEvent<AdoptPlanEvent, AdoptPlanPayload>({
  type: 'ADOPT_PLAN',
  payload: AdoptPlanPayload,
  probe: ({ at }) => ({ type: 'ADOPT_PLAN', at, actions: [{ title: 'probe', ownerOrganisationId: 'probe', dueAt: at }], followUpAt: at }),
  async build(payload, { manager, record, at, rules }) {
    const owners = await organisationsInTerritory(manager, [...new Set(payload.actions.map((a) => a.ownerOrganisationId))], record.territoryId);
    const missing = payload.actions.findIndex((a) => !owners.has(a.ownerOrganisationId));
    if (missing >= 0) throw AppError.validation(`actions.${missing}.ownerOrganisationId`, 'no such organisation in this territory');
    const followUpAt = payload.followUpAt ? new Date(payload.followUpAt) : addMonths(at, rules.followUpMonths);
    if (followUpAt.getTime() <= at.getTime()) throw AppError.validation('followUpAt', 'must be in the future');
    return {
      type: 'ADOPT_PLAN',
      at: at.toISOString(),
      actions: payload.actions.map((a) => ({ title: a.title.trim(), ownerOrganisationId: a.ownerOrganisationId, dueAt: a.dueAt })),
      followUpAt: followUpAt.toISOString(),
    };
  },
  async records(_payload, event, ctx) {
    await ctx.assertPseudonymised(Object.fromEntries(event.actions.map((a, i) => [`actions.${i}.title`, a.title])));
    await insertPlan(ctx.manager, { caseId: ctx.record.id, territoryId: ctx.record.territoryId, actions: event.actions, byUserId: ctx.actorId, at: ctx.at });
  },
});
