import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { NotificationDelivery } from './delivery.js';
import type { Clock } from '../common/clock.js';
import type { SqlRunner } from '../database/sql.js';
import type { ScheduledTask } from '../jobs/scheduler.js';
import { ACTION_DUE_SOON_DAYS, CONSENT_EXPIRING_DAYS, RIGHTS_DUE_SOON_DAYS, type NotificationKind } from './notification-kinds.js';
import {
  coordinatorsOf,
  expectedAttendeesOf,
  insertNotifications,
  notifyActionsDue,
  notifyConsents,
  notifyConvocations,
  notifyNewActions,
  notifyRightsDue,
  recordedAttendeesOf,
  recordReferrersOf,
  referrerOf,
  sessionFacts,
} from './notifications.repository.js';

/** One transition of a case, as the workflow committed it (src/cases/workflow.service.ts). */
export interface CommittedTransition {
  caseId: string;
  territoryId: string;
  event: string;
  version: number;
  from: string;
  to: string;
  sessionBefore: string | null;
  sessionAfter: string | null;
  /** The follow-up date the case had before (FOLLOW_UP_DUE: the date reached). */
  followUpAt: Date | null;
  at: Date;
  /** Who sent it (null: the scheduler): never told about their own act. */
  actorId: string | null;
}

/** What every notice of a transition carries: its case and territory, its instant, and its occurrence (the case's new version). */
function transitionNotice(t: Pick<CommittedTransition, 'caseId' | 'territoryId' | 'version' | 'at'>) {
  return { territoryId: t.territoryId, caseId: t.caseId, at: t.at, occurrence: `${t.caseId}:v${t.version}` };
}

/**
 * The territory's coordinators (`roles`: the roles holding the coordinator relation) are told
 * `kind` about the transition `t`, its sender excepted — SUBMIT's referral to screen and
 * FOLLOW_UP_DUE's date reached. In the transition's transaction; answers the notifications written.
 * Exported for the bench's SQL-alone transition, which runs the server's statements (bench/load.ts).
 */
export async function notifyCoordinators(
  db: SqlRunner,
  t: Pick<CommittedTransition, 'caseId' | 'territoryId' | 'version' | 'at' | 'actorId'>,
  kind: 'referral_to_screen' | 'follow_up_due',
  roles: readonly string[],
  dueAt: Date | null = null,
): Promise<string[]> {
  const recipients = (await coordinatorsOf(db, t.territoryId, roles)).filter((id) => id !== t.actorId);
  return insertNotifications(db, { ...transitionNotice(t), kind, dueAt, recipients });
}

/** The events whose records write new actions of the plan (src/cases/events/adopt-plan.ts, revise-plan.ts). */
const WRITES_ACTIONS: ReadonlySet<string> = new Set(['ADOPT_PLAN', 'REVISE_PLAN']);

/** The referrer is told how the screening of their referral ended. */
const SCREENING_ANSWERS: Partial<Record<string, NotificationKind>> = {
  ACCEPT: 'referral_accepted',
  SEND_BACK: 'referral_sent_back',
  REJECT: 'referral_rejected',
};

