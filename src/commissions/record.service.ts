import { MAX_RECORD_PDF_BYTES } from '../common/limits.js';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { identityFieldsSeenBy, readsHeldText } from '../access/access.js';
import { AccessService } from '../access/access.service.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { factsOf, loadCase } from '../cases/case.repository.js';
import { refuseCase } from '../cases/case-denial.js';
import { CaseTexts, readHeldTexts } from '../cases/case-text.js';
import { OUTCOME_CATEGORIES } from '../cases/machine/context.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { locateForRefusal } from '../database/territory-scope.js';
import { findIdentifyingText } from '../vault/leak-guard.js';
import { VaultService } from '../vault/vault.service.js';
import { onAgenda } from './agenda.repository.js';
import type { ContributionDto, GuestInputDto, MarkAttendanceDto, RecordItemInputDto } from './dto/record.dto.js';
import {
  acceptedCurrentVersion,
  analysisField,
  attendanceSheet,
  closeRecord,
  closedRecordsHolding,
  commissionName,
  contributionField,
  deleteGuest,
  insertGuest,
  invitedCaseIds,
  listContributions,
  listGuests,
  lockRecord,
  onSheet,
  organisationInTerritory,
  recommendationsField,
  recordCases,
  recordState,
  removeAttendance,
  upsertContribution,
  upsertRecordItem,
  type RecordCaseRow,
  type RecordDecision,
} from './record.repository.js';
import { findSession, upsertAttendance, type SessionRecord } from './sessions.repository.js';
import { renderRecordPdf } from './record.pdf.js';
import { Notifier } from '../notifications/notifier.js';

/** The decision the case events of the session say (ADOPT_PLAN, DEFER, CLOSE), if any. */
function derivedDecision(row: RecordCaseRow): RecordDecision | null {
  switch (row.lastEvent) {
    case 'ADOPT_PLAN':
      return 'plan_adopted';
    case 'DEFER':
      return 'deferred';
    case 'CLOSE':
      return 'closed';
    default:
      return row.removedAt ? 'deferred' : null;
  }
}

export interface RecordText {
  text: string | null;
  /** The text names the person: held for the referrer's review, shown only to its author and the referrer. */
  held: boolean;
}

export interface RecordContribution extends RecordText {
  authorName: string;
  organisationName: string | null;
  writtenAt: Date;
}

export interface RecordItem {
  caseId: string;
  reference: string;
  decision: RecordDecision | null;
  /** `event`: the situation's events of the session say it; `record`: the coordinator wrote it. */
  decisionSource: 'event' | 'record' | null;
  deferralReason: string | null;
  outcome: string | null;
  analysis: RecordText | null;
  recommendations: RecordText | null;
  contributions: RecordContribution[];
  updatedAt: Date | null;
}

export interface SessionRecordView {
  sessionId: string;
  commissionId: string;
  commissionName: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  closedAt: Date | null;
  attendees: { displayName: string; organisationName: string | null; as: string; caseReference: string | null }[];
  guests: { organisationName: string; functionLabel: string | null; caseReference: string | null }[];
  items: RecordItem[];
}

/**
 * The session as it is prepared and held (issue 12, items 4 and 5): the attendance sheet the
 * coordinator keeps, the written contributions of members who cannot come, and the session's
 * record (relevé de décisions), frozen once the coordinator closes it. Each method loads the
 * session with the caller's facts and asks the access service (policies/access.yaml).
 */
