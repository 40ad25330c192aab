import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PolicyService } from '../access/policy.service.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { factsOf, loadCase } from '../cases/case.repository.js';
import { CasesService, type CaseView } from '../cases/cases.service.js';
import { AppError } from '../common/errors.js';
import { affectedRows } from '../database/sql.js';
import type { AddMemberDto, CharterDto, CreateCommissionDto, CreateSessionDto, InviteDto } from './dto/commission.dto.js';

interface SessionRow {
  id: string;
  commissionId: string;
  territoryId: string;
  status: 'planned' | 'open' | 'closed';
  startsAt: Date;
  endsAt: Date;
}

/** Commissions, their members and charter, sessions with attendance, agenda and dossier. */
@Injectable()
export class CommissionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: PolicyService,
    private readonly cases: CasesService,
    private readonly audit: AuditService,
  ) {}

  private entry(
    viewer: RequestViewer,
    action: string,
    territoryId: string | null,
    detail: Record<string, unknown>,
    decision: 'allow' | 'deny' = 'allow',
  ): AuditEntry {
    return { actorId: viewer.userId, organisationId: viewer.organisationId, territoryId, action, decision, detail };
  }

  /**
   * Coordinators act in their own territory; admins anywhere. An object of another territory is
   * answered 404 when named (`what`), so that its existence is not confirmed.
   */
  private assertManages(viewer: RequestViewer, territoryId: string, what?: string): void {
    if (viewer.roles.includes('admin')) return;
    if (what && viewer.territoryId !== territoryId) throw AppError.notFound(what);
    if (viewer.roles.includes('coordinator') && viewer.territoryId === territoryId) return;
    throw AppError.forbidden('Only the coordinator of this territory may do that');
  }

  private async commission(m: EntityManager, id: string): Promise<{ id: string; territoryId: string; name: string }> {
    const [row] = await m.query(`SELECT id, territory_id AS "territoryId", name FROM commissions WHERE id = $1`, [id]);
    if (!row) throw AppError.notFound('Commission');
    return row;
  }

  private async session(m: EntityManager, id: string, lock = false): Promise<SessionRow> {
    const [row] = await m.query(
      `SELECT id, commission_id AS "commissionId", territory_id AS "territoryId", status, starts_at AS "startsAt", ends_at AS "endsAt" FROM sessions WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) throw AppError.notFound('Session');
    return row;
  }

  async create(viewer: RequestViewer, dto: CreateCommissionDto) {
    return this.dataSource.transaction(async (m) => {
      const territory = await m.query(`SELECT 1 FROM territories WHERE id = $1`, [dto.territoryId]);
      if (!territory.length) throw AppError.validation('territoryId', 'no such territory');
      this.assertManages(viewer, dto.territoryId);
      const rows = await m.query(
        `INSERT INTO commissions (territory_id, name) VALUES ($1, $2) ON CONFLICT (territory_id, name) DO NOTHING RETURNING id, territory_id AS "territoryId", name, created_at AS "createdAt"`,
        [dto.territoryId, dto.name.trim()],
      );
      if (!rows.length) throw new AppError('conflict', 'A commission with this name already exists in the territory');
      await this.audit.record(this.entry(viewer, 'commission.create', dto.territoryId, { commissionId: rows[0].id }), m);
      return rows[0];
    });
  }

  list(viewer: RequestViewer) {
    return this.dataSource.query(
      `SELECT c.id, c.territory_id AS "territoryId", c.name, (SELECT max(version) FROM charter_versions v WHERE v.commission_id = c.id) AS "charterVersion"
         FROM commissions c WHERE $1::boolean OR c.territory_id = $2 ORDER BY c.name`,
      [viewer.roles.includes('admin'), viewer.territoryId],
    );
  }

  async addMember(viewer: RequestViewer, commissionId: string, dto: AddMemberDto) {
    return this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId);
      this.assertManages(viewer, commission.territoryId, 'Commission');
      for (const [field, userId] of [
        ['userId', dto.userId],
        ['deputyUserId', dto.deputyUserId],
      ] as const) {
        if (!userId) continue;
        const [user] = await m.query(
          `SELECT u.roles, o.territory_id AS "territoryId", u.disabled_at AS "disabledAt" FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`,
          [userId],
        );
        if (!user || user.territoryId !== commission.territoryId) throw AppError.validation(field, "no such user in the commission's territory");
        if (!user.roles.includes('member')) throw AppError.validation(field, 'the user does not have the member role');
        if (user.disabledAt) throw AppError.validation(field, 'the account is disabled');
      }
      if (dto.deputyUserId === dto.userId) throw AppError.validation('deputyUserId', 'a member cannot be their own deputy');
      const rows = await m.query(
        `INSERT INTO commission_members (commission_id, user_id, deputy_user_id) VALUES ($1, $2, $3)
         ON CONFLICT (commission_id, user_id) DO UPDATE SET deputy_user_id = EXCLUDED.deputy_user_id
         RETURNING commission_id AS "commissionId", user_id AS "userId", deputy_user_id AS "deputyUserId", created_at AS "createdAt"`,
        [commissionId, dto.userId, dto.deputyUserId ?? null],
      );
      await this.audit.record(
        this.entry(viewer, 'commission.member.add', commission.territoryId, { commissionId, userId: dto.userId, deputyUserId: dto.deputyUserId ?? null }),
        m,
      );
      return rows[0];
    });
  }

  async members(viewer: RequestViewer, commissionId: string) {
    const commission = await this.commission(this.dataSource.manager, commissionId);
    if (commission.territoryId !== viewer.territoryId && !viewer.roles.includes('admin')) throw AppError.notFound('Commission');
    return this.dataSource.query(
      `SELECT m.user_id AS "userId", u.display_name AS "displayName", o.name AS "organisationName", o.sector, m.deputy_user_id AS "deputyUserId",
              EXISTS (SELECT 1 FROM charter_acceptances a WHERE a.commission_id = m.commission_id AND a.user_id = m.user_id
                        AND a.version = (SELECT max(version) FROM charter_versions v WHERE v.commission_id = m.commission_id)) AS "acceptedCurrentCharter"
         FROM commission_members m JOIN users u ON u.id = m.user_id LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE m.commission_id = $1 ORDER BY u.display_name`,
      [commissionId],
    );
  }

  async putCharter(viewer: RequestViewer, commissionId: string, dto: CharterDto) {
    return this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId);
      this.assertManages(viewer, commission.territoryId, 'Commission');
      // Serialises charter changes of one commission.
      await m.query(`SELECT id FROM commissions WHERE id = $1 FOR UPDATE`, [commissionId]);
      const [{ current }] = await m.query(`SELECT coalesce(max(version), 0) AS current FROM charter_versions WHERE commission_id = $1`, [commissionId]);
      if (dto.version !== current + 1) {
        throw new AppError('conflict', `The next charter version of this commission is ${current + 1}`, {
          currentVersion: current,
          expectedVersion: current + 1,
        });
      }
      await m.query(`INSERT INTO charter_versions (commission_id, version, text, created_by) VALUES ($1, $2, $3, $4)`, [
        commissionId,
        dto.version,
        dto.text,
        viewer.userId,
      ]);
      await this.audit.record(this.entry(viewer, 'commission.charter.publish', commission.territoryId, { commissionId, version: dto.version }), m);
      return { commissionId, version: dto.version };
    });
  }

  async charter(viewer: RequestViewer, commissionId: string) {
    const commission = await this.commission(this.dataSource.manager, commissionId);
    if (commission.territoryId !== viewer.territoryId && !viewer.roles.includes('admin')) throw AppError.notFound('Commission');
    const [row] = await this.dataSource.query(
      `SELECT version, text, created_at AS "publishedAt" FROM charter_versions WHERE commission_id = $1 ORDER BY version DESC LIMIT 1`,
      [commissionId],
    );
    if (!row) throw AppError.notFound('Charter');
    const [accepted] = await this.dataSource.query(
      `SELECT accepted_at AS "acceptedAt" FROM charter_acceptances WHERE commission_id = $1 AND version = $2 AND user_id = $3`,
      [commissionId, row.version, viewer.userId],
    );
    return { ...row, acceptedAt: accepted?.acceptedAt ?? null };
  }

  async acceptCharter(viewer: RequestViewer, commissionId: string, version: number) {
    return this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId);
      const [bound] = await m.query(
        `SELECT (EXISTS (SELECT 1 FROM commission_members WHERE commission_id = $1 AND (user_id = $2 OR deputy_user_id = $2))
              OR EXISTS (SELECT 1 FROM session_invitations i JOIN sessions s ON s.id = i.session_id WHERE s.commission_id = $1 AND i.user_id = $2)) AS ok`,
        [commissionId, viewer.userId],
      );
      if (!bound.ok) throw AppError.forbidden('Only members of the commission (or professionals invited to one of its sessions) accept its charter');
      const [{ current }] = await m.query(`SELECT max(version) AS current FROM charter_versions WHERE commission_id = $1`, [commissionId]);
      if (current === null) throw new AppError('conflict', 'This commission has no charter yet');
      if (version !== current) throw new AppError('conflict', `The current charter version is ${current}`, { currentVersion: current });
      await m.query(`INSERT INTO charter_acceptances (commission_id, version, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        commissionId,
        version,
        viewer.userId,
      ]);
      await this.audit.record(this.entry(viewer, 'commission.charter.accept', commission.territoryId, { commissionId, version }), m);
      return { commissionId, version, userId: viewer.userId };
    });
  }

  async createSession(viewer: RequestViewer, commissionId: string, dto: CreateSessionDto) {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    if (endsAt <= startsAt) throw AppError.validation('endsAt', 'must be after startsAt');
    return this.dataSource.transaction(async (m) => {
      const commission = await this.commission(m, commissionId);
      this.assertManages(viewer, commission.territoryId, 'Commission');
      const [row] = await m.query(
        `INSERT INTO sessions (commission_id, territory_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)
         RETURNING id, commission_id AS "commissionId", starts_at AS "startsAt", ends_at AS "endsAt", status`,
        [commissionId, commission.territoryId, startsAt, endsAt],
      );
      await this.audit.record(this.entry(viewer, 'session.create', commission.territoryId, { commissionId, sessionId: row.id }), m);
      return row;
    });
  }

  async sessions(viewer: RequestViewer, commissionId: string) {
    const commission = await this.commission(this.dataSource.manager, commissionId);
    if (commission.territoryId !== viewer.territoryId && !viewer.roles.includes('admin')) throw AppError.notFound('Commission');
    return this.dataSource.query(
      `SELECT id, commission_id AS "commissionId", starts_at AS "startsAt", ends_at AS "endsAt", status, opened_at AS "openedAt", closed_at AS "closedAt"
         FROM sessions WHERE commission_id = $1 ORDER BY starts_at DESC`,
      [commissionId],
    );
  }

  async setStatus(viewer: RequestViewer, sessionId: string, to: 'open' | 'closed') {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, true);
      this.assertManages(viewer, session.territoryId, 'Session');
      const from = to === 'open' ? 'planned' : 'open';
      if (session.status !== from) {
        throw new AppError('conflict', `A session is ${to === 'open' ? 'opened from planned' : 'closed from open'}; this one is ${session.status}`, {
          sessionStatus: session.status,
        });
      }
      const result = await m.query(
        `UPDATE sessions SET status = $2, ${to === 'open' ? 'opened_at' : 'closed_at'} = now() WHERE id = $1 AND status = $3
         RETURNING id, status, opened_at AS "openedAt", closed_at AS "closedAt"`,
        [sessionId, to, from],
      );
      if (affectedRows(result) !== 1) throw new AppError('conflict', 'The session changed meanwhile');
      await this.audit.record(this.entry(viewer, `session.${to === 'open' ? 'open' : 'close'}`, session.territoryId, { sessionId }), m);
      return { id: sessionId, status: to };
    });
  }

  /**
   * A member records presence: only a member (or deputy) of the commission, or a professional
   * invited to this session, and only after accepting the commission's current charter.
   */
  async attend(viewer: RequestViewer, sessionId: string) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId);
      if (session.territoryId !== viewer.territoryId) throw AppError.notFound('Session');
      if (session.status === 'closed') throw new AppError('conflict', 'The session is closed', { sessionStatus: session.status });
      const [facts] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM commission_members WHERE commission_id = $1 AND (user_id = $2 OR deputy_user_id = $2)) AS member,
                EXISTS (SELECT 1 FROM session_invitations WHERE session_id = $3 AND user_id = $2) AS invited,
                (SELECT max(version) FROM charter_versions WHERE commission_id = $1) AS "charterVersion",
                EXISTS (SELECT 1 FROM charter_acceptances a WHERE a.commission_id = $1 AND a.user_id = $2
                          AND a.version = (SELECT max(version) FROM charter_versions WHERE commission_id = $1)) AS accepted`,
        [session.commissionId, viewer.userId, sessionId],
      );
      if (!facts.member && !facts.invited) {
        await this.audit.record(this.entry(viewer, 'session.attend', session.territoryId, { sessionId, reason: 'not_member' }, 'deny'));
        throw AppError.forbidden('Only members of the commission or invited professionals attend its sessions');
      }
      if (facts.charterVersion === null || !facts.accepted) {
        await this.audit.record(this.entry(viewer, 'session.attend', session.territoryId, { sessionId, reason: 'charter_not_accepted' }, 'deny'));
        throw AppError.forbidden(
          facts.charterVersion === null ? 'The commission has no charter yet' : `Accept version ${facts.charterVersion} of the commission's charter first`,
        );
      }
      await m.query(
        `INSERT INTO session_attendance (session_id, user_id, charter_version) VALUES ($1, $2, $3) ON CONFLICT (session_id, user_id) DO UPDATE SET charter_version = EXCLUDED.charter_version, recorded_at = now()`,
        [sessionId, viewer.userId, facts.charterVersion],
      );
      await this.audit.record(this.entry(viewer, 'session.attend', session.territoryId, { sessionId, invited: facts.invited && !facts.member }), m);
      return { sessionId, userId: viewer.userId, charterVersion: facts.charterVersion };
    });
  }

  async invite(viewer: RequestViewer, sessionId: string, dto: InviteDto) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId);
      this.assertManages(viewer, session.territoryId, 'Session');
      if (session.status === 'closed') throw new AppError('conflict', 'The session is closed', { sessionStatus: session.status });
      const [agenda] = await m.query(`SELECT 1 AS ok FROM agenda_items WHERE session_id = $1 AND case_id = $2 AND removed_at IS NULL`, [sessionId, dto.caseId]);
      if (!agenda) throw AppError.validation('caseId', "the case is not on this session's agenda");
      const [user] = await m.query(
        `SELECT o.territory_id AS "territoryId", u.roles FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1 AND u.disabled_at IS NULL`,
        [dto.userId],
      );
      if (!user || user.territoryId !== session.territoryId) throw AppError.validation('userId', 'no such user in this territory');
      if (!user.roles.includes('member') && !user.roles.includes('referrer')) {
        throw AppError.validation('userId', 'only professionals (member or referrer role) are invited to a session');
      }
      await m.query(`INSERT INTO session_invitations (session_id, case_id, user_id, invited_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
        sessionId,
        dto.caseId,
        dto.userId,
        viewer.userId,
      ]);
      await this.audit.record({ ...this.entry(viewer, 'session.invite', session.territoryId, { sessionId, userId: dto.userId }), caseId: dto.caseId }, m);
      return { sessionId, caseId: dto.caseId, userId: dto.userId };
    });
  }

  /** The agenda: references and states only (the coordinator builds it; members read the dossier). */
  async agenda(viewer: RequestViewer, sessionId: string) {
    const session = await this.session(this.dataSource.manager, sessionId);
    this.assertManages(viewer, session.territoryId, 'Session');
    const items = await this.dataSource.query(
      `SELECT c.id AS "caseId", c.reference, c.state, ai.position, ai.scheduled_at AS "scheduledAt"
         FROM agenda_items ai JOIN cases c ON c.id = ai.case_id WHERE ai.session_id = $1 AND ai.removed_at IS NULL ORDER BY ai.position`,
      [sessionId],
    );
    return { session, items };
  }

  /**
   * The session dossier: for each case on the agenda, exactly what the policy releases to this
   * viewer. Members reach it while the session is open, once they have recorded attendance
   * (which needed the charter); the territory's coordinator as well. Everyone else: 403.
   */
  async dossier(viewer: RequestViewer, sessionId: string, requestId?: string): Promise<{ sessionId: string; status: string; items: CaseView[] }> {
    const m = this.dataSource.manager;
    const session = await this.session(m, sessionId);
    const isCoordinator = viewer.roles.includes('coordinator') && viewer.territoryId === session.territoryId;
    const [attendance] = await m.query(
      `SELECT 1 AS ok FROM session_attendance WHERE session_id = $1 AND user_id = $2
          AND charter_version = (SELECT max(version) FROM charter_versions WHERE commission_id = $3)`,
      [sessionId, viewer.userId, session.commissionId],
    );
    if (session.status !== 'open' || (!attendance && !isCoordinator)) {
      await this.audit.record({
        ...this.entry(viewer, 'session.dossier', session.territoryId, { sessionId, status: session.status, attended: Boolean(attendance) }, 'deny'),
        requestId,
      });
      throw AppError.forbidden(
        session.status !== 'open'
          ? 'The dossier is available only while the session is open'
          : 'Record your attendance (after accepting the charter) to read the dossier',
      );
    }
    const agenda: { caseId: string }[] = await m.query(
      `SELECT case_id AS "caseId" FROM agenda_items WHERE session_id = $1 AND removed_at IS NULL ORDER BY position`,
      [sessionId],
    );
    const items: CaseView[] = [];
    const entries: AuditEntry[] = [];
    for (const { caseId } of agenda) {
      const record = await loadCase(m, caseId, viewer);
      if (!record) continue;
      const decision = this.policy.release(viewer, factsOf(record));
      if (!decision.relations.length) continue;
      const view = await this.cases.render(m, record, decision.release, decision.relations);
      items.push(view);
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
    await this.audit.recordMany(entries);
    return { sessionId, status: session.status, items };
  }
}