/**
 * Who is told what — the one owner of the rule (issue 13, item 2). Event-driven kinds are written
 * in the transaction of the event that causes them (the workflow calls `afterTransition`, the
 * session record's service `afterRecordClosed`), so that an event rolled back tells nobody;
 * time-driven kinds come from the periodic task `notification-reminders`, reading "now" from the
 * injected clock. Every row is unique per recipient, kind and occurrence: a re-run, a second
 * replica or a retried event never tells anyone twice.
 *
 * Recipients:
 * - a referral submitted → the coordinators of the territory (`referral_to_screen`);
 * - accepted, sent back, rejected → its referrer;
 * - a situation put on a session's agenda → the session's expected attendees: the members of
 *   the commission, their deputies and the professionals invited to the session (`case_on_agenda`);
 * - the convocation, when the session's dossier opens (lifecycle.yaml `dossier.opensDaysBefore`
 *   days before it) → the same expected attendees, with the agenda's size then;
 * - the actions of a plan adopted or revised (and one carried over to a named professional) →
 *   the professional named on each, or else the accounts of the owning organisation that the
 *   coordinator vouched for (members or deputies of the commission: those who see the action);
 *   then the same when it is due within 7 days, and when it is overdue (once per due date);
 * - the follow-up date reached (FOLLOW_UP_DUE) → the coordinators of the territory;
 * - a consent expiring within 30 days, then expired → the situation's referrer;
 * - the session's record closed → those whose presence the attendance sheet records, and the
 *   referrer of each situation the record holds (one notice per situation, with its reference).
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly access: AccessService,
    private readonly delivery: NotificationDelivery,
  ) {}

  /** The notifications just written, in `db`'s transaction: their emails are queued in it too (delivery.ts). Answers how many. */
  private async written(db: SqlRunner, ids: readonly string[]): Promise<number> {
    await this.delivery.queue(db, ids);
    return ids.length;
  }

  private coordinatorRoles(): string[] {
    return this.access.holders('coordinator');
  }

  private actionOwnerRoles(): string[] {
    return this.access.holders('action_owner');
  }

  /** The notifications one committed transition causes, written in its transaction. */
  async afterTransition(db: SqlRunner, t: CommittedTransition): Promise<number> {
    const others = (ids: string[]) => ids.filter((id) => id !== t.actorId);
    const base = transitionNotice(t);
    const written: string[] = [];
    if (t.event === 'SUBMIT') written.push(...(await notifyCoordinators(db, t, 'referral_to_screen', this.coordinatorRoles())));
    const answer = SCREENING_ANSWERS[t.event];
    if (answer) written.push(...(await insertNotifications(db, { ...base, kind: answer, recipients: others(await referrerOf(db, t.caseId)) })));
    if (t.sessionAfter && t.sessionAfter !== t.sessionBefore) {
      const session = await sessionFacts(db, t.sessionAfter);
      written.push(
        ...(await insertNotifications(db, {
          ...base,
          kind: 'case_on_agenda',
          sessionId: t.sessionAfter,
          agendaSize: session?.agendaSize ?? null,
          dueAt: session?.startsAt ?? null,
          recipients: others(await expectedAttendeesOf(db, t.sessionAfter)),
        })),
      );
    }
    if (t.event === 'FOLLOW_UP_DUE') written.push(...(await notifyCoordinators(db, t, 'follow_up_due', this.coordinatorRoles(), t.followUpAt)));
    // The actions this transition wrote (written at its instant). Other transitions cost no query here.
    if (WRITES_ACTIONS.has(t.event)) written.push(...(await notifyNewActions(db, t.caseId, t.at, this.actionOwnerRoles(), t.actorId)));
    return this.written(db, written);
  }

  /** The session's record closed (src/commissions/record.service.ts), in its transaction. */
  async afterRecordClosed(db: SqlRunner, session: { id: string; territoryId: string }, at: Date, actorId: string): Promise<number> {
    const recipients = (await recordedAttendeesOf(db, session.id)).filter((id) => id !== actorId);
    const written = await insertNotifications(db, {
      territoryId: session.territoryId,
      kind: 'session_record_closed',
      sessionId: session.id,
      recipients,
      occurrence: session.id,
      at,
    });
    // Each referrer, once per situation of theirs the record holds (they may read it: access.yaml, record_referrer).
    for (const { caseId, userId } of await recordReferrersOf(db, session.id)) {
      if (userId === actorId) continue;
      written.push(
        ...(await insertNotifications(db, {
          territoryId: session.territoryId,
          kind: 'session_record_closed',
          sessionId: session.id,
          caseId,
          recipients: [userId],
          occurrence: `${session.id}:${caseId}`,
          at,
        })),
      );
    }
    return this.written(db, written);
  }

  /** A person's rectification forwarded by the DPO (issue 15) to the situation's referrer: the reference, no content. */
  async rectificationForwarded(db: SqlRunner, f: { caseId: string; territoryId: string; requestId: string; at: Date }): Promise<number> {
    return this.written(
      db,
      await insertNotifications(db, {
        territoryId: f.territoryId,
        kind: 'rights_rectification_forwarded',
        caseId: f.caseId,
        recipients: await referrerOf(db, f.caseId),
        occurrence: `${f.requestId}:${f.caseId}`,
        at: f.at,
      }),
    );
  }

  /** The coordinator named this professional to hand a person the copy of her data (issue 15): no reference, no content. */
  async rightsHandlerNamed(db: SqlRunner, f: { territoryId: string; requestId: string; userId: string; at: Date }): Promise<number> {
    return this.written(
      db,
      await insertNotifications(db, {
        territoryId: f.territoryId,
        kind: 'rights_handler_named',
        recipients: [f.userId],
        occurrence: f.requestId,
        at: f.at,
      }),
    );
  }

  /** The time-driven kinds at `now`; answers how many notifications were written. */
  async produceDue(db: SqlRunner, now: Date): Promise<number> {
    const owners = this.actionOwnerRoles();
    const written = [
      ...(await notifyActionsDue(db, 'soon', now, ACTION_DUE_SOON_DAYS, owners)),
      ...(await notifyActionsDue(db, 'overdue', now, 0, owners)),
      ...(await notifyConsents(db, 'expiring', now, CONSENT_EXPIRING_DAYS)),
      ...(await notifyConsents(db, 'expired', now, 0)),
      ...(await notifyConvocations(db, now, this.access.dossierOpensDaysBefore)),
      ...(await notifyRightsDue(db, now, RIGHTS_DUE_SOON_DAYS)),
      ...(await notifyRightsDue(db, now, 0)),
    ];
    return this.written(db, written);
  }

  /** The periodic task of the time-driven kinds (an entry of src/jobs/jobs.module.ts). */
  dueTask(dataSource: DataSource, clock: Clock): ScheduledTask {
    return { name: 'notification-reminders', everyMs: 5 * 60_000, run: () => dataSource.transaction((m) => this.produceDue(m, clock.now())) };
  }
}
