import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Resource } from '../access/resources.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { factsOf, loadCase } from '../cases/case.repository.js';
import { CasesService, type CaseView } from '../cases/cases.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import type { Page } from '../common/pagination.js';
import { locateForRefusal } from '../database/territory-scope.js';
import { agendaCaseIds, agendaItems, onAgenda } from './agenda.repository.js';
import { territoryExists } from '../users/organisations.repository.js';
import { findAccount } from '../users/users.repository.js';
import { readsHeldText } from '../access/access.js';
import { invitedCaseIds } from './record.repository.js';
import { SessionRecordService, type RecordContribution } from './record.service.js';
import {
  acceptedAt,
  currentCharterVersion,
  findCommission,
  insertAcceptance,
  insertCharterVersion,
  insertCommission,
  latestCharter,
  listCommissions,
  listMembers,
  lockCommission,
  removeMember,
  upsertMember,
  type CommissionRecord,
} from './commissions.repository.js';
import type { AddMemberDto, CharterDto, CreateCommissionDto, CreateSessionDto, InviteDto } from './dto/commission.dto.js';
import {
  findSession,
  insertInvitation,
  insertSession,
  invitableAccounts,
  listInvitations,
  listSessions,
  sessionRow,
  setSessionStatus,
  upsertAttendance,
  type SessionRecord,
} from './sessions.repository.js';

/**
 * Commissions, their members and charter, sessions with attendance, agenda and dossier. Each
 * method loads its resource with the caller's facts, then asks the access service
 * (policies/access.yaml) — which answers 404 for another territory's commission or session, 403
 * otherwise, and logs the refusal.
 */