@Injectable()
export class SessionRecordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly vault: VaultService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifier: Notifier,
  ) {}

  private entry(viewer: RequestViewer, action: string, territoryId: string | null, detail: Record<string, unknown>, caseId?: string): AuditEntry {
    return { actorId: viewer.userId, organisationId: viewer.organisationId, territoryId, action, decision: 'allow', detail, ...(caseId ? { caseId } : {}) };
  }

  private async session(m: EntityManager, id: string, viewer: RequestViewer, lock = false): Promise<SessionRecord> {
    const days = this.access.dossierOpensDaysBefore;
    const session =
      (await findSession(m, id, viewer.userId, this.clock.now(), days, lock)) ??
      (await locateForRefusal(() => findSession(this.dataSource, id, viewer.userId, this.clock.now(), days)));
    if (!session) throw AppError.notFound('Session');
    return session;
  }

  private static frozen(): AppError {
    return new AppError('conflict', "The session's record is closed: it no longer changes", { recordStatus: 'closed' });
  }

  // ---------------------------------------------------------------- attendance sheet

  async attendance(viewer: RequestViewer, sessionId: string) {
    const m = this.dataSource.manager;
    const session = await this.session(m, sessionId, viewer);
    await this.access.require(viewer, 'session.attendance.list', session);
    const record = await recordState(m, sessionId);
    return {
      sessionId,
      status: session.status,
      recordClosed: record.closedAt !== null,
      people: await attendanceSheet(m, sessionId),
      guests: await listGuests(m, sessionId),
    };
  }

  /** The coordinator ticks (or unticks) a member, a deputy or an invited professional on the sheet. */
  async mark(viewer: RequestViewer, sessionId: string, userId: string, dto: MarkAttendanceDto) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer, true);
      await this.access.require(viewer, 'session.attendance.mark', session);
      if ((await lockRecord(m, sessionId, session.territoryId)).closedAt) throw SessionRecordService.frozen();
      if (!(await onSheet(m, sessionId, userId))) throw AppError.validation('userId', 'not a member, deputy or invited professional of this session');
      if (dto.present) {
        const version = await acceptedCurrentVersion(m, session.commissionId, userId);
        if (version === null) {
          throw new AppError(
            'conflict',
            `Presence is recorded under the commission's current charter (version ${session.charterVersion}): this person must accept it first`,
            {
              charterVersion: session.charterVersion,
            },
          );
        }
        await upsertAttendance(m, sessionId, userId, version, viewer.userId);
      } else {
        await removeAttendance(m, sessionId, userId);
      }
      await this.audit.record(this.entry(viewer, 'session.attendance.mark', session.territoryId, { sessionId, userId, present: dto.present }), m);
      return { sessionId, userId, present: dto.present };
    });
  }

  /** A partner without an account: an organisation (of the directory, or named) and a function, never a person's name. */
  async addGuest(viewer: RequestViewer, sessionId: string, dto: GuestInputDto) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer, true);
      await this.access.require(viewer, 'session.attendance.mark', session);
      if ((await lockRecord(m, sessionId, session.territoryId)).closedAt) throw SessionRecordService.frozen();
      if (Boolean(dto.organisationId) === Boolean(dto.organisationLabel)) {
        throw AppError.validation(
          dto.organisationId ? 'organisationLabel' : 'organisationId',
          'give either an organisation of the directory or its name, not both',
        );
      }
      if (dto.organisationId && !(await organisationInTerritory(m, dto.organisationId, session.territoryId))) {
        throw AppError.validation('organisationId', "no such organisation in the session's territory");
      }
      // Labels name an organisation and a function: a phone number, an email or a social
      // security number has no place there (the same answer whatever the person's identity).
      for (const [field, text] of [
        ['organisationLabel', dto.organisationLabel],
        ['functionLabel', dto.functionLabel],
      ] as const) {
        if (text && findIdentifyingText(text, {}))
          throw AppError.validation(field, 'names an organisation or a function only: no contact detail or identifier');
      }
      if (dto.caseId && !(await onAgenda(m, sessionId, dto.caseId)) && !(await this.onRecord(m, sessionId, dto.caseId))) {
        throw AppError.validation('caseId', "the situation is not on this session's agenda");
      }
      const id = await insertGuest(m, {
        sessionId,
        territoryId: session.territoryId,
        organisationId: dto.organisationId ?? null,
        organisationLabel: dto.organisationLabel?.trim() ?? null,
        functionLabel: dto.functionLabel?.trim() || null,
        caseId: dto.caseId ?? null,
        recordedBy: viewer.userId,
      });
      await this.audit.record(this.entry(viewer, 'session.guest.add', session.territoryId, { sessionId, guestId: id }, dto.caseId), m);
      return (await listGuests(m, sessionId)).find((g) => g.id === id)!;
    });
  }

  async removeGuest(viewer: RequestViewer, sessionId: string, guestId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer, true);
      await this.access.require(viewer, 'session.attendance.mark', session);
      if ((await lockRecord(m, sessionId, session.territoryId)).closedAt) throw SessionRecordService.frozen();
      if (!(await deleteGuest(m, sessionId, guestId))) throw AppError.notFound('Guest');
      await this.audit.record(this.entry(viewer, 'session.guest.remove', session.territoryId, { sessionId, guestId }), m);
    });
  }

  private async onRecord(m: EntityManager, sessionId: string, caseId: string): Promise<boolean> {
    return (await recordCases(m, sessionId)).some((r) => r.caseId === caseId);
  }

  // ---------------------------------------------------------------- contributions

  /**
   * A member preparing the session (access.yaml `session.contribute`) leaves, before it opens, a
   * short pseudonymised contribution on one situation they sit for. Checked by the leak guard
   * against what the writer may see of the identity; a text naming the person beyond that is held
   * for the referrer (no oracle), never stored where the record would show it.
   */
  async contribute(viewer: RequestViewer, sessionId: string, caseId: string, dto: ContributionDto) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer, true);
      await this.access.require(viewer, 'session.contribute', session);
      if (session.status !== 'planned') {
        throw new AppError('conflict', 'Contributions are written before the session opens; this one is ' + session.status, { sessionStatus: session.status });
      }
      if (!(await onAgenda(m, sessionId, caseId))) throw AppError.validation('caseId', "the situation is not on this session's agenda");
      const at = this.clock.now();
      const record = await loadCase(m, caseId, viewer, at, true);
      if (!record) throw AppError.validation('caseId', "the situation is not on this session's agenda");
      const invited = (await invitedCaseIds(m, sessionId, viewer.userId)).has(caseId);
      const release = this.access.dossierRelease(viewer, factsOf(record), session, invited, at);
      if (!release.relations.includes('attending_member')) throw AppError.forbidden('You take part in this session for another situation');
      const id = await upsertContribution(m, {
        sessionId,
        caseId,
        territoryId: record.territoryId,
        authorUserId: viewer.userId,
        authorOrganisationId: viewer.organisationId,
        at,
      });
      const writer = { userId: viewer.userId, organisationId: viewer.organisationId, seen: identityFieldsSeenBy(release) };
      const texts = new CaseTexts({ vault: this.vault, audit: this.audit, manager: m }, record, writer, at);
      await texts.write('plan', [{ field: contributionField(id), label: 'text', review: `sessions.${sessionId}.contributions.${id}`, text: dto.text }]);
      await this.audit.record({ ...this.entry(viewer, 'session.contribute', record.territoryId, { sessionId }, caseId), classes: ['plan'] }, m);
      return { sessionId, caseId, writtenAt: at };
    });
  }

  /** The contributions of the session on the situations `caseIds`, each text opened for this viewer (held ones for their author and the referrer only). */
  async contributionsFor(
    m: EntityManager,
    viewer: RequestViewer,
    sessionId: string,
    cases: { id: string; territoryId: string; heldReader: (author: string | null) => boolean }[],
  ): Promise<Map<string, RecordContribution[]>> {
    const rows = await listContributions(m, sessionId);
    const out = new Map<string, RecordContribution[]>();
    for (const c of cases) {
      const mine = rows.filter((r) => r.caseId === c.id);
      if (!mine.length) continue;
      const opened = await this.openPlanTexts(
        m,
        c,
        mine.map((r) => contributionField(r.id)),
        c.heldReader,
      );
      out.set(
        c.id,
        mine.map((r) => ({ authorName: r.authorName, organisationName: r.organisationName, writtenAt: r.writtenAt, ...opened.get(contributionField(r.id))! })),
      );
    }
    return out;
  }

  /** Opens plan-class fields of one situation; a field held (naming the person) shows to `heldReader` only. */
  private async openPlanTexts(
    m: EntityManager,
    target: { id: string; territoryId: string },
    fields: string[],
    heldReader: (author: string | null) => boolean,
  ): Promise<Map<string, RecordText>> {
    const out = new Map<string, RecordText>();
    let plan: Record<string, string> = {};
    try {
      plan = (await this.vault.openFields(m, { territoryId: target.territoryId, caseId: target.id }, ['plan'])).plan;
    } catch {
      // Crypto-shredded at the end of retention: the texts went with the situation.
      plan = {};
    }
    const held = await readHeldTexts(this.vault, m, target, heldReader);
    for (const field of fields) {
      const h = held.get(field);
      out.set(field, h ? { text: h.text, held: true } : { text: plan[field] ?? null, held: false });
    }
    return out;
  }

  // ---------------------------------------------------------------- the record

  /** The coordinator writes the record of one situation examined (while the record is open). */
  async writeItem(viewer: RequestViewer, sessionId: string, caseId: string, dto: RecordItemInputDto) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer, true);
      await this.access.require(viewer, 'session.record.write', session);
      if ((await lockRecord(m, sessionId, session.territoryId)).closedAt) throw SessionRecordService.frozen();
      if (session.status === 'planned') throw new AppError('conflict', 'The record is written once the session is open', { sessionStatus: session.status });
      const row = (await recordCases(m, sessionId)).find((r) => r.caseId === caseId);
      if (!row) throw AppError.validation('caseId', 'the situation was not examined in this session (not on its agenda)');
      const derived = derivedDecision(row);
      const decision = dto.decision ?? derived ?? row.decision;
      if (derived && dto.decision && dto.decision !== derived) {
        throw new AppError('conflict', `The situation's events in this session say ${derived}: the record follows them`, { decision: derived });
      }
      if (dto.deferralReason && decision !== 'deferred') throw AppError.validation('deferralReason', 'only for a deferred situation');
      if (decision === 'deferred' && !(dto.deferralReason ?? row.deferralReason))
        throw AppError.validation('deferralReason', 'required for a deferred situation');
      if (dto.outcome && decision !== 'closed') throw AppError.validation('outcome', 'only for a closed situation');
      if (dto.outcome && derived === 'closed') throw AppError.validation('outcome', "the situation's closing event gives the outcome");
      if (decision === 'closed' && derived !== 'closed' && !(dto.outcome ?? row.itemOutcome))
        throw AppError.validation('outcome', 'required for a closed situation');
      if (dto.outcome && !(OUTCOME_CATEGORIES as readonly string[]).includes(dto.outcome)) {
        throw AppError.validation('outcome', `must be one of ${OUTCOME_CATEGORIES.join(', ')}`);
      }
      const at = this.clock.now();
      const record = await loadCase(m, caseId, viewer, at, true);
      if (!record) throw AppError.notFound('Case');
      const id = await upsertRecordItem(m, {
        sessionId,
        caseId,
        territoryId: record.territoryId,
        decision,
        deferralReason: dto.deferralReason ?? (decision === 'deferred' ? row.deferralReason : null),
        outcome: dto.outcome ?? (decision === 'closed' && derived !== 'closed' ? row.itemOutcome : null),
        writtenBy: viewer.userId,
        at,
      });
      const entries = [
        { field: analysisField(id), label: 'analysis', review: `sessions.${sessionId}.record.${caseId}.analysis`, text: dto.analysis },
        {
          field: recommendationsField(id),
          label: 'recommendations',
          review: `sessions.${sessionId}.record.${caseId}.recommendations`,
          text: dto.recommendations,
        },
      ].filter((e): e is { field: string; label: string; review: string; text: string | null } => e.text !== undefined);
      if (entries.length) {
        const release = this.access.release(viewer, factsOf(record), at);
        const writer = { userId: viewer.userId, organisationId: viewer.organisationId, seen: identityFieldsSeenBy(release) };
        await new CaseTexts({ vault: this.vault, audit: this.audit, manager: m }, record, writer, at).write(
          'plan',
          entries.map((e) => ({ ...e, text: e.text || null })),
        );
      }
      await this.audit.record({ ...this.entry(viewer, 'session.record.write', record.territoryId, { sessionId, decision }, caseId), classes: ['plan'] }, m);
      return (await this.view(m, viewer, session, 'write', undefined, [caseId])).items[0];
    });
  }

  /** The coordinator closes the record, once the session is closed: it is then frozen. */
  async close(viewer: RequestViewer, sessionId: string) {
    return this.dataSource.transaction(async (m) => {
      const session = await this.session(m, sessionId, viewer, true);
      await this.access.require(viewer, 'session.record.close', session);
      if (session.status !== 'closed') {
        throw new AppError('conflict', `The record is closed after the session; close the session first (it is ${session.status})`, {
          sessionStatus: session.status,
        });
      }
      if ((await lockRecord(m, sessionId, session.territoryId)).closedAt) throw SessionRecordService.frozen();
      const at = this.clock.now();
      await closeRecord(m, sessionId, session.territoryId, viewer.userId, at);
      await this.notifier.afterRecordClosed(m, { id: sessionId, territoryId: session.territoryId }, at, viewer.userId);
      await this.audit.record(this.entry(viewer, 'session.record.close', session.territoryId, { sessionId }), m);
      return { sessionId, closedAt: at };
    });
  }

  /**
   * The closed records that hold one situation and show it to this viewer (session.record.read:
   * the coordinator, a participant of that session; the situation's own referrer): what the
   * situation page links to. Asked by whoever may read the situation's history; others get its refusal.
   */
  async recordsOfCase(viewer: RequestViewer, caseId: string, requestId?: string): Promise<{ items: { sessionId: string; startsAt: Date; closedAt: Date }[] }> {
    const m = this.dataSource.manager;
    const at = this.clock.now();
    const record = await loadCase(m, caseId, viewer, at);
    const decision = record ? this.access.release(viewer, factsOf(record), at) : undefined;
    if (!record || !decision?.release.meta) return refuseCase(this.audit, viewer, 'case.session-records', caseId, Boolean(record), requestId);
    const items = [];
    for (const row of await closedRecordsHolding(m, caseId)) {
      const session = await findSession(m, row.sessionId, viewer.userId, at, this.access.dossierOpensDaysBefore);
      // The record as this viewer reads it holds this situation (a referrer reads only their own situations there).
      if (session && this.access.decide(viewer, 'session.record.read', session).allowed && this.access.readsRecordOf(viewer, session, record.referrerUserId))
        items.push(row);
    }
    return { items };
  }

  /** The record as this viewer may read it (a referrer: their own situations of a closed record); every situation shown is an audited read. */
  async read(viewer: RequestViewer, sessionId: string, requestId?: string): Promise<SessionRecordView> {
    const m = this.dataSource.manager;
    const session = await this.session(m, sessionId, viewer);
    await this.access.require(viewer, 'session.record.read', session, { requestId });
    return this.view(m, viewer, session, 'read', requestId);
  }

  /** The closed record as a PDF in French, with no identifying value (references, categories and pseudonymised texts only). */
  async pdf(viewer: RequestViewer, sessionId: string, requestId?: string): Promise<Buffer> {
    const m = this.dataSource.manager;
    const session = await this.session(m, sessionId, viewer);
    await this.access.require(viewer, 'session.record.read', session, { requestId });
    const state = await recordState(m, sessionId);
    if (!state.closedAt) throw new AppError('conflict', 'The PDF is made once the record is closed', { recordStatus: 'open' });
    const pdf = await renderRecordPdf(await this.view(m, viewer, session, 'pdf', requestId));
    // The document published bound (GET /sessions/:id/record, maxLength): never answered beyond it.
    if (pdf.length > MAX_RECORD_PDF_BYTES) {
      throw new AppError('unprocessable', `The record is too long for one PDF (at most ${MAX_RECORD_PDF_BYTES} bytes): read it as JSON`, {
        maxBytes: MAX_RECORD_PDF_BYTES,
      });
    }
    return pdf;
  }

  private async view(
    m: EntityManager,
    viewer: RequestViewer,
    session: SessionRecord,
    purpose: 'read' | 'pdf' | 'write',
    requestId?: string,
    only?: string[],
  ): Promise<SessionRecordView> {
    const at = this.clock.now();
    const state = await recordState(m, session.id);
    const rows = (await recordCases(m, session.id)).filter(
      (r) => this.access.readsRecordOf(viewer, session, r.referrerUserId) && (!only || only.includes(r.caseId)),
    );
    const sheet = await attendanceSheet(m, session.id);
    const guests = await listGuests(m, session.id);
    const heldReaders = new Map<string, (author: string | null) => boolean>();
    for (const row of rows) {
      const record = await loadCase(m, row.caseId, viewer, at);
      const decision = record ? this.access.release(viewer, factsOf(record), at) : null;
      heldReaders.set(row.caseId, (author) => (decision ? readsHeldText(decision, viewer.userId, author) : author === viewer.userId));
    }
    const contributions = await this.contributionsFor(
      m,
      viewer,
      session.id,
      rows.map((r) => ({ id: r.caseId, territoryId: r.territoryId, heldReader: heldReaders.get(r.caseId)! })),
    );
    const items: RecordItem[] = [];
    for (const row of rows) {
      const derived = derivedDecision(row);
      let analysis: RecordText | null = null;
      let recommendations: RecordText | null = null;
      if (row.itemId) {
        const texts = await this.openPlanTexts(
          m,
          { id: row.caseId, territoryId: row.territoryId },
          [analysisField(row.itemId), recommendationsField(row.itemId)],
          heldReaders.get(row.caseId)!,
        );
        analysis = texts.get(analysisField(row.itemId))!;
        recommendations = texts.get(recommendationsField(row.itemId))!;
        if (analysis.text === null && !analysis.held) analysis = null;
        if (recommendations.text === null && !recommendations.held) recommendations = null;
      }
      const decision = derived ?? row.decision;
      items.push({
        caseId: row.caseId,
        reference: row.reference,
        decision,
        decisionSource: derived ? 'event' : row.decision ? 'record' : null,
        deferralReason: decision === 'deferred' ? row.deferralReason : null,
        outcome: decision === 'closed' ? (derived === 'closed' ? row.outcome : row.itemOutcome) : null,
        analysis,
        recommendations,
        contributions: contributions.get(row.caseId) ?? [],
        updatedAt: row.updatedAt,
      });
    }
    if (purpose !== 'write' && rows.length) {
      await this.audit.recordMany(
        rows.map((row) => ({
          actorId: viewer.userId,
          organisationId: viewer.organisationId,
          territoryId: row.territoryId,
          action: 'case.read',
          caseId: row.caseId,
          classes: ['plan'],
          decision: 'allow',
          purpose: `record:${purpose}`,
          requestId,
          detail: { sessionId: session.id },
        })),
      );
    }
    return {
      sessionId: session.id,
      commissionId: session.commissionId,
      commissionName: await commissionName(m, session.commissionId),
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      status: session.status,
      closedAt: state.closedAt,
      attendees: sheet
        .filter((p) => p.present)
        .map((p) => ({ displayName: p.displayName, organisationName: p.organisationName, as: p.as, caseReference: p.caseReference })),
      guests: guests.map((g) => ({ organisationName: g.organisationName, functionLabel: g.functionLabel, caseReference: g.caseReference })),
      items,
    };
  }
}
