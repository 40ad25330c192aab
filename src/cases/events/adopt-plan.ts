/**
 * ADOPT_PLAN — in session, the commission adopts an action plan: actions with an owner
 * organisation (of the territory), a due date and, if the coordinator names one, the professional
 * of that organisation it is entrusted to; and the follow-up date (policy default: 3 months).
 * Titles are pseudonymised (leak guard; a title naming the person beyond what the coordinator may
 * see is held, not refused) and kept in clear with the plan. The case leaves the session's open
 * agenda: its attendees' relation to it ends with the adoption.
 */
import { randomUUID } from 'node:crypto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID } from 'class-validator';
import { MaxChars, MaxItems, MinItems } from '../../common/limits.js';
import { insertPlan, organisationsInTerritory, professionalsOf } from '../../action-plans/actions.repository.js';
import { concludeOnAgenda } from '../../commissions/agenda.repository.js';
import { AppError } from '../../common/errors.js';
import { IsInstant, NestedObjects } from '../../common/validation.js';
import { HELD_TEXT } from '../case-text.js';
import { addMonths, defineEvent, EventPayload, EventType, NotBlank, Required, type EventBuildContext, type EventRecordContext } from './event-module.js';

export interface PlanAction {
  title: string;
  ownerOrganisationId: string;
  dueAt: string;
  /** The professional the coordinator named on the action (null: the commission's members of the organisation). */
  assigneeUserId: string | null;
}

export interface AdoptPlanEvent {
  type: 'ADOPT_PLAN';
  at: string;
  actions: PlanAction[];
  followUpAt: string;
}

export class PlannedActionDto {
  @ApiProperty({ description: 'Pseudonymised action title' }) @IsString() @NotBlank() @MaxChars(300) title!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() ownerOrganisationId!: string;
  @ApiProperty({ format: 'date-time' }) @IsInstant() dueAt!: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The professional of the owning organisation the action is entrusted to. Besides the commission's members of that organisation, the only one its ownership releases anything to.",
  })
  @IsOptional()
  @IsUUID()
  assigneeUserId?: string;
}

export class AdoptPlanPayload extends EventPayload {
  @EventType('ADOPT_PLAN') type!: 'ADOPT_PLAN';
  @ApiProperty({ type: [PlannedActionDto] })
  @Required('ADOPT_PLAN')
  @NestedObjects(() => PlannedActionDto)
  @MinItems(1, { message: '$property: a plan needs at least one action' })
  @MaxItems(50)
  actions!: PlannedActionDto[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: the policy follow-up delay (3 months)' })
  @IsOptional()
  @IsInstant()
  followUpAt?: string;
}

export const adoptPlan = defineEvent<AdoptPlanEvent, AdoptPlanPayload>({
  type: 'ADOPT_PLAN',
  payload: AdoptPlanPayload,
  probe: ({ at }) => ({
    type: 'ADOPT_PLAN',
    at,
    actions: [{ title: 'probe', ownerOrganisationId: 'probe', dueAt: at, assigneeUserId: null }],
    followUpAt: at,
  }),
  async build(payload, { manager, record, at, rules, mayHold }) {
    await checkNewActions(payload.actions, 'actions', { manager, record, mayHold });
    const followUpAt = payload.followUpAt ? new Date(payload.followUpAt) : addMonths(at, rules.followUpMonths);
    if (followUpAt.getTime() <= at.getTime()) throw AppError.validation('followUpAt', 'must be in the future');
    return {
      type: 'ADOPT_PLAN',
      at: at.toISOString(),
      actions: payload.actions.map((a) => ({
        title: a.title.trim(),
        ownerOrganisationId: a.ownerOrganisationId,
        dueAt: a.dueAt,
        assigneeUserId: a.assigneeUserId ?? null,
      })),
      followUpAt: followUpAt.toISOString(),
    };
  },
  async records(_payload, event, ctx) {
    await writeNewActions(event.actions, 'actions', ctx);
    await concludeOnAgenda(ctx.manager, ctx.record.id, ctx.at);
  },
});

/**
 * New actions of a plan (ADOPT_PLAN, REVISE_PLAN): owners of the territory, and a named
 * professional who is a vouchable user of the owning organisation (400 naming `<prefix>.<i>.…`).
 */
export async function checkNewActions(
  actions: readonly { ownerOrganisationId: string; assigneeUserId?: string | null }[],
  prefix: string,
  { manager, record, mayHold }: Pick<EventBuildContext, 'manager' | 'record' | 'mayHold'>,
): Promise<void> {
  const owners = await organisationsInTerritory(manager, [...new Set(actions.map((a) => a.ownerOrganisationId))], record.territoryId);
  const missing = actions.findIndex((a) => !owners.has(a.ownerOrganisationId));
  if (missing >= 0) throw AppError.validation(`${prefix}.${missing}.ownerOrganisationId`, 'no such organisation in this territory');
  await checkAssignees(
    actions.map((a, i) => ({ field: `${prefix}.${i}.assigneeUserId`, assigneeUserId: a.assigneeUserId ?? null, ownerOrganisationId: a.ownerOrganisationId })),
    { manager, mayHold },
  );
}

/** Each named professional is an active user of the owning organisation who may own an action. */
export async function checkAssignees(
  named: readonly { field: string; assigneeUserId: string | null; ownerOrganisationId: string }[],
  { manager, mayHold }: Pick<EventBuildContext, 'manager' | 'mayHold'>,
): Promise<void> {
  const ids = [...new Set(named.flatMap((a) => (a.assigneeUserId ? [a.assigneeUserId] : [])))];
  const professionals = new Map((await professionalsOf(manager, ids)).map((p) => [p.id, p]));
  for (const a of named) {
    if (!a.assigneeUserId) continue;
    const professional = professionals.get(a.assigneeUserId);
    if (!professional || professional.disabled || professional.organisationId !== a.ownerOrganisationId) {
      throw AppError.validation(a.field, 'no such user in the owning organisation');
    }
    if (!mayHold(professional.roles, 'action_owner')) throw AppError.validation(a.field, 'the user cannot be entrusted with an action');
  }
}

/**
 * Writes new actions as a new plan version (or into `version`): titles checked by the leak guard
 * (a title naming the person beyond what the writer may see is held, its column neutral).
 * Answers the plan version written.
 */
export async function writeNewActions(actions: readonly PlanAction[], prefix: string, ctx: EventRecordContext, version?: number): Promise<number> {
  const held = await ctx.texts.check(Object.fromEntries(actions.map((a, i) => [`${prefix}.${i}.title`, a.title])));
  const rows = actions.map((a, i) => ({ ...a, id: randomUUID(), held: held.has(`${prefix}.${i}.title`) }));
  const written = await insertPlan(ctx.manager, {
    caseId: ctx.record.id,
    territoryId: ctx.record.territoryId,
    actions: rows.map((a) => ({ ...a, title: a.held ? HELD_TEXT : a.title })),
    byUserId: ctx.actorId,
    at: ctx.at,
    version,
  });
  const toHold = rows.filter((a) => a.held).map((a) => ({ field: titleField(a.id), label: `actions.${a.id}.title`, text: a.title }));
  await ctx.texts.store(null, toHold, new Set(toHold.map((t) => t.label)));
  return written;
}

/** The sealed field of an action's held title. */
export function titleField(actionId: string): string {
  return `title_${actionId.replace(/-/g, '')}`;
}