@Injectable()
export class CommissionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly cases: CasesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly records: SessionRecordService,
  ) {}

  private entry(viewer: RequestViewer, action: string, territoryId: string | null, detail: Record<string, unknown>): AuditEntry {
    return { actorId: viewer.userId, organisationId: viewer.organisationId, territoryId, action, decision: 'allow', detail };
  }

  private async commission(m: EntityManager, id: string, viewer: RequestViewer): Promise<CommissionRecord> {
    // Another territory's commission is hidden by row-level security: found again for the refusal's log (AccessService refuses it).
    const commission = (await findCommission(m, id, viewer.userId)) ?? (await locateForRefusal(() => findCommission(this.dataSource, id, viewer.userId)));
    if (!commission) throw AppError.notFound('Commission');
    return commission;
  }

  private async session(m: EntityManager, id: string, viewer: RequestViewer, lock = false): Promise<SessionRecord> {
    const session =
      (await findSession(m, id, viewer.userId, this.clock.now(), this.access.dossierOpensDaysBefore, lock)) ??
      (await locateForRefusal(() => findSession(this.dataSource, id, viewer.userId, this.clock.now(), this.access.dossierOpensDaysBefore)));
    if (!session) throw AppError.notFound('Session');
    return session;
  }

  /**
   * Why `userId` cannot become a member (or deputy) or an invitee, as a validation error naming
   * the field: another territory, a disabled account, roles that cannot hold the relation.
   */
  private async assertEligible(m: EntityManager, field: string, userId: string, relation: string, resource: Resource, what: string): Promise<void> {
    const account = await findAccount(m, userId);
    const problem = account && this.access.eligibility(account, relation, resource);
    if (!account || problem === 'other_territory') throw AppError.validation(field, `no such user in the ${what}'s territory`);
    if (problem === 'role') throw AppError.validation(field, `the user does not have the ${this.access.holders(relation).join(' or ')} role`);
    if (account.disabled) throw AppError.validation(field, 'the account is disabled');
  }

  async create(viewer: RequestViewer, dto: CreateCommissionDto) {
    return this.dataSource.transaction(async (m) => {
      if (!(await territoryExists(m, dto.territoryId))) throw AppError.validation('territoryId', 'no such territory');
      await this.access.require(viewer, 'commission.create', { kind: 'territory', territoryId: dto.territoryId });
      const commission = await insertCommission(m, dto.territoryId, dto.name.trim());
      if (!commission) throw new AppError('conflict', 'A commission with this name already exists in the territory');
      await this.audit.record(this.entry(viewer, 'commission.create', dto.territoryId, { commissionId: commission.id }), m);
      return commission;
    });
  }

  list(viewer: RequestViewer, page: Page) {
    return listCommissions(this.dataSource, this.access.scope(viewer, 'commission.list'), viewer.userId, page);
  }

  async addMember(viewer: RequestViewer, commissionId: string, dto: AddMemberDto) {
    return this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId, viewer);
      await this.access.require(viewer, 'commission.member.add', commission);
      await this.assertEligible(m, 'userId', dto.userId, 'commission_member', commission, 'commission');
      if (dto.deputyUserId) await this.assertEligible(m, 'deputyUserId', dto.deputyUserId, 'commission_member', commission, 'commission');
      if (dto.deputyUserId === dto.userId) throw AppError.validation('deputyUserId', 'a member cannot be their own deputy');
      const membership = await upsertMember(m, commissionId, dto.userId, dto.deputyUserId ?? null);
      await this.audit.record(
        this.entry(viewer, 'commission.member.add', commission.territoryId, { commissionId, userId: dto.userId, deputyUserId: dto.deputyUserId ?? null }),
        m,
      );
      return membership;
    });
  }

  /**
   * The coordinator takes a member (or a deputy) off the commission: the vouching ends at once —
   * no more attendance at its sessions (the attendance sheet keeps that they came), no more dossier,
   * no more release through the actions of their organisation (policies/access.yaml, holders).
   */
  async removeMember(viewer: RequestViewer, commissionId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId, viewer);
      await this.access.require(viewer, 'commission.member.remove', commission);
      const removed = await removeMember(m, commissionId, userId);
      if (removed === 'none') throw AppError.notFound('Member');
      await this.audit.record(this.entry(viewer, 'commission.member.remove', commission.territoryId, { commissionId, userId, as: removed }), m);
    });
  }

  async members(viewer: RequestViewer, commissionId: string, page: Page) {
    const commission = await this.commission(this.dataSource.manager, commissionId, viewer);
    await this.access.require(viewer, 'commission.member.list', commission);
    return listMembers(this.dataSource, commissionId, page);
  }

  async putCharter(viewer: RequestViewer, commissionId: string, dto: CharterDto) {
    return this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId, viewer);
      await this.access.require(viewer, 'commission.charter.publish', commission);
      // Serialises charter changes of one commission.
      await lockCommission(m, commissionId);
      const current = (await currentCharterVersion(m, commissionId)) ?? 0;
      if (dto.version !== current + 1) {
        throw new AppError('conflict', `The next charter version of this commission is ${current + 1}`, {
          currentVersion: current,
          expectedVersion: current + 1,
        });
      }
      await insertCharterVersion(m, { commissionId, version: dto.version, text: dto.text, createdBy: viewer.userId });
      await this.audit.record(this.entry(viewer, 'commission.charter.publish', commission.territoryId, { commissionId, version: dto.version }), m);
      return { commissionId, version: dto.version };
    });
  }

  async charter(viewer: RequestViewer, commissionId: string) {
    const commission = await this.commission(this.dataSource.manager, commissionId, viewer);
    await this.access.require(viewer, 'commission.charter.read', commission);
    const charter = await latestCharter(this.dataSource, commissionId);
    if (!charter) throw AppError.notFound('Charter');
    return { ...charter, acceptedAt: await acceptedAt(this.dataSource, commissionId, charter.version, viewer.userId) };
  }

  async acceptCharter(viewer: RequestViewer, commissionId: string, version: number) {
    return this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId, viewer);
      await this.access.require(viewer, 'commission.charter.accept', commission);
      const current = await currentCharterVersion(m, commissionId);
      if (current === null) throw new AppError('conflict', 'This commission has no charter yet');
      if (version !== current) throw new AppError('conflict', `The current charter version is ${current}`, { currentVersion: current });
      await insertAcceptance(m, commissionId, version, viewer.userId);
      await this.audit.record(this.entry(viewer, 'commission.charter.accept', commission.territoryId, { commissionId, version }), m);
      return { commissionId, version, userId: viewer.userId };
    });
  }

  async createSession(viewer: RequestViewer, commissionId: string, dto: CreateSessionDto) {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    if (endsAt <= startsAt) throw AppError.validation('endsAt', 'must be after startsAt');
    return this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId, viewer);
      await this.access.require(viewer, 'session.create', commission);
      const session = await insertSession(m, { commissionId, territoryId: commission.territoryId, startsAt, endsAt });
      await this.audit.record(this.entry(viewer, 'session.create', commission.territoryId, { commissionId, sessionId: session.id }), m);
      return session;
    });
  }

  async sessions(viewer: RequestViewer, commissionId: string, page: Page) {
    const commission = await this.commission(this.dataSource.manager, commissionId, viewer);
    await this.access.require(viewer, 'session.list', commission);
    return listSessions(this.dataSource, commissionId, viewer.userId, this.clock.now(), this.access.dossierOpensDaysBefore, page);
  }

  async setStatus(viewer: RequestViewer, sessionId: string, to: 'open' | 'closed') {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer, true);
      await this.access.require(viewer, to === 'open' ? 'session.open' : 'session.close', session);
      const from = to === 'open' ? 'planned' : 'open';
      if (session.status !== from) {
        throw new AppError('conflict', `A session is ${to === 'open' ? 'opened from planned' : 'closed from open'}; this one is ${session.status}`, {
          sessionStatus: session.status,
        });
      }
      const at = this.clock.now();
      // A session releases only during it: once its end time has passed it cannot be opened.
      if (to === 'open' && session.endsAt.getTime() <= at.getTime()) throw new AppError('conflict', 'The session has ended', { sessionStatus: session.status });
      if (!(await setSessionStatus(m, sessionId, from, to, at))) throw new AppError('conflict', 'The session changed meanwhile');
      await this.audit.record(this.entry(viewer, `session.${to === 'open' ? 'open' : 'close'}`, session.territoryId, { sessionId }), m);
      return { id: sessionId, status: to };
    });
  }

  /**
   * A member records presence: only a member (or deputy) of the commission, or a professional
   * invited to this session, and only after accepting the commission's current charter
   * (access.yaml, `session.attend`).
   */
  async attend(viewer: RequestViewer, sessionId: string) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer);
      await this.access.require(viewer, 'session.attend', session);
      if (session.status === 'closed') throw new AppError('conflict', 'The session is closed', { sessionStatus: session.status });
      // The charter condition held: there is a current version, accepted by the caller.
      const charterVersion = session.charterVersion!;
      await upsertAttendance(m, sessionId, viewer.userId, charterVersion);
      await this.audit.record(this.entry(viewer, 'session.attend', session.territoryId, { sessionId, invited: session.invited && !session.member }), m);
      return { sessionId, userId: viewer.userId, charterVersion };
    });
  }

  async invite(viewer: RequestViewer, sessionId: string, dto: InviteDto) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer);
      await this.access.require(viewer, 'session.invite', session);
      if (session.status === 'closed') throw new AppError('conflict', 'The session is closed', { sessionStatus: session.status });
      if (!(await onAgenda(m, sessionId, dto.caseId))) throw AppError.validation('caseId', "the case is not on this session's agenda");
      await this.assertEligible(m, 'userId', dto.userId, 'session_invitee', session, 'session');
      await insertInvitation(m, { sessionId, caseId: dto.caseId, userId: dto.userId, invitedBy: viewer.userId });
      await this.audit.record({ ...this.entry(viewer, 'session.invite', session.territoryId, { sessionId, userId: dto.userId }), caseId: dto.caseId }, m);
      return { sessionId, caseId: dto.caseId, userId: dto.userId };
    });
  }

  /**
   * The session's invitations (who, for which situation) and the accounts that could be invited:
   * what the coordinator needs to invite the referrer or a professional already involved.
   */
  async invitations(viewer: RequestViewer, sessionId: string) {
    const session = await this.session(this.dataSource.manager, sessionId, viewer);
    await this.access.require(viewer, 'session.invitations.list', session);
    return {
      items: await listInvitations(this.dataSource, sessionId),
      candidates: await invitableAccounts(this.dataSource, {
        territoryId: session.territoryId,
        commissionId: session.commissionId,
        roles: this.access.holders('session_invitee'),
      }),
    };
  }

  /** The agenda: references and states only (the coordinator builds it; members read the dossier). */
  async agenda(viewer: RequestViewer, sessionId: string) {
    const session = await this.session(this.dataSource.manager, sessionId, viewer);
    await this.access.require(viewer, 'session.agenda', session);
    return { session: sessionRow(session), items: await agendaItems(this.dataSource, sessionId) };
  }

  /**
   * The session dossier: for each case on the agenda, exactly what the policy releases to this
   * viewer, and the written contributions on it. Members (and deputies, and those invited for a
   * case) reach it from the days before the session once they accepted the current charter
   * (lifecycle.yaml `dossier.opensDaysBefore`), then as attendees until the session's record is
   * closed (access.yaml `dossier_reader`); the territory's coordinator as well. Everyone else: 403.
   */
  async dossier(
    viewer: RequestViewer,
    sessionId: string,
    requestId?: string,
  ): Promise<{ sessionId: string; status: string; items: CaseView[]; contributions: (RecordContribution & { caseId: string })[] }> {
    const m = this.dataSource.manager;
    const session = await this.session(m, sessionId, viewer);
    await this.access.require(viewer, 'session.dossier', session, { requestId });
    const items: CaseView[] = [];
    const entries: AuditEntry[] = [];
    const readable: { id: string; territoryId: string; heldReader: (author: string | null) => boolean }[] = [];
    const now = this.clock.now();
    const invited = await invitedCaseIds(m, sessionId, viewer.userId);
    for (const caseId of await agendaCaseIds(m, sessionId)) {
      const record = await loadCase(m, caseId, viewer, now);
      if (!record) continue;
      const decision = this.access.dossierRelease(viewer, factsOf(record), session, invited.has(caseId), now);
      if (!decision.relations.length) continue;
      const view = await this.cases.render(m, viewer, record, decision);
      items.push(view);
      if (view.released.includes('plan'))
        readable.push({ id: caseId, territoryId: record.territoryId, heldReader: (author) => readsHeldText(decision, viewer.userId, author) });
      entries.push({
        actorId: viewer.userId,
        organisationId: viewer.organisationId,
        territoryId: record.territoryId,
        action: 'case.read',
        caseId,
        classes: view.released,
        decision: 'allow',
        purpose: `dossier:${decision.relations.join(',')}`,
        requestId,
        detail: { sessionId },
      });
    }
    const byCase = await this.records.contributionsFor(m, viewer, sessionId, readable);
    const contributions = [...byCase].flatMap(([caseId, list]) => list.map((c) => ({ caseId, ...c })));
    await this.audit.recordMany(entries);
    return { sessionId, status: session.status, items, contributions };
  }
}
